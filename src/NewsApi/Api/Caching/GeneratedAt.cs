using System.Globalization;

namespace NewsApi.Api.Caching;

/// <summary>Stamps a response with the time it was made; inside the cache, so a stored answer keeps its time.</summary>
internal sealed class GeneratedAt(RequestDelegate next, TimeProvider clock)
{
    public Task InvokeAsync(HttpContext http)
    {
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
            return next(http);
        // Set before the handler runs (a handler may know better and overwrite it); HttpCaching outside reads it
        // before the response starts.
        http.Response.Headers.LastModified = clock.GetUtcNow().ToString("R", CultureInfo.InvariantCulture);
        return next(http);
    }
}
