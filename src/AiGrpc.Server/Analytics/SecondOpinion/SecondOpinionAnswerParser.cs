using System.Globalization;
using System.Text.Json;

namespace AiGrpc.Server.Analytics.SecondOpinion;

/// <summary>
/// Validates the model's text answer. Nothing in it is trusted: it must be one JSON object with an
/// integer <c>project_id</c> that is one of the candidates (or null), a <c>confidence</c> between 0
/// and 1 and a string <c>reasoning</c>. Anything else is an invalid answer.
/// </summary>
internal static class SecondOpinionAnswerParser
{
    /// <summary>Longest reasoning kept, in characters.</summary>
    public const int MaxReasoningChars = 500;

    /// <summary>The answer, or <see cref="SecondOpinionOutcome.Unavailable"/> with the reason it is invalid.</summary>
    public static SecondOpinionAnswer Parse(string text, IReadOnlyList<SecondOpinionCandidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var json = StripCodeFence(text ?? string.Empty);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return Invalid("malformed JSON");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Invalid("not a JSON object");
            }

            if (!root.TryGetProperty("project_id", out var id))
            {
                return Invalid("project_id is missing");
            }

            int? projectId;
            if (id.ValueKind == JsonValueKind.Null)
            {
                projectId = null;
            }
            else if (id.ValueKind == JsonValueKind.Number && id.TryGetInt32(out var value))
            {
                if (!candidates.Any(c => c.ProjectId == value))
                {
                    return Invalid(string.Create(CultureInfo.InvariantCulture, $"project {value} is not among the candidates"));
                }

                projectId = value;
            }
            else
            {
                return Invalid("project_id is not an integer or null");
            }

            if (!root.TryGetProperty("confidence", out var confidenceElement)
                || confidenceElement.ValueKind != JsonValueKind.Number
                || !confidenceElement.TryGetDouble(out var confidence)
                || !double.IsFinite(confidence) || confidence < 0 || confidence > 1)
            {
                return Invalid("confidence is missing or not between 0 and 1");
            }

            if (!root.TryGetProperty("reasoning", out var reasoningElement) || reasoningElement.ValueKind != JsonValueKind.String)
            {
                return Invalid("reasoning is missing");
            }

            var reasoning = reasoningElement.GetString()!.Trim();
            if (reasoning.Length > MaxReasoningChars)
            {
                reasoning = reasoning[..MaxReasoningChars];
            }

            return projectId is null
                ? new SecondOpinionAnswer(SecondOpinionOutcome.NoMatch, null, confidence, reasoning)
                : new SecondOpinionAnswer(SecondOpinionOutcome.Chosen, projectId, confidence, reasoning);
        }
    }

    private static SecondOpinionAnswer Invalid(string why) => SecondOpinionAnswer.Unavailable("invalid answer: " + why);

    // Models sometimes wrap JSON in a markdown fence despite the instructions; the content must still be strict JSON.
    private static string StripCodeFence(string text)
    {
        var trimmed = text.Trim();
        if (!trimmed.StartsWith("```", StringComparison.Ordinal) || !trimmed.EndsWith("```", StringComparison.Ordinal) || trimmed.Length < 6)
        {
            return trimmed;
        }

        var body = trimmed[3..^3];
        var newline = body.IndexOf('\n', StringComparison.Ordinal);
        return (newline >= 0 && body[..newline].Trim() is "" or "json" ? body[(newline + 1)..] : body).Trim();
    }
}
