using System.Diagnostics.Metrics;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using NewsApi.Api;
using NewsApi.Data;

namespace NewsApi.Search;

/// <summary>Settings of the <c>Search</c> section.</summary>
internal sealed class SearchOptions
{
    public const string Section = "Search";

    /// <summary>
    /// How many of the newest matching articles a query ranks. A query matching more (a common pair in a large
    /// archive) ranks its newest this-many, which keeps every query's cost bounded; see Decisions/0006-search.md.
    /// </summary>
    public int RankWindow { get; set; } = 100;

    /// <summary>Queue the articles that have no search row (written before search existed, or by raw SQL) when the service starts.</summary>
    public bool BackfillOnStart { get; set; } = true;

    /// <summary>Run the search indexer in this instance (any number may: each queued change is indexed by one).</summary>
    public bool IndexerEnabled { get; set; } = true;

    /// <summary>How long the indexer waits for the queue's notification before it looks anyway: the lag when a notification is lost.</summary>
    public TimeSpan IndexInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Most queued changes the indexer writes in one transaction.</summary>
    public int IndexBatch { get; set; } = 500;

    /// <summary>
    /// How many searches run at once; the rest wait their turn, oldest first. 0 takes Elasticsearch's size for its
    /// search pool, one and a half a processor core plus one (4 on two cores). Search is the costliest read: many
    /// more at once than there are cores only makes the slowest much slower (see Decisions/0006-search.md). Raise it
    /// when PostgreSQL has more cores than the service.
    /// </summary>
    public int MaxConcurrent { get; set; }

    /// <summary>How many searches may wait for a turn; beyond that a search is answered 503 with Retry-After.</summary>
    public int MaxQueued { get; set; } = 1000;
}

internal static class SearchSetup
{
    public static IServiceCollection AddSearch(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<SearchOptions>().Bind(config.GetSection(SearchOptions.Section))
            .Validate(o => o.RankWindow is >= 20 and <= 100_000, "Search:RankWindow must be from 20 to 100000.")
            .Validate(o => o.MaxConcurrent >= 0 && o.MaxQueued >= 0, "Search:MaxConcurrent and Search:MaxQueued cannot be negative.")
            .Validate(o => o.IndexInterval > TimeSpan.Zero && o.IndexInterval <= TimeSpan.FromSeconds(10),
                "Search:IndexInterval must be more than 0 and at most 00:00:10: the index lags by about that much.")
            .Validate(o => o.IndexBatch is >= 1 and <= 10_000, "Search:IndexBatch must be from 1 to 10000.")
            .ValidateOnStart();
        services.AddHostedService<SearchBackfill>();
        services.AddSingleton<SearchIndexer>();
        services.AddHostedService(s => s.GetRequiredService<SearchIndexer>());
        services.AddHealthChecks().AddCheck<SearchIndexHealthCheck>("search-index", tags: ["ready"]);
        services.AddSingleton<SearchTurns>();
        return services;
    }

    /// <summary>
    /// Searches take turns inside the endpoint, after the caches: a search answered from a cache takes no turn, and
    /// an invalid one (refused by validation first) none either.
    /// </summary>
    public static RouteHandlerBuilder TakesSearchTurns(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter((context, next) => context.HttpContext.RequestServices.GetRequiredService<SearchTurns>().Take(context, next));
}

/// <summary>How many searches run at once and how many wait (<see cref="SearchOptions.MaxConcurrent"/>); one that cannot wait is a 503.</summary>
internal sealed class SearchTurns(IOptions<SearchOptions> options) : IDisposable
{
    readonly ConcurrencyLimiter _turns = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = options.Value.MaxConcurrent > 0 ? options.Value.MaxConcurrent : Environment.ProcessorCount * 3 / 2 + 1,
        QueueLimit = options.Value.MaxQueued,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    public async ValueTask<object?> Take(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        using var turn = await _turns.AcquireAsync(1, http.RequestAborted);
        if (turn.IsAcquired)
            return await next(context);
        http.Response.Headers.RetryAfter = "1";
        await ProblemWriter.Write(http, new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "Too many searches",
            Type = ProblemTypes.Unavailable,
            Detail = "Too many searches are waiting for their turn; try again in a second.",
        });
        return Results.Empty;
    }

    public void Dispose() => _turns.Dispose();
}

/// <summary>
/// Queues every article that has no search row, once, in the background after start: the change recorder queues new
/// writes; this covers rows that existed before (the migration cannot run the C# folding) or were written by raw SQL.
/// </summary>
internal sealed class SearchBackfill(IServiceScopeFactory scopes, IOptions<SearchOptions> options, ILogger<SearchBackfill> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        if (!options.Value.BackfillOnStart)
            return;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
            var queued = await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO search_queue (article_id)
                SELECT a.id FROM articles a
                WHERE NOT EXISTS (SELECT 1 FROM article_search_documents d WHERE d.article_id = a.id)
                  AND NOT EXISTS (SELECT 1 FROM search_queue q WHERE q.article_id = a.id)
                """, ct);
            if (queued > 0)
                logger.LogInformation("Search: queued {Count} article(s) that had no search row.", queued);
        }
        catch (Exception e) when (e is DbUpdateException or Npgsql.NpgsqlException or InvalidOperationException && !ct.IsCancellationRequested)
        {
            // The schema is not migrated yet: the next start tries again.
            logger.LogWarning(e, "Search: the backfill could not queue the articles without search rows.");
        }
    }
}

/// <summary>
/// The index's lag in <c>/health/ready</c>'s details: changes queued and the oldest one's age. Never unhealthy: a lagging
/// index answers searches still (never with what the public may no longer see), so the instance stays in service; a lag
/// that cannot be read while the primary is down is for the database check to judge (the standby may carry the reads).
/// </summary>
internal sealed class SearchIndexHealthCheck(NewsDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(
        HealthCheckContext context, CancellationToken ct = default)
    {
        SearchLag lag;
        try
        {
            lag = await SearchQueue.Lag(db, ct);
        }
        catch (Exception e) when (DatabaseFailure.IsUnavailable(e))
        {
            return HealthCheckResult.Degraded("The primary cannot be reached: the index's lag is unknown.");
        }
        return HealthCheckResult.Healthy(data: new Dictionary<string, object>
        {
            ["queued"] = lag.Queued,
            ["oldestQueuedSeconds"] = Math.Round(lag.Oldest.TotalSeconds, 3),
        });
    }
}
