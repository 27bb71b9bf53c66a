using System.Globalization;
using System.Runtime.CompilerServices;
using AiGrpc.Common;

namespace AiGrpc.Analytics.Matching;

/// <summary>The Spanish reasoning of an answer: the deciding signals of a match, or why there is none.</summary>
public sealed partial class LocalMatchIndex
{
    private static void AppendSignals(ref DefaultInterpolatedStringHandler text, Evidence e, int i, Knowledge.ProjectDomain project)
    {
        var parts = 0;
        if (e.Reference[i] > 0)
        {
            Separate(ref text, ref parts);
            text.AppendLiteral("la referencia ");
            text.AppendFormatted(e.ReferenceText[i]);
            text.AppendLiteral(" coincide con el proyecto");
        }

        // The supplier's counts per project are already in the evidence (scattered once per match).
        if (e.Supplier is { } s && e.SupplierCount[i] > 0)
        {
            Separate(ref text, ref parts);
            text.AppendLiteral("el proveedor facturó ");
            text.AppendFormatted((int)e.SupplierCount[i]);
            text.AppendLiteral(" de ");
            text.AppendFormatted(s.Total);
            text.AppendLiteral(" veces a este proyecto");
        }

        if (e.ProjectText[i] >= 0.15)
        {
            Separate(ref text, ref parts);
            text.AppendLiteral("el texto se parece al del proyecto (similitud ");
            AppendSimilarity(ref text, e.ProjectText[i]);
            text.AppendLiteral(")");
        }

        if (e.HistoryText[i] >= 0.2)
        {
            Separate(ref text, ref parts);
            text.AppendLiteral("se parece a facturas anteriores del proyecto (similitud ");
            AppendSimilarity(ref text, Math.Min(1, e.HistoryText[i]));
            text.AppendLiteral(")");
        }

        if (e.Place[i] > 0)
        {
            var (level, bill, site) = e.Domain.Places.Closest(project.Places);
            if (Knowledge.ChileGeography.Instance.Explain(level, bill, site) is { } where)
            {
                Separate(ref text, ref parts);
                text.AppendFormatted(where);
            }
        }

        if (e.Kind[i] >= 0.5 && Knowledge.TradeLexicon.BestKind(e.Domain.Trade, project.Kinds) is { } kind)
        {
            Separate(ref text, ref parts);
            text.AppendLiteral("lo facturado (");
            text.AppendFormatted(e.Domain.Trade.FirstTerm);
            text.AppendLiteral(") es propio de ");
            text.AppendFormatted(Knowledge.TradeLexicon.Instance.KindName(kind).ToLowerInvariant());
        }

        if (e.Voltage[i] > 0)
        {
            Separate(ref text, ref parts);
            text.AppendLiteral("la tensión del equipo corresponde a la del proyecto");
        }

        if (e.Rating[i] > 0 && e.Domain.AgreeingRating(project.Ratings) is { } rating)
        {
            Separate(ref text, ref parts);
            text.AppendLiteral("la factura y el proyecto indican ");
            text.AppendFormatted(rating.Text.ToLowerInvariant());
        }

        if (e.Address[i] > 0 && e.Domain.AgreeingAddress(project.Addresses) is { } address)
        {
            Separate(ref text, ref parts);
            text.AppendLiteral("la factura indica la dirección del proyecto (");
            text.AppendFormatted(address.Written);
            text.AppendLiteral(")");
        }

        if (e.Date[i] > 0)
        {
            Separate(ref text, ref parts);
            text.AppendLiteral("la fecha cae dentro del plazo del proyecto");
        }

        if (e.OverBudget[i] > 0)
        {
            Separate(ref text, ref parts);
            text.AppendLiteral("aunque el monto supera el presupuesto del proyecto");
        }

        if (parts == 0)
        {
            text.AppendLiteral("ningún proyecto reúne más evidencia");
        }

        static void Separate(ref DefaultInterpolatedStringHandler text, ref int parts)
        {
            if (parts++ > 0)
            {
                text.AppendLiteral(", ");
            }
        }
    }

    private static void AppendNoneReason(ref DefaultInterpolatedStringHandler text, Evidence e)
    {
        if (e.Domain.Overhead.First is { } phrase)
        {
            text.AppendLiteral("; «");
            text.AppendFormatted(phrase);
            text.AppendLiteral("» es un gasto general de la empresa");
            return;
        }

        if (e.Supplier is { } s && s.Count(-1) > 0)
        {
            text.AppendLiteral("; el proveedor se registró ");
            text.AppendFormatted(s.Count(-1));
            text.AppendLiteral(" de ");
            text.AppendFormatted(s.Total);
            text.AppendLiteral(" veces como gasto general");
            return;
        }

        text.AppendLiteral(e.QueryTermCount == 0 ? "; la factura no trae texto que comparar" : "; ningún proyecto reúne evidencia suficiente");
    }

    // Numbers in the reasoning are rounded to integers first: a custom format string ("0", "0.00") is parsed on
    // every call and was most of the reasoning's cost. Through decimal, which keeps a double's 15 significant
    // digits as those formats do, so 0.575 still reads 58 % and not 57 % (checked against them on 20 million
    // values, half of them on a rounding boundary).
    private static void AppendPercent(ref DefaultInterpolatedStringHandler text, double p)
    {
        text.AppendFormatted((long)Math.Round((decimal)p * 100, MidpointRounding.AwayFromZero));
        text.AppendLiteral(" %");
    }

    /// <summary>A similarity (0 or more) with two decimals, as "0.00" would write it.</summary>
    private static void AppendSimilarity(ref DefaultInterpolatedStringHandler text, double similarity)
    {
        var hundredths = (long)Math.Round((decimal)similarity * 100, MidpointRounding.AwayFromZero);
        text.AppendFormatted(hundredths / 100);
        text.AppendLiteral(".");
        text.AppendFormatted(hundredths % 100, "D2"); // a standard format: read in a step, unlike "0.00"
    }

    /// <summary>"code name" of a project as the reasoning names it; made once per project and index.</summary>
    private string Describe(int i) => _descriptions[i] ??= DescribeProject(_projects[i]);

    private static string DescribeProject(ProjectCandidate p)
    {
        var name = string.IsNullOrWhiteSpace(p.Name) ? string.Create(CultureInfo.InvariantCulture, $"proyecto {p.Id}") : p.Name.Trim();
        return string.IsNullOrWhiteSpace(p.Code) ? name : $"{p.Code.Trim()} {name}";
    }

    private static IReadOnlyList<string> RutWarnings(int? rutKey) =>
        rutKey is { } key && !Rut.HasRightCheckDigit(key, out var expected)
            ? [$"el RUT del proveedor tiene un dígito verificador incorrecto (se esperaba {expected})"]
            : [];

    private static double Round(double p) => Math.Round(p, 4);
}
