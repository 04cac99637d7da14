using Microsoft.EntityFrameworkCore;
using NewsApi.Api.Caching;
using NewsApi.Data;

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

    public async ValueTask<DateTimeOffset?> GetAsync(CancellationToken ct)
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
            // One statement, each part on its own partial index; LEAST skips the parts with nothing due.
            var next = await db.Database.SqlQuery<DateTimeOffset?>($"""
                SELECT LEAST(
                    (SELECT min(publish_at) FROM articles WHERE status = 'Scheduled'),
                    (SELECT min(unpublish_at) FROM articles WHERE unpublish_at IS NOT NULL AND status = 'Published'),
                    (SELECT min(embargo_until) FROM articles WHERE embargo_until IS NOT NULL AND status = 'Published'),
                    (SELECT min(visible_from) FROM featured_list_entries WHERE removed_at IS NULL AND visible_from > {now}),
                    (SELECT min(visible_until) FROM featured_list_entries WHERE removed_at IS NULL AND visible_until > {now})) AS "Value"
                """).SingleAsync(ct);
            _memo = (now, next);
            return next;
        }
        finally
        {
            _gate.Release();
        }
    }
}
