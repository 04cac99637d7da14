using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Data;

namespace NewsApi.Features.FeaturedLists;

/// <summary>A featured list as the index shows it: what it is, not its entries (those are at its own address).</summary>
/// <param name="Slug">The list's slug, e.g. domestic.</param>
/// <param name="Title">The list's title, e.g. 國內新聞精選.</param>
/// <param name="Section">Slug of the section the list backfills from, if any.</param>
/// <param name="MaxItems">The most entries the list shows.</param>
/// <param name="UpdatedAt">When the list or its entries last changed.</param>
internal sealed record FeaturedListSummary(string Slug, string Title, string? Section, int MaxItems, DateTimeOffset UpdatedAt);

/// <summary>The index of featured lists, in slug order, by keyset: a frontend finds its lists here instead of knowing their slugs.</summary>
internal static class ListFeaturedLists
{
    public sealed record Query(string? Limit, string? Cursor)
    {
        public int LimitOrDefault => QueryValues.Limit(Limit);
    }

    const string ListName = "featured-lists";

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator(CursorSigner cursors)
        {
            RuleFor(q => q.Limit).ValidLimit();
            RuleFor(q => q.Cursor).Must(c => Cursor.TryDecode(cursors, c, ListName, "slug", out _))
                .WithMessage("cursor is not one this list gave out; start again without it.");
        }
    }

    public static async Task<Results<Ok<Page<FeaturedListSummary>>, ValidationProblem>> Handle(
        [AsParameters] Query query, NewsDbContext db, CursorSigner cursors, HttpContext http, CancellationToken ct)
    {
        Cursor.TryDecode(cursors, query.Cursor, ListName, "slug", out var after);
        var lists = db.FeaturedLists.AsNoTracking();
        if (after is not null)
        {
            // Slugs are unique, so the slug alone is the keyset; the cursor carries the list's id in its place.
            var last = await db.FeaturedLists.AsNoTracking().Where(l => l.Id == after.Id).Select(l => l.Slug).FirstOrDefaultAsync(ct);
            if (last is null)
                return Problems.Invalid("cursor", "cursor points at a featured list that no longer exists; start again without it.");
#pragma warning disable CA1309 // SQL compares under the column's collation, as the ORDER BY sorts; EF translates only this overload.
            lists = lists.Where(l => string.Compare(l.Slug, last) > 0);
#pragma warning restore CA1309
        }
        var limit = query.LimitOrDefault;
        var rows = await lists.OrderBy(l => l.Slug).Take(limit + 1)
            .Select(l => new
            {
                l.Id,
                Summary = new FeaturedListSummary(l.Slug, l.Title, db.Sections.Where(s => s.Id == l.SectionId).Select(s => s.Slug).FirstOrDefault(),
                    l.MaxItems, l.UpdatedAt),
            })
            .ToListAsync(ct);
        var next = rows.Count > limit ? new Cursor("slug", null, null, rows[limit - 1].Id).Encode(cursors, ListName) : null;
        Paging.AddNextLink(http, next);
        return TypedResults.Ok(new Page<FeaturedListSummary>(rows.Take(limit).Select(r => r.Summary).ToList(), next));
    }
}
