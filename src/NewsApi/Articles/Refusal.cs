namespace NewsApi.Articles;

internal enum RefusalKind { Conflict, Invalid }

/// <summary>
/// Why the article rules refused a change. It knows no HTTP: the endpoints answer a conflict with 409 and an invalid
/// member with 400, the import with an invalid line.
/// </summary>
internal sealed record Refusal(RefusalKind Kind, string Detail, string Member = "body")
{
    public static Refusal Conflict(string detail) => new(RefusalKind.Conflict, detail);

    public static Refusal Invalid(string member, string detail) => new(RefusalKind.Invalid, detail, member);
}
