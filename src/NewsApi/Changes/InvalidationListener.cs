using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsApi.Api.Caching;
using NewsApi.Data;
using Npgsql;

namespace NewsApi.Changes;

/// <summary>
/// Reads the invalidations every instance commits from the table and applies them here: with Redis, the safety net
/// under pub/sub (see <see cref="RedisInvalidations"/>), not the way changes usually arrive.
/// </summary>
internal sealed class InvalidationListener(IServiceScopeFactory scopes, Invalidations invalidations, IOptions<CachingOptions> options, ILogger<InvalidationListener> logger)
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
                var position = await invalidations.PositionAsync((NpgsqlConnection)db.Database.GetDbConnection() is { State: System.Data.ConnectionState.Open } open ? open : null, stopping);
                await invalidations.ApplyAsync(fresh.SelectMany(i => i.Tags).ToHashSet(), position);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                logger.LogWarning(e, "Could not read cache invalidations; retrying");
            }
        } while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false) || !stopping.IsCancellationRequested);
    }
}
