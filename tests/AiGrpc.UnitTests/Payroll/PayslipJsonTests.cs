using AiGrpc.Payroll.Indicators;
using AiGrpc.Payroll.Payslips;

namespace AiGrpc.UnitTests.Payroll;

/// <summary>Reading the module's body: Odoo's JSON habits are accepted, a body that is no payslip names its field.</summary>
public class PayslipJsonTests
{
    private const string Line = """{"code": "BASIC", "name": "Sueldo Base", "category": "BASIC", "amount": 1500000.0, "total": 1500000.0}""";

    [Fact]
    public void Reads_the_module_body_as_documented()
    {
        var payslip = PayslipJson.Read($$"""
            {"employee_id": 7, "employee_name": "Juan Pérez", "wage": 1500000.0, "period": "2025-10",
             "date_from": "2025-10-01", "date_to": "2025-10-31", "lines": [{{Line}}],
             "total_imponible": 1500000.0, "total_haberes": 1500000.0, "total_descuentos": 0.0, "total_liquido": 1500000.0}
            """);
        Assert.Equal(7, payslip.EmployeeId);
        Assert.Equal("Juan Pérez", payslip.EmployeeName);
        Assert.Equal(new PayrollPeriod(2025, 10), payslip.Period);
        Assert.Equal(new DateOnly(2025, 10, 1), payslip.DateFrom);
        Assert.Equal(1500000m, Assert.Single(payslip.Lines).Value);
        Assert.Equal(0m, payslip.TotalDescuentos);
        Assert.Equal(ContractType.Unknown, payslip.ContractType);
    }

    [Fact]
    public void Accepts_odoo_false_numeric_text_many2one_categories_and_unknown_keys()
    {
        var payslip = PayslipJson.Read("""
            {"employee_id": 7, "employee_name": false, "wage": "529000", "period": "2025-10", "date_from": false,
             "date_to": "2025-10-31 00:00:00", "company": {"id": 1}, "contract_type": "plazo_fijo",
             "lines": [{"code": " afp ", "name": false, "category": [12, "AFP_SOPA"], "amount": "-55000.5", "total": false}],
             "total_imponible": null}
            """);
        Assert.Null(payslip.EmployeeName);
        Assert.Equal(529000m, payslip.Wage);
        Assert.Null(payslip.DateFrom);
        Assert.Equal(new DateOnly(2025, 10, 31), payslip.DateTo);
        Assert.Equal(ContractType.FixedTerm, payslip.ContractType);
        var line = Assert.Single(payslip.Lines);
        Assert.Equal("AFP", line.Code);
        Assert.Equal("AFP_SOPA", line.Category);
        Assert.Equal(-55000.5m, line.Value);
        Assert.Null(payslip.TotalImponible);
    }

    [Theory]
    [InlineData("""{"wage": 1, "period": "2025-10", "lines": [LINE]}""", "employee_id")]
    [InlineData("""{"employee_id": 0, "wage": 1, "period": "2025-10", "lines": [LINE]}""", "employee_id")]
    [InlineData("""{"employee_id": 1.5, "wage": 1, "period": "2025-10", "lines": [LINE]}""", "employee_id")]
    [InlineData("""{"employee_id": 1, "wage": 0, "period": "2025-10", "lines": [LINE]}""", "wage")]
    [InlineData("""{"employee_id": 1, "wage": "mucho", "period": "2025-10", "lines": [LINE]}""", "wage")]
    [InlineData("""{"employee_id": 1, "wage": 1, "period": "2025-10-01", "lines": [LINE]}""", "period")]
    [InlineData("""{"employee_id": 1, "wage": 1, "period": "2025-10", "lines": []}""", "lines")]
    [InlineData("""{"employee_id": 1, "wage": 1, "period": "2025-10"}""", "lines")]
    [InlineData("""{"employee_id": 1, "wage": 1, "period": "2025-10", "lines": [{"amount": 1}]}""", "lines[0].code")]
    [InlineData("""{"employee_id": 1, "wage": 1, "period": "2025-10", "lines": [{"code": "BASIC"}]}""", "lines[0].amount")]
    [InlineData("""{"employee_id": 1, "wage": 1, "period": "2025-10", "lines": [LINE, {"code": "X", "amount": true}]}""", "lines[1].amount")]
    [InlineData("""{"employee_id": 1, "wage": 1, "period": "2025-10", "date_from": "01-10-2025", "lines": [LINE]}""", "date_from")]
    [InlineData("""[1, 2]""", "$")]
    [InlineData("""{"employee_id": 1,""", "$")]
    public void A_body_that_is_no_payslip_names_the_field(string json, string field)
    {
        var error = Assert.Throws<PayslipFormatException>(() => PayslipJson.Read(json.Replace("LINE", Line, StringComparison.Ordinal)));
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void More_than_100_lines_is_refused()
    {
        var lines = string.Join(",", Enumerable.Repeat(Line, 101));
        var error = Assert.Throws<PayslipFormatException>(() =>
            PayslipJson.Read($$"""{"employee_id": 1, "wage": 1, "period": "2025-10", "lines": [{{lines}}]}"""));
        Assert.Equal("lines", error.Field);
    }

    [Fact]
    public void Every_case_body_reads()
    {
        Assert.All(PayslipCases.All.Values, c => Assert.NotEmpty(PayslipJson.Read(c.Body).Lines));
    }
}
