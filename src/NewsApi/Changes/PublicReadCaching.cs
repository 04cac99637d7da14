using NewsApi.Api.Caching;

namespace NewsApi.Changes;

/// <summary>
/// Caching of public reads, whole: the HTTP mechanics (Api/Caching) plus what only the content knows — the next
/// scheduled change, and the invalidations every content change commits, applied on every instance.
/// </summary>
internal static class PublicReadCaching
{
    public static IServiceCollection AddPublicReadCaching(this IServiceCollection services, IConfiguration config)
    {
        services.AddHttpCaching(config);
        services.AddSingleton<NextScheduledChange>();
        services.AddSingleton<INextScheduledChange>(s => s.GetRequiredService<NextScheduledChange>());
        services.AddSingleton<ICacheEvictor, OutputCacheEvictor>();
        services.AddHostedService<InvalidationListener>();
        return services;
    }
}
