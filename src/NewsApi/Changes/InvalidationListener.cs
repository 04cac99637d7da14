using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsApi.Api.Caching;
using NewsApi.Data;

namespace NewsApi.Changes;

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
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                logger.LogWarning(e, "Could not read cache invalidations; retrying");
            }
        } while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false) || !stopping.IsCancellationRequested);
    }
}
