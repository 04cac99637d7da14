namespace NewsApi.Api.Caching;

/// <summary>
/// The mechanics of caching public reads: HTTP caching headers (ETag, 304, Cache-Control), this service's own output
/// cache of the routes marked <see cref="PublicRead"/>, and compression. What invalidates them lives with the content
/// (Changes/PublicReadCaching).
/// </summary>
internal static class HttpCachingSetup
{
    public static IServiceCollection AddHttpCaching(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<CachingOptions>().Bind(config.GetSection(CachingOptions.Section))
            .Validate(o => o.MaxAge >= TimeSpan.Zero && o.StaleWhileRevalidate >= TimeSpan.Zero, "Caching ages cannot be negative.")
            .Validate(o => o.InvalidationPoll > TimeSpan.Zero && o.InvalidationPoll <= TimeSpan.FromSeconds(1),
                "Caching:InvalidationPoll must be positive and at most one second (it bounds staleness across instances).")
            .ValidateOnStart();
        services.AddOutputCache(o =>
        {
            o.AddBasePolicy(b => b.AddPolicy<PublicReadPolicy>());
            o.SizeLimit = 256L * 1024 * 1024;
            o.MaximumBodySize = 16L * 1024 * 1024;
        });
        services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.MimeTypes = ["application/json", "application/problem+json", "application/ld+json", "application/ninjs+json",
                "application/feed+json", "application/rss+xml", "application/atom+xml", "application/xml", "text/xml", "application/x-ndjson"];
        });
        return services;
    }

    /// <summary>Compression outside, HTTP caching (ETag, 304, Cache-Control) next, this service's own cache inside.</summary>
    public static WebApplication UseHttpCaching(this WebApplication app)
    {
        app.UseResponseCompression();
        app.UseMiddleware<HttpCaching>();
        app.UseOutputCache();
        app.UseMiddleware<GeneratedAt>();
        return app;
    }
}
