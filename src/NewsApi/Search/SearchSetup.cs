using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
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
        // The turns come from the bound and validated Search options, not from a second read of the configuration.
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<SearchOptions>>((limiter, search) =>
        {
            limiter.AddConcurrencyLimiter(Turns, o =>
            {
                o.PermitLimit = search.Value.MaxConcurrent > 0 ? search.Value.MaxConcurrent : Environment.ProcessorCount * 3 / 2 + 1;
                o.QueueLimit = search.Value.MaxQueued;
                o.QueueProcessingOrder = QueueProcessingOrder.OldestFirst;
            });
            limiter.OnRejected = async (context, _) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "1";
                await ProblemWriter.Write(context.HttpContext, new ProblemDetails
                {
                    Status = StatusCodes.Status503ServiceUnavailable,
                    Title = "Too many searches",
                    Type = ProblemTypes.Unavailable,
                    Detail = "Too many searches are waiting for their turn; try again in a second.",
                });
            };
        });
        return services;
    }

    /// <summary>The rate-limiting policy that gives searches their turns.</summary>
    public const string Turns = "search-turns";
}

/// <summary>
/// Gives every article without search vectors its vectors, in batches, in the background after start. The
/// change recorder keeps new writes right; this covers rows that existed before (the migration cannot run the C# folding).
/// </summary>
internal sealed class SearchBackfill(IServiceScopeFactory scopes, IOptions<SearchOptions> options, ILogger<SearchBackfill> logger) : BackgroundService
{
    const int BatchSize = 500;

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
                await SearchDocumentWriter.Copy(db, missing, ct);
                total += missing.Count;
            }
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
