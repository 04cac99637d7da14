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
