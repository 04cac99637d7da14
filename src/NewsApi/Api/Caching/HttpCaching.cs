using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using NewsApi.Api.Auth;

namespace NewsApi.Api.Caching;

/// <summary>
/// HTTP caching of public reads that CDNs and browsers can trust, and this service's own copy of them. A miss
/// renders into one pooled buffer, then gives the answer a strong ETag over its exact bytes, a Cache-Control
/// lifetime (with stale-while-revalidate) that never runs past the next change the clock will make to what it shows
/// (one resource's own schedule, or that of everything public; never what the public cannot read yet), and keeps it
/// (<see cref="CachedAnswer"/>) under tags that let a change evict it. A hit compares If-None-Match or
/// If-Modified-Since with what was stored and writes the stored bytes: no rendering, hashing or copying. Calls with
/// a key are never cached (Auth makes them private, no-store).
/// </summary>
internal sealed class HttpCaching(
    RequestDelegate next, INextScheduledChange schedule, TimeProvider clock, IOptions<CachingOptions> options,
    IOptions<OutputCacheOptions> storeOptions, IOutputCacheStore store, Renderings renderings, Evictions evictions, DeclaredQuery declared,
    Data.ReadRetries retries, NewsMetrics metrics, ILogger<HttpCaching> logger)
{
    const string Vary = "Accept, Authorization, Accept-Encoding";
    const string VaryWithLanguage = "Accept, Accept-Language, Authorization, Accept-Encoding";

    static string VaryOf(HttpContext http) => http.GetEndpoint()?.Metadata.GetMetadata<LanguageNegotiated>() is null ? Vary : VaryWithLanguage;

    public async Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) || http.PublicRead() is not { } read)
        {
            await next(http);
            return;
        }
        if (request.CarriesKey())
        {
            VaryOnStart(http);
            await next(http);
            return;
        }

        if (options.Value.SurrogateKeyHeader is { Length: > 0 } surrogate)
            http.Response.Headers[surrogate] = SurrogateKeys(CacheKey.Tags(read, request.RouteValues), surrogate);

        // An anonymous public read: what it reads may come from the standby (Data/Standby decides when it opens).
        Data.ReadRoute.PublicRead();
        var now = clock.GetUtcNow();
        // A read of one resource is capped by that resource's own schedule, which its handler reports once it has read it.
        // Read again, as the endpoint is, when the database could not be reached: a primary gone sends it to the standby.
        DateTimeOffset? nextChange = null;
        if (!read.OwnSchedule)
            await retries.RunAsync(async () => nextChange = await schedule.GetAsync(http.RequestAborted), () => true, http.RequestAborted);
        var lifetime = Lifetime.Until(now, nextChange, options.Value);
        if (!options.Value.ServerCache || lifetime.MaxAge <= TimeSpan.Zero)
        {
            await Render(http, lifetime, nextChange, now, null);
            return;
        }

        var endpoint = http.GetEndpoint();
        var route = (endpoint as RouteEndpoint)?.RoutePattern.RawText;
        var key = CacheKey.For(request, nextChange, declared.Of(read), endpoint?.Metadata.GetMetadata<Negotiated>(),
            endpoint?.Metadata.GetMetadata<LanguageNegotiated>());
        if (await Lookup(key, http.RequestAborted) is { } cached && cached.IsFreshAt(now))
        {
            metrics.CacheLookup(NewsMetrics.CacheResult.Hit, route);
            await Serve(http, cached, now);
            return;
        }
        if (renderings.Join(key, out var lead) is { } pending)
        {
            if (await pending.WaitAsync(http.RequestAborted) is { } shared && shared.IsFreshAt(now))
            {
                metrics.CacheLookup(NewsMetrics.CacheResult.Shared, route);
                await Serve(http, shared, now);
                return;
            }
            metrics.CacheLookup(NewsMetrics.CacheResult.Miss, route);
            await Render(http, lifetime, nextChange, now, new(key, CacheKey.Tags(read, request.RouteValues), null));
            return;
        }
        metrics.CacheLookup(NewsMetrics.CacheResult.Miss, route);
        await Render(http, lifetime, nextChange, now, new(key, CacheKey.Tags(read, request.RouteValues), lead));
    }

    // A store that fails (a shared one can) makes a miss, never an error: the read is served uncached.
    async ValueTask<CachedAnswer?> Lookup(string key, CancellationToken ct)
    {
        try
        {
            return await store.GetAsync(key, ct) is { } stored ? CachedAnswer.Read(stored) : null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "The cache store could not be read; serving uncached.");
            return null;
        }
    }

    async Task<bool> TryKeep(Keeping keeping, byte[] stored, Lifetime lifetime, long evictionsBefore)
    {
        try
        {
            return await evictions.KeepAsync(store, keeping.Key, stored, keeping.Tags, lifetime.MaxAge, evictionsBefore);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "The cache store could not keep an answer.");
            return false;
        }
    }

    /// <summary>Where a miss keeps its answer, and who waits for it.</summary>
    sealed record Keeping(string Key, string[] Tags, TaskCompletionSource<CachedAnswer?>? Lead);

    /// <summary>A hit: the stored headers, the lifetime left, and the stored bytes, written as they are.</summary>
    static async Task Serve(HttpContext http, CachedAnswer answer, DateTimeOffset now)
    {
        var response = http.Response;
        var headers = response.Headers;
        var notModified = NotModified.Applies(http.Request, answer.ETag, answer.LastModified);
        foreach (var (name, value) in answer.Headers)
            headers[name] = value;
        headers.CacheControl = answer.CacheControlAt(now);
        headers.Vary = VaryOf(http);
        if (notModified)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            headers.ContentType = default;
            return;
        }
        response.StatusCode = answer.Status;
        response.ContentLength = answer.Body.Length;
        if (!HttpMethods.IsHead(http.Request.Method))
            await response.BodyWriter.WriteAsync(answer.Body, http.RequestAborted);
    }

    async Task Render(HttpContext http, Lifetime lifetime, DateTimeOffset? nextChange, DateTimeOffset now, Keeping? keeping)
    {
        CachedAnswer? shared = null;
        try
        {
            shared = await RenderAndKeep(http, lifetime, nextChange, now, keeping);
        }
        finally
        {
            if (keeping?.Lead is { } lead)
                renderings.Done(keeping.Key, lead, shared);
        }
    }

    async Task<CachedAnswer?> RenderAndKeep(HttpContext http, Lifetime lifetime, DateTimeOffset? nextChange, DateTimeOffset now, Keeping? keeping)
    {
        var response = http.Response;
        VaryOnStart(http);
        var evictionsBefore = evictions.Count;
        var body = http.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        using var buffer = new BodyBuffer();
        var buffering = new StreamResponseBodyFeature(buffer, body);
        http.Features.Set<IHttpResponseBodyFeature>(buffering);
        try
        {
            await next(http);
            await buffering.CompleteAsync();
        }
        finally
        {
            http.Features.Set(body);
        }

        if (ResourceSchedule.Of(http) is { } own && (nextChange is null || own < nextChange))
            lifetime = Lifetime.Until(now, own, options.Value);

        var status = response.StatusCode;
        // Read from a standby behind a change already evicted (the primary is down): no cache may keep it.
        var behind = Data.ReadRoute.Behind;
        if (behind)
            response.Headers.CacheControl = "no-store";
        else if (status is StatusCodes.Status200OK or StatusCodes.Status404NotFound or StatusCodes.Status410Gone)
            response.Headers.CacheControl = lifetime.Header;
        else if (status >= 400)
            response.Headers.CacheControl = "no-store";
        if (status != StatusCodes.Status200OK)
        {
            response.Headers.LastModified = default;
            // An empty error body is left for the status-code pages to fill in with a problem.
            if (buffer.Length > 0 || status < 400)
                await Write(http, body, buffer.Written);
            return null;
        }

        response.Headers.ETag = ETag(buffer.Written.Span, response.Headers.ETag.ToString());
        (CachedAnswer Answer, byte[] Stored)? kept = keeping is not null && !behind && lifetime.MaxAge > TimeSpan.Zero && response.Headers.SetCookie.Count == 0
                                                    && buffer.Length <= storeOptions.Value.MaximumBodySize && evictions.Count == evictionsBefore
            ? CachedAnswer.Keep(response, buffer.Written.Span, now, lifetime)
            : null;

        // The client first, then the store (a shared one is a round trip away). A conditional read that misses is
        // answered 304 and still leaves the whole answer for the next.
        if (NotModified.Applies(http.Request, response.Headers.ETag.ToString(), LastModified(response)))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            response.ContentLength = null;
            response.Headers.ContentType = default;
        }
        else
            await Write(http, body, buffer.Written);
        return kept is { } k && await TryKeep(keeping!, k.Stored, lifetime, evictionsBefore) ? k.Answer : null;
    }

    static async Task Write(HttpContext http, IHttpResponseBodyFeature body, ReadOnlyMemory<byte> bytes)
    {
        http.Response.ContentLength = bytes.Length;
        if (!HttpMethods.IsHead(http.Request.Method))
            await body.Writer.WriteAsync(bytes, http.RequestAborted);
    }

    /// <summary>
    /// Strong, over the exact bytes, so each representation has its own; prefixed with the row version when the
    /// handler knows it, so the same ETag also works as If-Match for a write (see Preconditions).
    /// </summary>
    static string ETag(ReadOnlySpan<byte> bytes, string fromHandler)
    {
        var hash = Base64Url.EncodeToString(SHA256.HashData(bytes))[..22];
        var version = fromHandler.Trim('"');
        return version.Length > 0 && !version.Contains('.') ? $"\"{version}.{hash}\"" : $"\"{hash}\"";
    }

    /// <summary>
    /// The tags as one header value, the names a change records (<c>cache_invalidations</c>), so a CDN purge by tag
    /// evicts what the service evicts: space-separated in Fastly's <c>Surrogate-Key</c>, comma-separated in the others
    /// (Cloudflare's <c>Cache-Tag</c>, Akamai's <c>Edge-Cache-Tag</c>). A route value from the URL may hold any
    /// character: anything outside visible ASCII, and the comma, is percent-encoded (real slugs never are), so no path
    /// can make a header Kestrel refuses or split a tag in two.
    /// </summary>
    static string SurrogateKeys(string[] tags, string header)
    {
        var separator = header.Equals("Surrogate-Key", StringComparison.OrdinalIgnoreCase) ? ' ' : ',';
        var value = new System.Text.StringBuilder();
        foreach (var tag in tags)
        {
            if (value.Length > 0)
                value.Append(separator);
            foreach (var c in tag)
            {
                if (c is > ' ' and < (char)0x7F and not ',')
                    value.Append(c);
                else
                    value.Append(Uri.EscapeDataString(c.ToString()));
            }
        }
        return value.ToString();
    }

    static DateTimeOffset? LastModified(HttpResponse response) =>
        Microsoft.Net.Http.Headers.HeaderUtilities.TryParseDate(response.Headers.LastModified.ToString(), out var at) ? at : null;

    static void VaryOnStart(HttpContext http) =>
        http.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            http.Response.Headers.Vary = VaryOf(http);
            return Task.CompletedTask;
        }, http);
}
