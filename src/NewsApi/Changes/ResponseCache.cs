using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Changes;

/// <summary>Settings of the <c>Caching</c> section.</summary>
public sealed class CachingOptions
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
}

/// <summary>
/// The time of the next change that is due to happen by the clock rather than by a write: a scheduled publish or
/// unpublish, an embargo end, a featured entry's window opening or closing. No public response may be reused past
/// it. Read from the database at most once a second per instance, and forgotten on every local or remote change.
/// </summary>
public sealed class NextScheduledChange(IServiceScopeFactory scopes, TimeProvider clock)
{
    readonly SemaphoreSlim _gate = new(1, 1);
    (DateTimeOffset ReadAt, DateTimeOffset? Next)? _memo;

    public void Forget() => _memo = null;

    public async Task<DateTimeOffset?> GetAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (_memo is { } memo && now - memo.ReadAt < TimeSpan.FromSeconds(1) && now >= memo.ReadAt)
            return memo.Next;
        await _gate.WaitAsync(ct);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
            // Overdue changes (the scheduler has yet to make them) count too: they make the next change "now".
            var publish = await db.Articles.Where(a => a.Status == ArticleStatus.Scheduled).MinAsync(a => a.PublishAt, ct);
            var unpublish = await db.Articles.Where(a => a.UnpublishAt != null && a.Status == ArticleStatus.Published).MinAsync(a => a.UnpublishAt, ct);
            var embargo = await db.Articles.Where(a => a.EmbargoUntil != null && a.Status == ArticleStatus.Published).MinAsync(a => a.EmbargoUntil, ct);
            var opens = await db.FeaturedListEntries.Where(e => e.RemovedAt == null && e.VisibleFrom > now).MinAsync(e => e.VisibleFrom, ct);
            var closes = await db.FeaturedListEntries.Where(e => e.RemovedAt == null && e.VisibleUntil > now).MinAsync(e => e.VisibleUntil, ct);
            var next = new[] { publish, unpublish, embargo, opens, closes }.Where(t => t is not null).Min();
            _memo = (now, next);
            return next;
        }
        finally
        {
            _gate.Release();
        }
    }
}

/// <summary>Evicts from this instance's output cache, and forgets the next scheduled change.</summary>
internal sealed class OutputCacheEvictor(IServiceProvider services) : ICacheEvictor
{
    public async Task EvictAsync(IReadOnlyCollection<string> tags)
    {
        services.GetRequiredService<NextScheduledChange>().Forget();
        var store = services.GetService<IOutputCacheStore>();
        if (store is null)
            return;
        foreach (var tag in tags.Contains("all") ? ["all"] : tags)
            await store.EvictByTagAsync(tag, CancellationToken.None);
    }
}

/// <summary>Reads the invalidations every instance commits and applies them here; see CacheInvalidation.</summary>
internal sealed class InvalidationListener(IServiceScopeFactory scopes, ICacheEvictor evictor, IOptions<CachingOptions> options, ILogger<InvalidationListener> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        long last = -1;
        // Real time, not the content clock: this bounds how late other instances' changes reach this one.
        using var timer = new PeriodicTimer(options.Value.InvalidationPoll);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
                if (last < 0)
                {
                    last = await db.CacheInvalidations.MaxAsync(i => (long?)i.Id, stopping) ?? 0;
                    continue;
                }
                var fresh = await db.CacheInvalidations.AsNoTracking().Where(i => i.Id > last).OrderBy(i => i.Id).Take(1000).ToListAsync(stopping);
                if (fresh.Count == 0)
                    continue;
                last = fresh[^1].Id;
                await evictor.EvictAsync(fresh.SelectMany(i => i.Tags).ToHashSet());
                if (Random.Shared.Next(100) == 0)
                    await db.CacheInvalidations.Where(i => i.At < DateTimeOffset.UtcNow.AddHours(-1)).ExecuteDeleteAsync(stopping);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                logger.LogWarning(e, "Could not read cache invalidations; retrying");
            }
        } while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false) || !stopping.IsCancellationRequested);
    }
}

/// <summary>
/// What this service caches itself: anonymous GETs of public resources, keyed by path, query and Accept, tagged by
/// what they show so a change evicts exactly those (plus "all", for changes that show up everywhere).
/// </summary>
internal sealed class PublicReadPolicy : IOutputCachePolicy
{
    public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken ct)
    {
        var request = context.HttpContext.Request;
        var cacheable = (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
                        && request.Headers.Authorization.Count == 0
                        && context.HttpContext.RequestServices.GetRequiredService<IOptions<CachingOptions>>().Value.ServerCache
                        && Tags(request).Count > 0;
        context.EnableOutputCaching = cacheable;
        context.AllowCacheLookup = cacheable;
        context.AllowCacheStorage = cacheable;
        context.AllowLocking = true;
        if (!cacheable)
            return ValueTask.CompletedTask;
        context.CacheVaryByRules.QueryKeys = "*";
        context.CacheVaryByRules.HeaderNames = new("Accept");
        // Responses made before and after a scheduled change never share an entry: the key names the epoch.
        var next = context.HttpContext.Items[HttpCaching.NextChangeKey] as DateTimeOffset?;
        var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        context.CacheVaryByRules.VaryByValues["next-change"] = next is null ? "none" : (next <= now ? "due:" : "") + next.Value.UtcTicks;
        context.Tags.Add("all");
        foreach (var tag in Tags(request))
            context.Tags.Add(tag);
        return ValueTask.CompletedTask;
    }

    public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken ct) => ValueTask.CompletedTask;

    public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken ct)
    {
        var response = context.HttpContext.Response;
        if (response.StatusCode != StatusCodes.Status200OK || response.Headers.SetCookie.Count > 0)
        {
            context.AllowCacheStorage = false;
            return ValueTask.CompletedTask;
        }
        // Never keep a response past the next change the clock will make, nor past the configured age.
        var lifetime = context.HttpContext.Items[HttpCaching.LifetimeKey] as TimeSpan?;
        context.ResponseExpirationTimeSpan = lifetime is { } l && l > TimeSpan.Zero ? l : TimeSpan.FromTicks(1);
        if (lifetime is { } none && none <= TimeSpan.Zero)
            context.AllowCacheStorage = false;
        return ValueTask.CompletedTask;
    }

    /// <summary>Tags from the path: the kind of resource, and the resource itself where the path names it.</summary>
    static List<string> Tags(HttpRequest request)
    {
        var path = request.Path.Value ?? "";
        var parts = path.Trim('/').Split('/');
        if (path.StartsWith("/feeds/", StringComparison.Ordinal))
            return ["feeds"];
        if (path.StartsWith("/sitemap", StringComparison.Ordinal))
            return ["sitemaps"];
        if (parts is not ["api", "v1", var area, ..])
            return [];
        return (area, parts.Length) switch
        {
            ("articles", 3) => ["article-lists"],
            ("articles", 4) => [$"article:{parts[3]}"],
            ("articles", 5) when parts[3] == "slug" => [$"article-slug:{Uri.UnescapeDataString(parts[4])}"],
            ("sections", _) => ["sections"],
            ("topics", _) => ["topics"],
            ("featured-lists", _) => ["featured-lists"],
            ("tags", _) => ["tags"],
            ("authors", _) => ["authors"],
            ("search", _) => ["search"],
            _ => [],
        };
    }
}

public static class ResponseCacheSetup
{
    public static IServiceCollection AddResponseCaching(this IServiceCollection services, IConfiguration config)
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
        services.AddSingleton<NextScheduledChange>();
        services.AddSingleton<ICacheEvictor, OutputCacheEvictor>();
        services.AddSingleton<ChangeRecorder>();
        services.AddSingleton<ChangeCapture>();
        services.AddSingleton<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>(s => s.GetRequiredService<ChangeCapture>());
        services.AddHostedService<InvalidationListener>();
        services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.MimeTypes = ["application/json", "application/problem+json", "application/ld+json", "application/ninjs+json",
                "application/feed+json", "application/rss+xml", "application/atom+xml", "application/xml", "text/xml", "application/x-ndjson"];
        });
        return services;
    }

    /// <summary>Compression outside, HTTP caching (ETag, 304, Cache-Control) next, this service's own cache inside.</summary>
    public static WebApplication UseResponseCaching(this WebApplication app)
    {
        app.UseResponseCompression();
        app.UseMiddleware<HttpCaching>();
        app.UseOutputCache();
        app.UseMiddleware<GeneratedAt>();
        return app;
    }
}
