using Microsoft.EntityFrameworkCore;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Content;

/// <summary>
/// An entry a featured list shows, its article by id for each reader to load in its own shape. Backfill has no
/// entry id, and its FeaturedAt is when its article was published.
/// </summary>
internal sealed record ShownEntry(
    Guid? Id, Guid ArticleId, int Position, bool Pinned, DateTimeOffset FeaturedAt,
    DateTimeOffset? VisibleFrom, DateTimeOffset? VisibleUntil, bool Backfill);

/// <summary>
/// Which entries of a featured list show at an instant, in the order shown: pinned first, then by position, each
/// inside its visibility window and its article visible, at most the list's maxItems, the rest back-filled with the
/// newest public articles of the list's section (Section, its slug) and its sub-sections. The endpoint and the feed
/// both read it here.
/// </summary>
internal sealed record ShownFeaturedList(string? Section, DateTimeOffset At, IReadOnlyList<ShownEntry> Entries)
{
    /// <summary>
    /// The list as of <paramref name="atTime"/> (default now). The public see entries whose articles are public now; a
    /// preview also sees entries of articles that have not gone live yet (never killed ones). Backfill stays public.
    /// A preview of a later time sees the list as the public will then, as the schedule stands: entries and backfill
    /// of articles public by then (<see cref="ArticleVisibility.PublicBySchedule"/>), a scheduled one at its publishAt.
    /// </summary>
    public static async Task<ShownFeaturedList> Read(
        NewsDbContext db, FeaturedList list, DateTimeOffset? atTime, DateTimeOffset now, bool preview, CancellationToken ct)
    {
        var at = atTime ?? now;
        var ahead = preview && at > now;
        // An entry counts at `at` when it had been featured, was not yet removed, was inside its visibility
        // window, and its article had gone live; the article must also be public now. A preview also counts
        // articles that have not gone live yet.
        var visible = ahead ? db.Articles.VisibleBySchedule(at) : db.Articles.VisibleAt(now).Where(a => (a.FirstPublishedAt ?? a.PublishedAt) <= at);
        var shown = preview && !ahead
            ? db.Articles.Where(ArticleVisibility.InPreviewLists)
                .Where(a => (a.FirstPublishedAt ?? a.PublishedAt) == null || (a.FirstPublishedAt ?? a.PublishedAt) <= at)
            : visible;
        var entries = await db.FeaturedListEntries.AsNoTracking()
            .Where(e => e.ListId == list.Id && e.FeaturedAt <= at
                        && (e.RemovedAt == null || e.RemovedAt > at)
                        && (e.VisibleFrom == null || e.VisibleFrom <= at)
                        && (e.VisibleUntil == null || e.VisibleUntil > at)
                        && shown.Any(a => a.Id == e.ArticleId))
            .OrderByDescending(e => e.Pinned).ThenBy(e => e.Position).ThenByDescending(e => e.FeaturedAt)
            .Take(list.MaxItems)
            .Select(e => new ShownEntry(e.Id, e.ArticleId, e.Position, e.Pinned, e.FeaturedAt, e.VisibleFrom, e.VisibleUntil, false))
            .ToListAsync(ct);

        string? sectionSlug = null;
        if (list.SectionId is { } sectionId)
        {
            sectionSlug = await db.Sections.Where(s => s.Id == sectionId).Select(s => s.Slug).FirstAsync(ct);
            if (entries.Count < list.MaxItems)
                entries.AddRange(await Backfill(db, visible, sectionSlug, entries.Select(e => e.ArticleId).ToList(),
                    list.MaxItems - entries.Count, entries.Count, ahead, ct));
        }
        return new ShownFeaturedList(sectionSlug, at, entries);
    }

    static async Task<IEnumerable<ShownEntry>> Backfill(
        NewsDbContext db, IQueryable<Article> visible, string sectionSlug, List<Guid> taken, int count, int after, bool ahead, CancellationToken ct)
    {
        var sections = await SectionTree.SelfAndDescendantIds(db, sectionSlug, ct) ?? [];
        var candidates = visible.AsNoTracking()
            .Where(a => a.SectionId != null && sections.Contains(a.SectionId.Value) && !taken.Contains(a.Id));
        // Looking ahead, a scheduled story is as new as its publishAt; otherwise the plain key keeps the section's index.
        var fill = await (ahead
                ? candidates.OrderByDescending(a => a.PublishedAt ?? a.PublishAt).ThenByDescending(a => a.Id).Take(count)
                    .Select(a => new { a.Id, PublishedAt = a.PublishedAt ?? a.PublishAt })
                : candidates.OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id).Take(count)
                    .Select(a => new { a.Id, a.PublishedAt }))
            .ToListAsync(ct);
        return fill.Select((a, i) => new ShownEntry(null, a.Id, after + i + 1, false, a.PublishedAt!.Value, null, null, true));
    }
}
