using System.Globalization;
using System.Text;
using AiGrpc.Payroll.Payslips;

namespace AiGrpc.Payroll.Rules;

/// <summary>Reads line names as printed (any case, with or without accents and spaces) into words.</summary>
internal static class LineWords
{
    /// <summary>The name's words in upper case without accents, plus each pair of adjacent words joined
    /// (<c>PLAN VITAL</c> also reads as <c>PLANVITAL</c>).</summary>
    public static HashSet<string> Of(string? name)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var c in (name ?? string.Empty).Normalize(NormalizationForm.FormD))
        {
            if (char.IsLetterOrDigit(c))
            {
                current.Append(char.ToUpperInvariant(c));
            }
            else if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark && current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }

        var set = new HashSet<string>(words, StringComparer.Ordinal);
        for (var i = 0; i + 1 < words.Count; i++)
        {
            set.Add(words[i] + words[i + 1]);
        }

        return set;
    }

    /// <summary>All the name's letters and digits in upper case, accents removed (<c>Isapre Cruz del Norte</c> reads as
    /// <c>ISAPRECRUZDELNORTE</c>).</summary>
    public static string Joined(string? name)
    {
        var joined = new StringBuilder();
        foreach (var c in (name ?? string.Empty).Normalize(NormalizationForm.FormD))
        {
            if (char.IsLetterOrDigit(c))
            {
                joined.Append(char.ToUpperInvariant(c));
            }
        }

        return joined.ToString();
    }
}

/// <summary>Which AFP a line's name names (<c>AFP Habitat</c>, <c>Cotización AFP PlanVital</c>, <c>Provida 11,45 %</c>).</summary>
internal static class AfpNames
{
    /// <summary>The key of <paramref name="known"/> (Capital, Cuprum, Habitat, Modelo, PlanVital, ProVida, Uno) the name
    /// names, or null when it names none or more than one.</summary>
    public static string? Identify(string? name, IEnumerable<string> known)
    {
        var words = LineWords.Of(name);
        var named = known.Where(k => words.Contains(k.ToUpperInvariant())).ToList();
        return named.Count == 1 ? named[0] : null;
    }
}

/// <summary>The health insurer of a SALUD line.</summary>
internal enum HealthInsurer
{
    Unknown,
    Fonasa,
    Isapre,
}

/// <summary>Reads the insurer from the SALUD line's name.</summary>
internal static class HealthInsurers
{
    // The open and closed Isapres registered with the Superintendencia de Salud, as payslips print them.
    private static readonly string[] IsapreWords =
    [
        "ISAPRE", "BANMEDICA", "COLMENA", "CONSALUD", "CRUZBLANCA", "MASVIDA", "VIDATRES", "ESENCIAL",
        "FUNDACION", "CRUZDELNORTE", "CHUQUICAMATA", "FUSAT", "RIOBLANCO", "SANLORENZO",
    ];

    public static HealthInsurer Identify(string? name)
    {
        // Substrings of the joined name: Isapre names are distinctive, and a plan is often printed as one word
        // (BANMEDICA, NUEVAMASVIDA) or several (Nueva Masvida).
        var joined = LineWords.Joined(name);
        if (joined.Contains("FONASA", StringComparison.Ordinal))
        {
            return HealthInsurer.Fonasa;
        }

        return IsapreWords.Any(w => joined.Contains(w, StringComparison.Ordinal)) ? HealthInsurer.Isapre : HealthInsurer.Unknown;
    }
}

/// <summary>The contract kind: as sent, else as the AFC line's name says it (<c>Seguro de Cesantía plazo fijo</c>).</summary>
internal static class ContractKinds
{
    public static ContractType Identify(ContractType sent, string? afcName)
    {
        if (sent != ContractType.Unknown)
        {
            return sent;
        }

        var words = LineWords.Of(afcName);
        if (words.Contains("INDEFINIDO") || words.Contains("INDEFINIDA"))
        {
            return ContractType.Indefinite;
        }

        return words.Contains("PLAZOFIJO") || words.Contains("FIJO") || words.Contains("OBRA") || words.Contains("FAENA")
            ? ContractType.FixedTerm
            : ContractType.Unknown;
    }
}
