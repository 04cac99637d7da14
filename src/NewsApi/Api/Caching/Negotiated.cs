namespace NewsApi.Api.Caching;

/// <summary>
/// Endpoint metadata for a public read whose answer depends on Accept: which representation a request's Accept
/// negotiates (null when none is acceptable), so that the many Accept strings meaning the same one share a stored
/// answer. Reads without it answer the same whatever Accept says, and their stored answers ignore it.
/// </summary>
internal sealed class Negotiated(Func<IList<string>, string?> choose)
{
    public string Representation(HttpRequest request) => choose(request.Headers.Accept) ?? "not-acceptable";
}

/// <summary>
/// Endpoint metadata for a public read whose answer depends on Accept-Language: the variant a request negotiates (a
/// script, say), which joins the cache key, and Accept-Language joins Vary.
/// </summary>
internal sealed class LanguageNegotiated(Func<HttpRequest, string> choose)
{
    public string Variant(HttpRequest request) => choose(request);
}

/// <summary>Query parameters a route reads outside its handler's binding (in a filter), declared for the cache key.</summary>
internal sealed class QueryDeclared(params string[] names)
{
    public IReadOnlyList<string> Names => names;
}
