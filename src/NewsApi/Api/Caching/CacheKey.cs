using System.Text;

namespace NewsApi.Api.Caching;

/// <summary>
/// Which stored answer a public read may get: the same address (exactly: a slug's case makes another entry, as it
/// may be another answer), the declared query parameters in name order (so ?a=1&amp;b=2 and ?b=2&amp;a=1 share one,
/// and nothing undeclared reaches the key: UndeclaredParameters refuses it first), the negotiated representation
/// rather than the raw Accept string, and the same next scheduled change, so answers made before and after a change
/// the clock makes never share an entry. GET and HEAD share one: HEAD is the same answer without its body.
/// </summary>
internal static class CacheKey
{
    public static string For(HttpRequest request, DateTimeOffset? nextChange, string[]? declared, Negotiated? negotiated, LanguageNegotiated? language = null)
    {
        var key = new StringBuilder()
            .Append(request.Scheme).Append("://").Append(request.Host.Value).Append(request.PathBase.Value).Append(request.Path.Value);
        if (declared is null)
            key.Append(request.QueryString.Value);
        else
        {
            var separator = '?';
            // The query's names are case-insensitive, as binding is (?Limit=5 is ?limit=5); a repeated parameter's
            // values keep their order.
            foreach (var name in declared)
            {
                foreach (var value in request.Query[name])
                {
                    key.Append(separator).Append(name).Append('=').Append(Uri.EscapeDataString(value ?? ""));
                    separator = '&';
                }
            }
        }
        key.Append('\n').Append(negotiated?.Representation(request)).Append('\n').Append(language?.Variant(request))
            .Append('\n').Append(nextChange?.UtcTicks ?? 0);
        return key.ToString();
    }

    /// <summary>The tags a stored answer carries: what the route says it shows, plus the one every answer carries.</summary>
    public static string[] Tags(PublicRead read, RouteValueDictionary route) => [PublicRead.EverythingTag, .. read.Tags(route)];
}
