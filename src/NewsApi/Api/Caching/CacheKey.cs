using System.Globalization;

namespace NewsApi.Api.Caching;

/// <summary>
/// Which stored answer a public read may get: the same address (exactly: a slug's case or a query's order makes
/// another entry, as it may be another answer), the same Accept, and the same next scheduled change, so answers
/// made before and after a change the clock makes never share an entry. GET and HEAD share one: HEAD is the same
/// answer without its body.
/// </summary>
internal static class CacheKey
{
    public static string For(HttpRequest request, DateTimeOffset? nextChange) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{request.Scheme}://{request.Host.Value}{request.PathBase.Value}{request.Path.Value}{request.QueryString.Value}\n{request.Headers.Accept.ToString()}\n{nextChange?.UtcTicks ?? 0}");

    /// <summary>The tags a stored answer carries: what the route says it shows, plus the one every answer carries.</summary>
    public static string[] Tags(PublicRead read, RouteValueDictionary route) => [PublicRead.EverythingTag, .. read.Tags(route)];
}
