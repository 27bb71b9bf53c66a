namespace AiGrpc.Payroll.Rules;

/// <summary>The legal basis each rule cites in its findings (Spanish, as a payroll accountant reads it).</summary>
internal static class LegalSources
{
    public const string MinimumWage =
        "Código del Trabajo, art. 44 (el sueldo no puede ser inferior al ingreso mínimo mensual; proporcional en jornada parcial); monto: Ley N° 21.751 y leyes de reajuste";

    public const string Gratification =
        "Código del Trabajo, art. 50 (25 % de lo devengado en el mes por remuneraciones mensuales, tope anual de 4,75 ingresos mínimos mensuales)";

    public const string NonTaxable =
        "Código del Trabajo, art. 41 inc. 2 (colación, movilización y asignación familiar no son remuneración); DL 3.500, art. 14; LIR, art. 17 N° 13 y N° 14";

    public const string PensionCap =
        "DL 3.500, art. 16 (tope imponible en UF del último día del mes, reajustado cada año por la Superintendencia de Pensiones)";

    public const string UnemploymentCap =
        "Ley N° 19.728, art. 6 (tope imponible del seguro de cesantía, distinto del tope de AFP)";

    public const string Afp =
        "DL 3.500, art. 17 (cotización obligatoria del 10 %) y art. 29 (comisión de la AFP); comisiones publicadas por la Superintendencia de Pensiones";

    public const string Health =
        "Ley N° 18.469, art. 7 (cotización legal de salud del 7 %; texto refundido en el DFL N° 1 de 2005 de Salud) y Ley N° 18.933, art. 2 letra h) (con Isapre, la legal o la superior pactada); tope del art. 16 DL 3.500";

    public const string Unemployment =
        "Ley N° 19.728, art. 5 (trabajador 0,6 % en contrato indefinido; nada en contrato a plazo fijo, por obra o faena; nada tras 11 años de cotizaciones)";

    public const string IncomeTax =
        "LIR (DL 824), art. 42 N° 1 (base: remuneraciones menos cotizaciones previsionales obligatorias del trabajador) y art. 43 N° 1 (tabla mensual en UTM); APV régimen B: art. 42 bis";

    public const string FamilyAllowance =
        "DFL N° 150 de 1981 (Trabajo y Previsión Social), asignación familiar por carga según tramo de ingreso; montos de las leyes de reajuste";

    public const string Liquidation =
        "Código del Trabajo, art. 54 inc. 3 (liquidación con el monto pagado y las deducciones efectuadas) y art. 58 (deducciones obligatorias)";

    public const string RequiredContributions =
        "DL 3.500, art. 17 (AFP) y Ley N° 18.469, art. 7 (salud): toda remuneración imponible cotiza";

    public const string Indicators =
        "Indicadores del mes (Data/indicators-cl.json): solo valores publicados, con su fuente";
}
