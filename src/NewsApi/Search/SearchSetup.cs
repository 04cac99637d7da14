using System.Diagnostics.Metrics;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
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

    /// <summary>Fill missing search vectors (articles written before search existed, or by raw SQL) when the service starts.</summary>
    public bool BackfillOnStart { get; set; } = true;

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
            .ValidateOnStart();
        services.AddHostedService<SearchBackfill>();
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
/// Gives every article without search vectors its vectors, in batches, in the background after start. The
/// change recorder keeps new writes right; this covers rows that existed before (the migration cannot run the C# folding).
/// How many are left is the search index's only lag, gauge <see cref="Unindexed"/>: counted once when the back-fill
/// starts, then lowered batch by batch to 0 (a committed write is searchable at once, so it stays 0 until the next start).
/// </summary>
internal sealed class SearchBackfill : BackgroundService
{
    public const string Unindexed = "newsapi.search.unindexed";
    const int BatchSize = 500;

    readonly IServiceScopeFactory scopes;
    readonly IOptions<SearchOptions> options;
    readonly ILogger<SearchBackfill> logger;
    long _unindexed = -1; // not counted yet

    public SearchBackfill(IServiceScopeFactory scopes, IOptions<SearchOptions> options, IMeterFactory meters,
        ILogger<SearchBackfill> logger)
    {
        this.scopes = scopes;
        this.options = options;
        this.logger = logger;
        meters.Create(NewsMetrics.MeterName).CreateObservableGauge(Unindexed,
            () => Interlocked.Read(ref _unindexed) is var left and >= 0 ? [new Measurement<long>(left)] : Array.Empty<Measurement<long>>(),
            "{article}", "Articles the search back-fill has still to index (search-index lag); 0 once it is done.");
    }

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        if (!options.Value.BackfillOnStart)
            return;
        var total = 0;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
                var missing = await db.Articles.AsNoTracking()
                    .Where(a => !db.Set<ArticleSearchDocument>().Any(d => d.ArticleId == a.Id))
                    .Select(a => new SearchText(a.Id, a.Title, a.Subtitle, a.Summary, a.Dateline, a.BodyText))
                    .Take(BatchSize).ToListAsync(ct);
                if (missing.Count == 0)
                    break;
                if (total == 0)
                    Interlocked.Exchange(ref _unindexed, await db.Articles.CountAsync(a => !db.Set<ArticleSearchDocument>().Any(d => d.ArticleId == a.Id), ct));
                await SearchDocumentWriter.Copy(db, missing, ct);
                total += missing.Count;
                Interlocked.Exchange(ref _unindexed, Math.Max(0, Interlocked.Read(ref _unindexed) - missing.Count));
            }
            Interlocked.Exchange(ref _unindexed, 0);
            if (total > 0)
                logger.LogInformation("Search: built the vectors of {Count} article(s) that had none.", total);
        }
        catch (Exception e) when (e is DbUpdateException or Npgsql.NpgsqlException or InvalidOperationException && !ct.IsCancellationRequested)
        {
            // Another instance may be filling the same rows, or the schema is not migrated yet: the next start retries.
            logger.LogWarning(e, "Search: backfill stopped after {Count} article(s).", total);
        }
    }
}
