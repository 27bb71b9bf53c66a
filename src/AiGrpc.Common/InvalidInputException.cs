namespace AiGrpc.Common;

/// <summary>One invalid field of a request: where it is and what is wrong with it.</summary>
/// <param name="Field">Path of the field in the request, in proto field names (e.g. <c>projects[2].id</c>).</param>
/// <param name="Description">What is wrong, in words a caller can act on.</param>
public sealed record FieldViolation(string Field, string Description);

/// <summary>
/// The request cannot be served as given. Engines and services throw it; the error mapping turns it
/// into <c>INVALID_ARGUMENT</c> with a <c>google.rpc.BadRequest</c> detail (REST 400). It carries no
/// gRPC or ASP.NET types so that engines stay plain C#.
/// </summary>
public sealed class InvalidInputException : Exception
{
    /// <summary>Creates the exception from one or more violations.</summary>
    public InvalidInputException(IReadOnlyList<FieldViolation> violations)
        : base(Summarize(violations)) => Violations = violations;

    /// <summary>Creates the exception for a single field.</summary>
    public InvalidInputException(string field, string description)
        : this([new FieldViolation(field, description)])
    {
    }

    /// <inheritdoc />
    public InvalidInputException()
        : this([])
    {
    }

    /// <inheritdoc />
    public InvalidInputException(string message)
        : base(message) => Violations = [];

    /// <inheritdoc />
    public InvalidInputException(string message, Exception innerException)
        : base(message, innerException) => Violations = [];

    /// <summary>The invalid fields.</summary>
    public IReadOnlyList<FieldViolation> Violations { get; }

    private static string Summarize(IReadOnlyList<FieldViolation> violations) => violations.Count switch
    {
        0 => "The request is invalid.",
        1 => $"Invalid field '{violations[0].Field}': {violations[0].Description}",
        _ => $"{violations.Count} invalid fields, first '{violations[0].Field}': {violations[0].Description}",
    };
}
