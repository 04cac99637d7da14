namespace NewsApi.Api.Caching;

/// <summary>
/// The mechanics of caching public reads: HTTP caching headers (ETag, 304, Cache-Control) and this service's own copy
/// of the routes marked <see cref="PublicRead"/> (both <see cref="HttpCaching"/>, over ASP.NET Core's output cache
/// store, which a shared store can replace), and compression. What invalidates them lives with the content
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
        // Only the store and its limits: HttpCaching does the middleware's work (see there for why).
        services.AddOutputCache(o =>
        {
            o.SizeLimit = 256L * 1024 * 1024;
            o.MaximumBodySize = 16L * 1024 * 1024;
        });
        services.AddSharedStore(config);
        services.AddSingleton<Renderings>();
        services.AddSingleton<Evictions>();
        services.AddSingleton<DeclaredQuery>();
        services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.MimeTypes = ["application/json", "application/problem+json", "application/ld+json", "application/ninjs+json",
                "application/feed+json", "application/rss+xml", "application/atom+xml", "application/xml", "text/xml", "application/x-ndjson"];
        });
        return services;
    }

    /// <summary>
    /// Compression outside (a stored answer is compressed per client), undeclared query parameters refused, then HTTP
    /// caching with this service's own copy.
    /// </summary>
    public static WebApplication UseHttpCaching(this WebApplication app)
    {
        app.UseResponseCompression();
        app.UseMiddleware<UndeclaredParameters>();
        app.UseMiddleware<HttpCaching>();
        app.UseMiddleware<GeneratedAt>();
        return app;
    }
}
