using NewsApi.Api.Caching;

namespace NewsApi.Changes;

/// <summary>
/// Caching of public reads, whole: the HTTP mechanics (Api/Caching) plus what only the content knows — the next
/// scheduled change, and the invalidations every content change commits, pushed to every instance: by Redis pub/sub
/// where Redis is configured (which also holds the shared store), else by PostgreSQL's LISTEN/NOTIFY.
/// </summary>
internal static class PublicReadCaching
{
    public static IServiceCollection AddPublicReadCaching(this IServiceCollection services, IConfiguration config)
    {
        services.AddHttpCaching(config);
        services.AddSingleton<NextScheduledChange>();
        services.AddSingleton<INextScheduledChange>(s => s.GetRequiredService<NextScheduledChange>());
        services.AddSingleton<ICacheEvictor, OutputCacheEvictor>();
        services.AddSingleton<Invalidations>();
        if (config.GetSection(RedisOptions.Section).Get<RedisOptions>() is { Configured: true })
        {
            services.AddSingleton<RedisInvalidations>();
            services.AddSingleton<IInvalidationBus>(s => s.GetRequiredService<RedisInvalidations>());
            services.AddHostedService(s => s.GetRequiredService<RedisInvalidations>());
            services.AddHostedService<InvalidationListener>();
        }
        else
        {
            services.AddSingleton<PostgresNotifications>();
            services.AddSingleton<IInvalidationBus>(s => s.GetRequiredService<PostgresNotifications>());
            services.AddHostedService(s => s.GetRequiredService<PostgresNotifications>());
        }
        return services;
    }
}
