using FluentValidation;
using Mapster;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Data;
using NewsApi.Features.Articles;
using NewsApi.Features.Sections;

namespace NewsApi.Features.FeaturedLists;

public sealed record FeaturedEntry(
    ArticleSummary Article, int Position, bool Pinned, DateTimeOffset FeaturedAt,
    DateTimeOffset? VisibleFrom, DateTimeOffset? VisibleUntil, bool Backfill);

public sealed record FeaturedListResponse(
    string Slug, string Title, string? Section, int MaxItems, DateTimeOffset At, IReadOnlyList<FeaturedEntry> Entries);

public static class GetFeaturedList
{
    public sealed record Query(string? At)
    {
        public DateTimeOffset? AtTime => QueryValues.ParseTime(At);
    }

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator(TimeProvider clock)
        {
            RuleFor(q => q.At).Must(QueryValues.IsTime).WithMessage(QueryValues.TimeMessage("at"));
            RuleFor(q => q.AtTime).Must(t => t is null || t <= clock.GetUtcNow())
                .OverridePropertyName("at").WithMessage("at cannot be in the future.");
        }
    }

    public static async Task<Results<Ok<FeaturedListResponse>, NotFoundProblem, ValidationProblem>> Handle(
        string slug, [AsParameters] Query query, NewsDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var list = await db.FeaturedLists.AsNoTracking().FirstOrDefaultAsync(l => l.Slug == slug, ct);
        if (list is null)
            return Problems.NotFound($"There is no featured list '{slug}'.");

        var now = clock.GetUtcNow();
        var at = query.AtTime ?? now;
        // An entry counts at `at` when it had been featured, was not yet removed, was inside its visibility
        // window, and its article had gone live; the article must also be public now.
        var visible = db.Articles.VisibleAt(now).Where(a => (a.FirstPublishedAt ?? a.PublishedAt) <= at);
        var entries = await db.FeaturedListEntries.AsNoTracking()
            .Where(e => e.ListId == list.Id && e.FeaturedAt <= at
                        && (e.RemovedAt == null || e.RemovedAt > at)
                        && (e.VisibleFrom == null || e.VisibleFrom <= at)
                        && (e.VisibleUntil == null || e.VisibleUntil > at)
                        && visible.Any(a => a.Id == e.ArticleId))
            .OrderByDescending(e => e.Pinned).ThenBy(e => e.Position).ThenByDescending(e => e.FeaturedAt)
            .Take(list.MaxItems)
            .Select(e => new { e.ArticleId, e.Position, e.Pinned, e.FeaturedAt, e.VisibleFrom, e.VisibleUntil })
            .ToListAsync(ct);

        var ids = entries.Select(e => e.ArticleId).ToList();
        var summaries = await db.Articles.AsNoTracking().Where(a => ids.Contains(a.Id)).ProjectToType<ArticleSummary>()
            .ToDictionaryAsync(a => a.Id, ct);
        var result = entries
            .Select(e => new FeaturedEntry(summaries[e.ArticleId], e.Position, e.Pinned, e.FeaturedAt, e.VisibleFrom, e.VisibleUntil, false))
            .ToList();

        string? sectionSlug = null;
        if (list.SectionId is { } sectionId)
        {
            sectionSlug = await db.Sections.Where(s => s.Id == sectionId).Select(s => s.Slug).FirstAsync(ct);
            if (result.Count < list.MaxItems)
                result.AddRange(await Backfill(db, visible, sectionSlug, ids, list.MaxItems - result.Count, result.Count, ct));
        }

        return TypedResults.Ok(new FeaturedListResponse(list.Slug, list.Title, sectionSlug, list.MaxItems, at, result));
    }

    static async Task<IEnumerable<FeaturedEntry>> Backfill(
        NewsDbContext db, IQueryable<Data.Entities.Article> visible, string sectionSlug, List<Guid> taken, int count, int after, CancellationToken ct)
    {
        var sections = await SectionTree.SelfAndDescendantIds(db, sectionSlug, ct) ?? [];
        var fill = await visible.AsNoTracking()
            .Where(a => a.SectionId != null && sections.Contains(a.SectionId.Value) && !taken.Contains(a.Id))
            .OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id).Take(count)
            .ProjectToType<ArticleSummary>().ToListAsync(ct);
        return fill.Select((a, i) => new FeaturedEntry(a, after + i + 1, false, a.PublishedAt!.Value, null, null, true));
    }
}
