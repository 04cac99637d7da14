using Microsoft.EntityFrameworkCore;
using NewsApi.Api.Caching;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Changes;

/// <summary>
/// The time of the next change that is due to happen by the clock rather than by a write: a scheduled publish or
/// unpublish, an embargo end, a featured entry's window opening or closing. No public response may be reused past
/// it. Read from the database at most once a second per instance, and forgotten on every local or remote change.
/// </summary>
internal sealed class NextScheduledChange(IServiceScopeFactory scopes, TimeProvider clock) : INextScheduledChange, IDisposable
{
    readonly SemaphoreSlim _gate = new(1, 1);

    public void Dispose() => _gate.Dispose();
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
