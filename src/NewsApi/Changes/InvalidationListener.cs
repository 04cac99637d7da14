using System.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsApi.Api.Caching;
using NewsApi.Data;
using NewsApi.Sync;
using Npgsql;

namespace NewsApi.Changes;

/// <summary>
/// Reads the invalidations every instance commits from the table and applies them here: with Redis, the safety net
/// under pub/sub (see <see cref="RedisInvalidations"/>), not the way changes usually arrive. Rows are read by the
/// transaction that wrote them, below the commit horizon (as the sync log is, Decisions/0016-sync.md), never by id: an
/// id is taken at the insert, so a transaction that took a lower one can commit after a higher one was read, and a
/// reader that went on from the highest id it saw would never see it.
/// </summary>
internal sealed class InvalidationListener(IServiceScopeFactory scopes, Invalidations invalidations, IOptions<CachingOptions> options, ILogger<InvalidationListener> logger)
    : BackgroundService
{
    /// <summary>The commit horizon (<see cref="SyncLog.HorizonSql"/>) as EF reads a scalar.</summary>
    const string Horizon = "SELECT (" + SyncLog.HorizonSql + ") AS \"Value\"";

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        string? from = null;
        // Real time, not the content clock: this bounds how late other instances' changes reach this one.
        using var timer = new PeriodicTimer(options.Value.InvalidationPoll);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
                await using var read = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, stopping);
                var horizon = await db.Database.SqlQueryRaw<string>(Horizon).SingleAsync(stopping);
                // The first read starts from now: what was committed before this instance started, it never served.
                // This instance's own changes were applied at their commit.
                var tags = from is null ? [] : await db.Database.SqlQueryRaw<string>("""
                    SELECT DISTINCT unnest(tags) AS "Value" FROM cache_invalidations
                    WHERE xid >= @from::xid8 AND xid < @horizon::xid8 AND origin IS DISTINCT FROM @instance
                    """, new NpgsqlParameter("from", from), new NpgsqlParameter("horizon", horizon),
                    new NpgsqlParameter("instance", invalidations.Instance)).ToListAsync(stopping);
                var position = tags.Count == 0 ? 0 : await invalidations.PositionAsync((NpgsqlConnection)db.Database.GetDbConnection(), stopping);
                await read.CommitAsync(stopping);
                from = horizon;
                if (tags.Count > 0)
                    await invalidations.ApplyAsync(tags, position);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                logger.LogWarning(e, "Could not read cache invalidations; retrying");
            }
        } while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false) || !stopping.IsCancellationRequested);
    }
}
