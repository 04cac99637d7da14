using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace NewsApi.Api.Caching;

/// <summary>Settings of the <c>Redis</c> section.</summary>
internal sealed class RedisOptions
{
    public const string Section = "Redis";

    /// <summary>A StackExchange.Redis configuration string (<c>host:6379,password=…</c>); unset, each instance keeps its own cache in memory.</summary>
    public string? Configuration { get; set; }

    /// <summary>Prefix of every key and channel, so deployments can share one Redis.</summary>
    public string InstanceName { get; set; } = "newsapi:";

    public bool Configured => !string.IsNullOrWhiteSpace(Configuration);

    public static bool Parses(string? configuration)
    {
        try
        {
            ConfigurationOptions.Parse(configuration ?? "");
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

/// <summary>
/// With <c>Redis:Configuration</c>, the answers every instance keeps live in one Redis (ASP.NET Core's Redis output cache
/// store), so a change evicted once is gone for all. Redis is a cache, never a dependency: while it cannot be reached the
/// store is skipped (reads are served uncached, /health/ready says "degraded"), and when it is back everything in it is
/// evicted, since changes made meanwhile could not evict their answers there.
/// </summary>
internal static class SharedStore
{
    public static IServiceCollection AddSharedStore(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<RedisOptions>().Bind(config.GetSection(RedisOptions.Section))
            .Validate(o => !o.Configured || RedisOptions.Parses(o.Configuration),
                "Redis:Configuration is not a StackExchange.Redis configuration string (host:port[,option=value…]).")
            .ValidateOnStart();
        var redis = config.GetSection(RedisOptions.Section).Get<RedisOptions>() ?? new RedisOptions();
        if (!redis.Configured || !RedisOptions.Parses(redis.Configuration))
            return services;

        services.AddSingleton<IConnectionMultiplexer>(s =>
        {
            var options = ConfigurationOptions.Parse(redis.Configuration!);
            // Start without Redis, reconnect in the background, and fail a command at once while disconnected
            // instead of queueing it: a request never waits for a cache.
            options.AbortOnConnectFail = false;
            options.BacklogPolicy = BacklogPolicy.FailFast;
            options.ClientName ??= "newsapi";
            return ConnectionMultiplexer.Connect(options);
        });
        services.AddStackExchangeRedisOutputCache(o => o.InstanceName = redis.InstanceName);
        services.AddOptions<Microsoft.AspNetCore.OutputCaching.StackExchangeRedis.RedisOutputCacheOptions>().Configure<IServiceProvider>((o, s) =>
            o.ConnectionMultiplexerFactory = () => Task.FromResult(s.GetRequiredService<IConnectionMultiplexer>()));
        var store = services.Last(d => d.ServiceType == typeof(IOutputCacheStore));
        services.Remove(store);
        services.AddSingleton<IOutputCacheStore>(s =>
        {
            var inner = store.ImplementationType is { } type ? (IOutputCacheStore)ActivatorUtilities.CreateInstance(s, type)
                : store.ImplementationFactory is { } make ? (IOutputCacheStore)make(s) : (IOutputCacheStore)store.ImplementationInstance!;
            return new GuardedStore(inner, s.GetRequiredService<IConnectionMultiplexer>(), s.GetRequiredService<ILogger<GuardedStore>>());
        });
        services.AddHealthChecks().AddCheck<SharedStoreHealthCheck>("cache", tags: ["ready"]);
        return services;
    }
}

/// <summary>The Redis store, skipped while Redis cannot be reached and emptied when it is back.</summary>
internal sealed class GuardedStore : IOutputCacheStore
{
    readonly IOutputCacheStore _inner;
    readonly IConnectionMultiplexer _redis;
    readonly ILogger<GuardedStore> _logger;

    public GuardedStore(IOutputCacheStore inner, IConnectionMultiplexer redis, ILogger<GuardedStore> logger)
    {
        _inner = inner;
        _redis = redis;
        _logger = logger;
        redis.ConnectionFailed += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Interactive)
                _logger.LogWarning("Redis cannot be reached ({Failure}): answers are served uncached until it is back.", e.FailureType);
        };
        redis.ConnectionRestored += (_, e) =>
        {
            if (e.ConnectionType != ConnectionType.Interactive)
                return;
            _logger.LogInformation("Redis is back: its cached answers are evicted, as changes made meanwhile could not evict them.");
            _ = EvictByTagAsync(Caching.PublicRead.EverythingTag, CancellationToken.None).AsTask();
        };
    }

    public async ValueTask<byte[]?> GetAsync(string key, CancellationToken ct)
    {
        if (!_redis.IsConnected)
            return null;
        try
        {
            return await _inner.GetAsync(key, ct);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return null;
        }
    }

    public async ValueTask SetAsync(string key, byte[] value, string[]? tags, TimeSpan validFor, CancellationToken ct)
    {
        if (!_redis.IsConnected)
            return;
        try
        {
            await _inner.SetAsync(key, value, tags, validFor, ct);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
        }
    }

    public async ValueTask EvictByTagAsync(string tag, CancellationToken ct)
    {
        if (!_redis.IsConnected)
            return; // evicted wholesale when the connection is back
        try
        {
            await _inner.EvictByTagAsync(tag, ct);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _logger.LogWarning("Redis could not evict {Tag} ({Message}).", tag, e.Message);
        }
    }
}

internal sealed class SharedStoreHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        Task.FromResult(redis.IsConnected
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Degraded("Redis cannot be reached: answers are served uncached."));
}
