using Microsoft.EntityFrameworkCore;
using NewsApi.Changes;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Scheduling;

/// <summary>
/// Announces a featured entry's window opening or closing at its time (visibleFrom, visibleUntil), when nobody writes
/// to the list: the save marks the entries noted, and the change recorder turns that into featured-list.changed and
/// the list's cache evictions, as for an editor's write. The entries are claimed under <c>FOR UPDATE SKIP LOCKED</c>,
/// as the scheduler claims articles, so with several instances each crossing is announced once. Entries of articles
/// the public cannot read are noted without an announcement: the public list did not change.
/// </summary>
internal static class FeaturedWindows
{
    const int Batch = 100;

    /// <summary>Announces what has crossed by <paramref name="now"/>; returns how many lists were announced.</summary>
    public static async Task<int> AnnounceAsync(NewsDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // A bound counts when it falls after the entry was featured (or last reshaped) and after what was last noted.
        var due = await db.Database.SqlQuery<Guid>($"""
            SELECT e.id AS "Value" FROM featured_list_entries e
            WHERE e.removed_at IS NULL
              AND ((e.visible_from <= {now} AND e.visible_from > GREATEST(e.featured_at, COALESCE(e.window_noted_at, '-infinity')))
                OR (e.visible_until <= {now} AND e.visible_until > GREATEST(e.featured_at, COALESCE(e.window_noted_at, '-infinity'))))
            LIMIT {Batch}
            FOR UPDATE SKIP LOCKED
            """).ToListAsync(ct);
        if (due.Count == 0)
            return 0;

        var quiet = db.FeaturedListEntries.Where(e => due.Contains(e.Id)
            && !(e.Article.Status == ArticleStatus.Published && (e.Article.EmbargoUntil == null || e.Article.EmbargoUntil <= now)));
        await quiet.ExecuteUpdateAsync(u => u.SetProperty(e => e.WindowNotedAt, now), ct);
        var entries = await db.FeaturedListEntries.Where(e => due.Contains(e.Id) && e.WindowNotedAt != now).ToListAsync(ct);
        foreach (var entry in entries)
            entry.WindowNotedAt = now;
        var lists = entries.Select(e => e.ListId).Distinct().ToList();
        foreach (var slug in await db.FeaturedLists.Where(l => lists.Contains(l.Id)).Select(l => l.Slug).ToListAsync(ct))
            db.AuditEntries.Add(ScheduledPublisher.Audit(now, "featured-window", ChangeAudit.Address(ResourceKinds.FeaturedList, slug)));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return lists.Count;
    }
}
