namespace NewsApi.Content.Mojibake;

/// <summary>A character of a reading: known, or lost with the characters its known bytes allow (null: any).</summary>
internal sealed record Slot(string? Known, IReadOnlyList<string>? Candidates)
{
    public static Slot Of(string known) => new(known, null);
}
