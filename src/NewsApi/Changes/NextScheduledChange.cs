using Microsoft.EntityFrameworkCore;
using NewsApi.Api.Caching;
using NewsApi.Data;

namespace NewsApi.Changes;

/// <summary>
/// The time of the next change the clock will make to what the public can already read: a live article's scheduled
/// unpublish or the end of its breaking mark, a featured entry's window opening or closing on a live article. Lists, feeds and the rest cap their
/// lifetime by it (an article's own read is capped by its own unpublish, see GetArticle). Changes to what the public
/// cannot read yet — scheduled publishes, embargo ends — are left out on purpose: a lifetime that shrank towards them
/// would tell anyone polling any URL when an embargo lifts. Those changes are made by the scheduler, whose save
/// evicts this service's copies at once; downstream caches catch up within Caching:MaxAge, as after any edit.
/// Read from the database at most once a second per instance, and forgotten on every local or remote change.
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
                    (SELECT min(unpublish_at) FROM articles
                     WHERE unpublish_at IS NOT NULL AND status = 'Published' AND (embargo_until IS NULL OR embargo_until <= {now})),
                    (SELECT min(breaking_until) FROM articles
                     WHERE breaking_until IS NOT NULL AND status = 'Published' AND (embargo_until IS NULL OR embargo_until <= {now})),
                    (SELECT min(e.visible_from) FROM featured_list_entries e JOIN articles a ON a.id = e.article_id
                     WHERE e.removed_at IS NULL AND e.visible_from > {now}
                       AND a.status = 'Published' AND (a.embargo_until IS NULL OR a.embargo_until <= {now})),
                    (SELECT min(e.visible_until) FROM featured_list_entries e JOIN articles a ON a.id = e.article_id
                     WHERE e.removed_at IS NULL AND e.visible_until > {now}
                       AND a.status = 'Published' AND (a.embargo_until IS NULL OR a.embargo_until <= {now}))) AS "Value"
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
