using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace NewsApi.Api.Caching;

/// <summary>
/// HTTP caching of public reads that CDNs and browsers can trust: a strong ETag over the exact bytes sent,
/// 304 for If-None-Match and If-Modified-Since, and a Cache-Control lifetime (including stale-while-revalidate)
/// that never runs past the next change the clock will make. Responses to calls with a key are private, no-store.
/// </summary>
internal sealed class HttpCaching(RequestDelegate next, INextScheduledChange schedule, TimeProvider clock, IOptions<CachingOptions> options)
{
    public const string LifetimeKey = "newsapi.cache-lifetime";
    public const string NextChangeKey = "newsapi.next-change";
    static readonly string Vary = "Accept, Authorization, Accept-Encoding";

    public async Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) || http.PublicRead() is null)
        {
            await next(http);
            return;
        }
        http.Response.OnStarting(() =>
        {
            http.Response.Headers.Vary = Vary;
            return Task.CompletedTask;
        });
        if (request.Headers.Authorization.Count > 0)
        {
            await next(http);
            return;
        }

        var now = clock.GetUtcNow();
        var nextChange = await schedule.GetAsync(http.RequestAborted);
        http.Items[NextChangeKey] = nextChange;
        var until = nextChange is { } change ? change - now : TimeSpan.MaxValue;
        if (until < TimeSpan.Zero)
            until = TimeSpan.Zero;
        var maxAge = Min(options.Value.MaxAge, until);
        http.Items[LifetimeKey] = maxAge;

        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            await next(http);
        }
        finally
        {
            http.Response.Body = original;
        }

        var response = http.Response;
        if (response.StatusCode is StatusCodes.Status200OK or StatusCodes.Status404NotFound or StatusCodes.Status410Gone)
        {
            var swr = Min(options.Value.StaleWhileRevalidate, until - maxAge);
            response.Headers.CacheControl = $"public, max-age={Seconds(maxAge)}, stale-while-revalidate={Seconds(swr)}";
        }
        else if (response.StatusCode >= 400)
            response.Headers.CacheControl = "no-store";

        if (response.StatusCode != StatusCodes.Status200OK)
            response.Headers.LastModified = default;
        else
        {
            // Strong over the exact bytes, so each representation has its own; prefixed with the row version when the
            // handler knows it, so the same ETag also works as If-Match for a write (see Preconditions).
            var hash = Base64Url.EncodeToString(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)))[..22];
            var version = response.Headers.ETag.ToString().Trim('"');
            var etag = version.Length > 0 && !version.Contains('.') ? $"\"{version}.{hash}\"" : $"\"{hash}\"";
            response.Headers.ETag = etag;
            if (NotModified(request, etag, response.Headers.LastModified))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                response.ContentLength = null;
                response.Headers.ContentType = default;
                return;
            }
        }
        // An empty error body is left for the status-code pages to fill in with a problem.
        if (buffer.Length == 0 && response.StatusCode >= 400)
            return;
        response.ContentLength = buffer.Length;
        if (!HttpMethods.IsHead(request.Method))
        {
            buffer.Position = 0;
            await buffer.CopyToAsync(original, http.RequestAborted);
        }
    }

    /// <summary>RFC 9110: If-None-Match (weak comparison) decides when present; otherwise If-Modified-Since.</summary>
    static bool NotModified(HttpRequest request, string etag, string? lastModified)
    {
        var ifNoneMatch = request.Headers.IfNoneMatch.ToString();
        if (!string.IsNullOrWhiteSpace(ifNoneMatch))
            return ifNoneMatch.Split(',', StringSplitOptions.TrimEntries).Any(t => t == "*" || t == etag || t == "W/" + etag);
        return DateTimeOffset.TryParse(request.Headers.IfModifiedSince.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since)
               && DateTimeOffset.TryParse(lastModified, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var modified)
               && modified <= since;
    }

    static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b < TimeSpan.Zero ? TimeSpan.Zero : b;

    static long Seconds(TimeSpan t) => (long)Math.Floor(t.TotalSeconds);
}
