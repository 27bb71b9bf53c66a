using AiGrpc.Validation.Dte;

namespace AiGrpc.UnitTests.Validation;

/// <summary><see cref="ValidationReport.Grade"/> and <see cref="ValidationReport.AllFindings"/>.</summary>
public class FindingsTests
{
    private static Finding Of(FindingSeverity severity, string code = "X") => new(code, severity, "p", "m");

    [Fact]
    public void The_worst_severity_decides_the_verdict_wherever_it_is()
    {
        Assert.Equal(Verdict.Accept, ValidationReport.Grade([]));
        Assert.Equal(Verdict.Accept, ValidationReport.Grade([Of(FindingSeverity.Info), Of(FindingSeverity.Info)]));
        Assert.Equal(Verdict.Review, ValidationReport.Grade([Of(FindingSeverity.Warning), Of(FindingSeverity.Info)]));
        Assert.Equal(Verdict.Review, ValidationReport.Grade([Of(FindingSeverity.Info), Of(FindingSeverity.Warning)]));
        Assert.Equal(Verdict.Reject, ValidationReport.Grade([Of(FindingSeverity.Warning), Of(FindingSeverity.Error), Of(FindingSeverity.Info)]));
        Assert.Equal(Verdict.Reject, ValidationReport.Grade([Of(FindingSeverity.Error), Of(FindingSeverity.Warning)]));
        Assert.Throws<ArgumentNullException>(() => ValidationReport.Grade(null!));
    }

    [Fact]
    public void All_findings_are_the_envelopes_then_each_documents_in_order()
    {
        static DocumentReport Doc(int index, params Finding[] findings) => new(index, 33, index, null, Verdict.Accept, findings, [], [], null);
        var report = new ValidationReport(Verdict.Review, "EnvioDTE", [Of(FindingSeverity.Info, "E")],
            [Doc(0, Of(FindingSeverity.Warning, "A")), Doc(1), Doc(2, Of(FindingSeverity.Info, "B"), Of(FindingSeverity.Info, "C"))], null);
        Assert.Equal(["E", "A", "B", "C"], report.AllFindings.Select(f => f.Code));
    }
}
