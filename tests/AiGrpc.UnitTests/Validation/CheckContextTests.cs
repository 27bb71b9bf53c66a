using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Xml;
using AiGrpc.Validation.Dte;

namespace AiGrpc.UnitTests.Validation;

/// <summary>
/// <see cref="CheckContext"/>: paths under the content element, findings with their severity and values written
/// invariantly, and a check group that throws turned into <c>CHECK_FAILED</c> with its span marked, while the
/// exceptions that are not about the document still propagate.
/// </summary>
public class CheckContextTests
{
    private static CheckContext Context(string content = "Documento", string? type = "33") =>
        new(new DteDocument { ContentName = content, TypeText = type }, TimeProvider.System);

    [Fact]
    public void Paths_are_under_the_content_element()
    {
        Assert.Equal("Exportaciones/Encabezado", Context("Exportaciones").P("Encabezado"));
        Assert.Equal("Exportaciones", Context("Exportaciones").P(string.Empty));
        Assert.Equal("Documento", Context().P(null!));
    }

    [Fact]
    public void Each_finding_has_its_severity_and_values_written_invariantly()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("es-CL");
        try
        {
            var c = Context();
            c.Error("E", "p1", "m1", 1234.5m, 1.5);
            c.Warning("W", "p2", "m2", "texto", null);
            c.Info("I", "p3", "m3");
            Assert.Equal(
                [
                    new Finding("E", FindingSeverity.Error, "p1", "m1", "1234.5", "1.5"),
                    new Finding("W", FindingSeverity.Warning, "p2", "m2", "texto", null),
                    new Finding("I", FindingSeverity.Info, "p3", "m3", null, null),
                ],
                c.Findings);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void A_value_that_is_not_formattable_is_written_with_ToString()
    {
        var c = Context();
        c.Error("E", "p", "m", new Uri("https://www.sii.cl/"), 'K');
        Assert.Equal(("https://www.sii.cl/", "K"), (c.Findings[0].Expected, c.Findings[0].Actual));
    }

    [Fact]
    public void Skipped_checks_are_listed_with_their_reason()
    {
        var c = Context();
        c.Skip("ted", "sin timbre");
        Assert.Equal([new SkippedCheck("ted", "sin timbre")], c.Skipped);
        Assert.Empty(c.Run);
    }

    [Fact]
    public void A_group_that_runs_is_listed_and_its_findings_kept()
    {
        var c = Context();
        c.Group("uno", x => x.Warning("W", "p", "m"));
        c.Group("dos", _ => { });
        Assert.Equal(["uno", "dos"], c.Run);
        Assert.Equal("W", Assert.Single(c.Findings).Code);
    }

    public static TheoryData<string> DocumentErrors() =>
    [
        nameof(XmlException), nameof(ArgumentException), nameof(ArgumentOutOfRangeException), nameof(InvalidOperationException), nameof(FormatException),
        nameof(CryptographicException), nameof(OverflowException), nameof(DivideByZeroException), nameof(NullReferenceException),
    ];

    private static string? Absent() => Environment.GetEnvironmentVariable("AIGRPC_UNSET_" + Guid.NewGuid().ToString("N"));

    private static void Throw(string kind)
    {
        switch (kind)
        {
            case nameof(XmlException): throw new XmlException("x");
            case nameof(ArgumentException): throw new ArgumentException("x");
            case nameof(ArgumentOutOfRangeException): throw new ArgumentOutOfRangeException(nameof(kind));
            case nameof(InvalidOperationException): throw new InvalidOperationException("x");
            case nameof(FormatException): throw new FormatException("x");
            case nameof(CryptographicException): throw new CryptographicException("x");
            case nameof(OverflowException): throw new OverflowException("x");
            case nameof(DivideByZeroException): throw new DivideByZeroException("x");
            default: _ = Absent()!.Length; break;
        }
    }

    [Theory]
    [MemberData(nameof(DocumentErrors))]
    public void A_group_that_throws_on_the_document_becomes_check_failed(string error)
    {
        var c = Context("Exportaciones");
        c.Group("totals", x =>
        {
            x.Warning("W", "p", "m");
            Throw(error);
        });
        Assert.Equal(["totals"], c.Run);
        Assert.Equal(2, c.Findings.Count);
        Assert.Equal(new Finding("CHECK_FAILED", FindingSeverity.Error, "Exportaciones",
            $"La verificación 'totals' no pudo completarse con este documento ({error})."), c.Findings[1]);
    }

    [Fact]
    public void Other_exceptions_are_not_about_the_document_and_propagate()
    {
        var c = Context();
        Assert.Throws<NotSupportedException>(() => c.Group("x", _ => throw new NotSupportedException()));
        Assert.Throws<OperationCanceledException>(() => c.Group("x", _ => throw new OperationCanceledException()));
        Assert.Empty(c.Findings);
    }

    [Fact]
    public void Each_group_is_a_span_with_the_type_the_findings_it_added_and_its_failure()
    {
        var name = "probe-" + Guid.NewGuid().ToString("N");
        var stopped = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == DteTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (a.OperationName.StartsWith("validation." + name, StringComparison.Ordinal))
                {
                    lock (stopped)
                    {
                        stopped.Add(a);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        var c = Context(type: "61");
        c.Info("I", "p", "m");
        c.Group(name + "-ok", x =>
        {
            x.Warning("W", "p", "m");
            x.Warning("W", "p", "m");
        });
        c.Group(name + "-fails", _ => throw new FormatException());

        Assert.Equal(2, stopped.Count);
        var ok = stopped[0];
        Assert.Equal("validation." + name + "-ok", ok.OperationName);
        Assert.Equal(ActivityKind.Internal, ok.Kind);
        Assert.Equal(61, ok.GetTagItem("dte.type"));
        Assert.Equal(2, ok.GetTagItem("validation.findings"));
        Assert.Equal(ActivityStatusCode.Unset, ok.Status);

        var failed = stopped[1];
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal("FormatException", failed.StatusDescription);
        Assert.Equal(1, failed.GetTagItem("validation.findings"));
    }
}
