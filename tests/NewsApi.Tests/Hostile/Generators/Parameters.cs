using static NewsApi.Tests.Hostile.Generators.Targets;

namespace NewsApi.Tests.Hostile.Generators;

/// <summary>
/// Every declared query parameter given every junk value, repeated, and misspelt; unknown parameters on every
/// operation; and the filters an anonymous caller might use to reach what it should not see (status, a search for a
/// hidden article's marker, fields and include asking for everything).
/// </summary>
internal static class Parameters
{
    public static IEnumerable<HostileRequest> Generate(Seeded s)
    {
        foreach (var op in Operations.All)
        {
            // Writes aim at nothing stored (or send an empty object), so a parameter wrongly accepted cannot change data.
            var url = op.Safe || op.Bodies.Count > 0 ? s.RealUrl(op) : Seeded.MissingUrl(op);
            string With(string query) => url + (url.Contains('?') ? "&" : "?") + query;

            foreach (var p in op.Query)
            {
                foreach (var junk in JunkValues)
                    yield return Request($"{p.Name} = {junk[..Math.Min(junk.Length, 40)]}", op, With($"{p.Name}={junk}"));
                yield return Request($"{p.Name} twice", op, With($"{p.Name}={Sample(p)}&{p.Name}={Sample(p)}"));
                yield return Request($"{p.Name} without a value", op, With(p.Name));
                yield return Request($"{p.Name} in upper case", op, With($"{p.Name.ToUpperInvariant()}={Sample(p)}"));
                yield return Request($"{p.Name} as an array", op, With($"{p.Name}[]={Sample(p)}"));
                yield return Request($"{p.Name} as an object", op, With($"{p.Name}[a]={Sample(p)}"));
            }
            foreach (var query in new[] { "zzUnknown=1", "&&&", "=x", "%00=1", "a=1&a=2&a=3", "limit=1%26status%3Ddraft", "callback=alert", "_=1", "q" })
                yield return Request($"query {query}", op, With(query));

            if (op.Safe && !op.Secured)
                foreach (var query in Prying(op))
                {
                    yield return Request($"anonymous {query}", op, With(query), Credential.Anonymous);
                    yield return Request($"revoked key {query}", op, With(query), Credential.Invalid) with { Headers = [("Authorization", "Bearer " + s.RevokedKey)] };
                }
        }
    }

    /// <summary>Queries that would show a hidden article if a filter trusted its caller.</summary>
    static IEnumerable<string> Prying(Operation op)
    {
        var names = op.Query.Select(p => p.Name).ToHashSet();
        if (names.Contains("status"))
            foreach (var status in new[] { "draft", "scheduled", "killed", "unpublished", "archived", "all", "draft,published", "*" })
                yield return $"status={status}";
        if (names.Contains("q"))
            foreach (var marker in Seeded.Markers)
                yield return $"q={marker}";
        if (names.Contains("fields"))
            yield return "fields=title,summary,body,byline,status,killReason,embargoUntil";
        if (names.Contains("include"))
            yield return "include=body,revisions,drafts,all";
        if (names.Contains("at"))
            yield return "at=2030-01-01T00:00:00Z";
        if (names.Contains("to"))
            yield return "to=2099-01-01T00:00:00Z";
    }

    static string Sample(Parameter p) => p switch
    {
        { Enum.Count: > 0 } => p.Enum[0],
        { Type: "integer" } => "5",
        { Type: "boolean" } => "true",
        { Format: "date-time" } => "2026-03-01T00:00:00Z",
        { Format: "date" } => "2026-03-01",
        _ => "domestic",
    };
}
