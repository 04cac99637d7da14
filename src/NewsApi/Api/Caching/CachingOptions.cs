namespace NewsApi.Api.Caching;

/// <summary>Settings of the <c>Caching</c> section.</summary>
internal sealed class CachingOptions
{
    public const string Section = "Caching";

    /// <summary>Longest time a public response may be reused (by CDNs, browsers and this service's own cache).</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long after that a cache may serve it while it fetches a fresh one.</summary>
    public TimeSpan StaleWhileRevalidate { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often each instance reads the invalidations other instances committed. Bounds staleness across instances.</summary>
    public TimeSpan InvalidationPoll { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Keep this service's own response cache (turn off to measure without it).</summary>
    public bool ServerCache { get; set; } = true;

    /// <summary>
    /// The response header that names a public answer's cache tags for a CDN to purge by (Fastly's
    /// <c>Surrogate-Key</c>; <c>Cache-Tag</c> for Cloudflare, <c>Edge-Cache-Tag</c> for Akamai); empty: none is sent.
    /// </summary>
    public string SurrogateKeyHeader { get; set; } = "Surrogate-Key";
}
