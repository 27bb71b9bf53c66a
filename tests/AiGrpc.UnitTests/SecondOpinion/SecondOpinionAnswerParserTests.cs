using AiGrpc.Server.Analytics.SecondOpinion;

namespace AiGrpc.UnitTests.SecondOpinion;

public class SecondOpinionAnswerParserTests
{
    private static readonly SecondOpinionCandidate[] Candidates =
    [
        new(3, "OBR-3", "Obra 3", null, 0.5),
        new(7, "OBR-7", "Obra 7", "Cliente", 0.4),
    ];

    [Theory]
    [InlineData("{\"project_id\": 7, \"confidence\": 0.81, \"reasoning\": \" Mismo código OBR-7. \"}", 7, 0.81)]
    [InlineData("```json\n{\"project_id\": 3, \"confidence\": 1, \"reasoning\": \"x\"}\n```", 3, 1.0)]
    [InlineData("  {\"reasoning\": \"x\", \"confidence\": 0, \"project_id\": 3, \"extra\": [1]}  ", 3, 0.0)]
    public void Valid_choices(string text, int project, double confidence)
    {
        var answer = SecondOpinionAnswerParser.Parse(text, Candidates);
        Assert.Equal(SecondOpinionOutcome.Chosen, answer.Outcome);
        Assert.Equal(project, answer.ProjectId);
        Assert.Equal(confidence, answer.Confidence);
        Assert.Equal(answer.Reasoning.Trim(), answer.Reasoning);
    }

    [Fact]
    public void Null_project_is_no_match()
    {
        var answer = SecondOpinionAnswerParser.Parse("{\"project_id\": null, \"confidence\": 0.6, \"reasoning\": \"Gasto general.\"}", Candidates);
        Assert.Equal(SecondOpinionOutcome.NoMatch, answer.Outcome);
        Assert.Null(answer.ProjectId);
        Assert.Equal("Gasto general.", answer.Reasoning);
    }

    [Theory]
    [InlineData("", "malformed JSON")]
    [InlineData("El proyecto es 7", "malformed JSON")]
    [InlineData("{\"project_id\": 7, \"confidence\": 0.9, \"reasoning\": \"x\"", "malformed JSON")]
    [InlineData("Respuesta: {\"project_id\": 7, \"confidence\": 0.9, \"reasoning\": \"x\"}", "malformed JSON")]
    [InlineData("[7]", "not a JSON object")]
    [InlineData("{\"confidence\": 0.9, \"reasoning\": \"x\"}", "project_id is missing")]
    [InlineData("{\"project_id\": 8, \"confidence\": 0.9, \"reasoning\": \"x\"}", "project 8 is not among the candidates")]
    [InlineData("{\"project_id\": 7.5, \"confidence\": 0.9, \"reasoning\": \"x\"}", "not an integer")]
    [InlineData("{\"project_id\": \"7\", \"confidence\": 0.9, \"reasoning\": \"x\"}", "not an integer")]
    [InlineData("{\"project_id\": 7, \"confidence\": -0.1, \"reasoning\": \"x\"}", "confidence")]
    [InlineData("{\"project_id\": 7, \"confidence\": 85, \"reasoning\": \"x\"}", "confidence")]
    [InlineData("{\"project_id\": 7, \"confidence\": \"0.9\", \"reasoning\": \"x\"}", "confidence")]
    [InlineData("{\"project_id\": 7, \"confidence\": 0.9}", "reasoning is missing")]
    [InlineData("{\"project_id\": 7, \"confidence\": 0.9, \"reasoning\": 5}", "reasoning is missing")]
    public void Invalid_answers_are_unavailable_with_the_reason(string text, string reason)
    {
        var answer = SecondOpinionAnswerParser.Parse(text, Candidates);
        Assert.Equal(SecondOpinionOutcome.Unavailable, answer.Outcome);
        Assert.Null(answer.ProjectId);
        Assert.Equal("invalid answer: ", answer.UnavailableReason![..16]);
        Assert.Contains(reason, answer.UnavailableReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Long_reasoning_is_truncated()
    {
        var text = "{\"project_id\": 3, \"confidence\": 0.9, \"reasoning\": \"" + new string('a', 2000) + "\"}";
        Assert.Equal(SecondOpinionAnswerParser.MaxReasoningChars, SecondOpinionAnswerParser.Parse(text, Candidates).Reasoning.Length);
    }
}
