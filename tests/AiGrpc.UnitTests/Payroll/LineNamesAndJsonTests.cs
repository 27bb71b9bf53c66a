using AiGrpc.Payroll.Indicators;
using AiGrpc.Payroll.Payslips;
using AiGrpc.Payroll.Rules;

namespace AiGrpc.UnitTests.Payroll;

/// <summary>Reading line names (the AFP, the health insurer, the contract kind) and the module's JSON body field by field.</summary>
public class LineNamesAndJsonTests
{
    [Fact]
    public void Words_are_upper_case_without_accents_plus_each_adjacent_pair()
    {
        Assert.Equal(new HashSet<string>(["AFP", "PLAN", "VITAL", "AFPPLAN", "PLANVITAL"]), LineWords.Of("Afp Plan Vital"));
        Assert.Equal(new HashSet<string>(["SEGURO", "CESANTIA", "INDEFINIDO", "SEGUROCESANTIA", "CESANTIAINDEFINIDO"]), LineWords.Of("Seguro  -  Cesantía (indefinido)"));
        Assert.Equal(new HashSet<string>(["PROVIDA", "11", "45", "PROVIDA11", "1145"]), LineWords.Of("Provida 11,45 %"));
        Assert.Equal(new HashSet<string>(["UNO"]), LineWords.Of("  uno  "));
        Assert.Equal(new HashSet<string>(["ANO"]), LineWords.Of("año")); // the tilde is a mark: dropped, not a word break
        Assert.Empty(LineWords.Of(null));
        Assert.Empty(LineWords.Of(" - "));
    }

    [Fact]
    public void Joined_keeps_only_letters_and_digits()
    {
        Assert.Equal("ISAPRECRUZDELNORTE", LineWords.Joined("Isapre Cruz del Norte"));
        Assert.Equal("BANMEDICA2", LineWords.Joined("Banmédica #2"));
        Assert.Equal(string.Empty, LineWords.Joined(null));
    }

    private static readonly string[] Afps = ["Capital", "Cuprum", "Habitat", "Modelo", "PlanVital", "ProVida", "Uno"];

    [Theory]
    [InlineData("AFP Habitat", "Habitat")]
    [InlineData("afp habitat 11,27 %", "Habitat")]
    [InlineData("AFP Plan Vital", "PlanVital")]
    [InlineData("Cotización AFP PlanVital", "PlanVital")]
    [InlineData("PROVIDA", "ProVida")]
    [InlineData("AFP Uno", "Uno")]
    [InlineData("AFP Capital", "Capital")]
    [InlineData("AFP", null)]
    [InlineData("AFP Habitat / Modelo", null)] // two named: none
    [InlineData("Habitats", null)]
    [InlineData(null, null)]
    public void The_afp_is_the_one_the_name_names(string? name, string? afp) => Assert.Equal(afp, AfpNames.Identify(name, Afps));

    [Theory]
    [InlineData("Fonasa", "Fonasa")]
    [InlineData("Salud FONASA 7%", "Fonasa")]
    [InlineData("Isapre Fonasa", "Fonasa")]
    [InlineData("Isapre", "Isapre")]
    [InlineData("Banmédica", "Isapre")]
    [InlineData("Colmena Golden Cross", "Isapre")]
    [InlineData("Consalud", "Isapre")]
    [InlineData("Cruz Blanca", "Isapre")]
    [InlineData("Nueva Masvida", "Isapre")]
    [InlineData("Vida Tres", "Isapre")]
    [InlineData("Esencial", "Isapre")]
    [InlineData("Isapre Fundación", "Isapre")]
    [InlineData("Cruz del Norte", "Isapre")]
    [InlineData("Chuquicamata", "Isapre")]
    [InlineData("Fusat", "Isapre")]
    [InlineData("Río Blanco", "Isapre")]
    [InlineData("San Lorenzo", "Isapre")]
    [InlineData("Salud", "Unknown")]
    [InlineData("Cotización de salud 7 %", "Unknown")]
    [InlineData(null, "Unknown")]
    public void The_health_insurer_is_read_from_the_name(string? name, string insurer) =>
        Assert.Equal(insurer, HealthInsurers.Identify(name).ToString());

    [Theory]
    [InlineData("Seguro de cesantía indefinido", ContractType.Indefinite)]
    [InlineData("AFC plazo indefinida", ContractType.Indefinite)]
    [InlineData("Seguro cesantía plazo fijo", ContractType.FixedTerm)]
    [InlineData("AFC PlazoFijo", ContractType.FixedTerm)]
    [InlineData("AFC contrato fijo", ContractType.FixedTerm)]
    [InlineData("AFC por obra", ContractType.FixedTerm)]
    [InlineData("AFC faena", ContractType.FixedTerm)]
    [InlineData("Seguro de cesantía", ContractType.Unknown)]
    [InlineData("AFC fijado", ContractType.Unknown)]
    [InlineData(null, ContractType.Unknown)]
    public void The_contract_kind_is_read_from_the_afc_name_when_not_sent(string? name, ContractType kind)
    {
        Assert.Equal(kind, ContractKinds.Identify(ContractType.Unknown, name));
        Assert.Equal(ContractType.Indefinite, ContractKinds.Identify(ContractType.Indefinite, name));
        Assert.Equal(ContractType.FixedTerm, ContractKinds.Identify(ContractType.FixedTerm, name));
    }

    private const string Line = """{"code": "BASIC", "amount": 1}""";

    private static Payslip Read(string fields, string lines = Line) =>
        PayslipJson.Read($$"""{"employee_id": 7, "wage": 500000, "period": "2025-10", "lines": [{{lines}}]{{fields}}}""");

    private static PayslipFormatException Refused(string json) => Assert.Throws<PayslipFormatException>(() => PayslipJson.Read(json));

    [Theory]
    [InlineData("""{"wage": 1, "period": "2025-10", "lines": [L]}""", "employee_id", "required")]
    [InlineData("""{"employee_id": -3, "wage": 1, "period": "2025-10", "lines": [L]}""", "employee_id", "must be a whole number > 0")]
    [InlineData("""{"employee_id": 1e19, "wage": 1, "period": "2025-10", "lines": [L]}""", "employee_id", "must be a whole number > 0")]
    [InlineData("""{"employee_id": "siete", "wage": 1, "period": "2025-10", "lines": [L]}""", "employee_id", "must be a number")]
    [InlineData("""{"employee_id": 1, "period": "2025-10", "lines": [L]}""", "wage", "required")]
    [InlineData("""{"employee_id": 1, "wage": -1, "period": "2025-10", "lines": [L]}""", "wage", "must be > 0")]
    [InlineData("""{"employee_id": 1, "wage": {}, "period": "2025-10", "lines": [L]}""", "wage", "must be a number")]
    [InlineData("""{"employee_id": 1, "wage": 1, "lines": [L]}""", "period", "must be a month written YYYY-MM")]
    [InlineData("""{"employee_id": 1, "wage": 1, "period": "2025-10", "lines": {}}""", "lines", "required: an array of 1-100 lines")]
    [InlineData("""{"employee_id": 1, "wage": 1, "period": "2025-10", "lines": []}""", "lines", "must hold 1-100 lines, not 0")]
    [InlineData("""{"employee_id": 1, "wage": 1, "period": "2025-10", "lines": [L, 5]}""", "lines[1]", "must be an object")]
    [InlineData("""{"employee_id": 1, "wage": 1, "period": "2025-10", "lines": [{"code": "  ", "amount": 1}]}""", "lines[0].code", "required")]
    [InlineData("""{"employee_id": 1, "wage": 1, "period": "2025-10", "lines": [{"code": false, "amount": 1}]}""", "lines[0].code", "required")]
    [InlineData("""{"employee_id": 1, "wage": 1, "period": "2025-10", "lines": [{"code": "X", "amount": null}]}""", "lines[0].amount", "required")]
    [InlineData("""{"employee_id": 1, "wage": 1, "period": "2025-10", "lines": [{"code": "X", "amount": "uno"}]}""", "lines[0].amount", "must be a number")]
    [InlineData("""{"employee_id": 1, "wage": 1, "period": "2025-10", "lines": [{"code": "X", "amount": 1, "total": "dos"}]}""", "lines[0].total", "must be a number")]
    [InlineData("""{"employee_id": 1, "wage": 1, "period": "2025-10", "lines": [L], "date_to": "2025-10"}""", "date_to", "must be a date written YYYY-MM-DD")]
    [InlineData("""{"employee_id": 1, "wage": 1, "period": "2025-10", "lines": [L], "date_from": "2025/10/01"}""", "date_from", "must be a date written YYYY-MM-DD")]
    [InlineData("""{"employee_id": 1, "wage": 1, "period": "2025-10", "lines": [L], "total_liquido": "x"}""", "total_liquido", "must be a number")]
    [InlineData("""{"employee_id": 1, "wage": 1, "period": "2025-10", "lines": [L], "total_haberes": [1]}""", "total_haberes", "must be a number")]
    [InlineData("""{"employee_id": 1, "wage": 1, "period": "2025-10", "lines": [L], "total_descuentos": true}""", "total_descuentos", "must be a number")]
    [InlineData("""{"employee_id": 1, "wage": 1, "period": "2025-10", "lines": [L], "total_imponible": "1.2.3"}""", "total_imponible", "must be a number")]
    [InlineData("\"text\"", "$", "the body must be a JSON object")]
    public void A_refused_body_names_the_field_and_the_reason(string json, string field, string reason)
    {
        var error = Refused(json.Replace("[L", "[" + Line, StringComparison.Ordinal));
        Assert.Equal(field, error.Field);
        Assert.Equal(reason, error.Reason);
        Assert.Equal($"{field}: {reason}", error.Message);
    }

    [Fact]
    public void Text_that_is_not_json_says_so()
    {
        var error = Refused("{");
        Assert.Equal("$", error.Field);
        Assert.StartsWith("not valid JSON: ", error.Reason, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => PayslipJson.Read((string)null!));
    }

    [Fact]
    public void A_hundred_lines_are_accepted_and_a_hundred_and_one_are_not()
    {
        Assert.Equal(100, Read(string.Empty, string.Join(",", Enumerable.Repeat(Line, 100))).Lines.Count);
        var error = Refused($$"""{"employee_id": 1, "wage": 1, "period": "2025-10", "lines": [{{string.Join(",", Enumerable.Repeat(Line, 101))}}]}""");
        Assert.Equal("must hold 1-100 lines, not 101", error.Reason);
        Assert.Equal(100, PayslipJson.MaxLines);
    }

    [Fact]
    public void Ids_and_amounts_read_as_numbers_or_numeric_text()
    {
        var payslip = PayslipJson.Read("""{"employee_id": "9223372036854775807", "wage": "1,500,000.50", "period": "2025-10", "lines": [{"code": "basic", "amount": 0.5, "total": "-2"}]}""");
        Assert.Equal(long.MaxValue, payslip.EmployeeId);
        Assert.Equal(1500000.50m, payslip.Wage);
        Assert.Equal(new PayslipLine("BASIC", null, null, 0.5m, -2m), Assert.Single(payslip.Lines));
        Assert.Equal(0.5m, Read(string.Empty, """{"code": "X", "amount": 0.5, "total": false}""").Lines[0].Value);
        Assert.Equal(0.5m, Read(string.Empty, """{"code": "X", "amount": 0.5, "total": null}""").Lines[0].Value);
        Assert.Equal(0.01m, PayslipJson.Read("""{"employee_id": 1, "wage": 0.01, "period": "2025-10", "lines": [{"code": "X", "amount": 1}]}""").Wage);
    }

    [Fact]
    public void Totals_dates_and_name_are_read_when_sent()
    {
        var payslip = Read(""", "employee_name": "Ana", "date_from": "2025-10-05T08:00:00", "date_to": "2025-10-20", "total_imponible": 1, "total_haberes": "2", "total_descuentos": -3, "total_liquido": 4""");
        Assert.Equal("Ana", payslip.EmployeeName);
        Assert.Equal(new DateOnly(2025, 10, 5), payslip.DateFrom);
        Assert.Equal(new DateOnly(2025, 10, 20), payslip.DateTo);
        Assert.Equal(1m, payslip.TotalImponible);
        Assert.Equal(2m, payslip.TotalHaberes);
        Assert.Equal(-3m, payslip.TotalDescuentos);
        Assert.Equal(4m, payslip.TotalLiquido);
        Assert.Equal(7, payslip.EmployeeId);
        Assert.Equal(500000m, payslip.Wage);
        Assert.Equal(new PayrollPeriod(2025, 10), payslip.Period);

        var empty = Read(""", "employee_name": "", "date_from": null, "date_to": "", "total_liquido": null""");
        Assert.Null(empty.EmployeeName);
        Assert.Null(empty.DateFrom);
        Assert.Null(empty.DateTo);
        Assert.Null(empty.TotalLiquido);
        Assert.Null(empty.TotalHaberes);
        Assert.Null(Read(""", "employee_name": 5""").EmployeeName);
    }

    [Theory]
    [InlineData("\"AFP_SOPA\"", "AFP_SOPA")]
    [InlineData("[12, \"AFP_SOPA\"]", "AFP_SOPA")]
    [InlineData("[12, 13]", null)]
    [InlineData("[12, \"AFP_SOPA\", 3]", null)]
    [InlineData("[\"AFP_SOPA\"]", null)]
    [InlineData("12", null)]
    [InlineData("false", null)]
    public void A_category_is_a_code_or_odoos_id_and_name_pair(string category, string? read) =>
        Assert.Equal(read, Read(string.Empty, $$"""{"code": "AFP", "amount": -1, "category": {{category}}}""").Lines[0].Category);

    [Fact]
    public void A_line_without_category_or_name_has_none()
    {
        var line = Read(string.Empty, """{"code": "AFP", "amount": -1, "name": "AFP Uno"}""").Lines[0];
        Assert.Null(line.Category);
        Assert.Equal("AFP Uno", line.Name);
    }

    [Theory]
    [InlineData("indefinite", ContractType.Indefinite)]
    [InlineData("INDEFINIDO", ContractType.Indefinite)]
    [InlineData(" plazo_indefinido ", ContractType.Indefinite)]
    [InlineData("fixed_term", ContractType.FixedTerm)]
    [InlineData("fixed", ContractType.FixedTerm)]
    [InlineData("Plazo_Fijo", ContractType.FixedTerm)]
    [InlineData("fijo", ContractType.FixedTerm)]
    [InlineData("obra", ContractType.FixedTerm)]
    [InlineData("obra_faena", ContractType.FixedTerm)]
    [InlineData("honorarios", ContractType.Unknown)]
    public void The_contract_type_reads_in_english_or_spanish(string text, ContractType kind) =>
        Assert.Equal(kind, Read($$""", "contract_type": "{{text}}" """).ContractType);

    [Fact]
    public void The_format_exception_keeps_its_field_and_reason()
    {
        var error = new PayslipFormatException("wage", "must be > 0");
        Assert.Equal("wage", error.Field);
        Assert.Equal("must be > 0", error.Reason);
        Assert.Equal("wage: must be > 0", error.Message);
        Assert.Null(new PayslipFormatException("plain").Field);
        Assert.Equal("plain", new PayslipFormatException("plain").Message);
        var inner = new InvalidOperationException("x");
        Assert.Same(inner, new PayslipFormatException("outer", inner).InnerException);
        Assert.Null(new PayslipFormatException().Reason);
    }
}
