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
    public sealed record Query(string? Limit, string? Cursor) : IPagedQuery;

    const string ListName = "featured-lists";

    public sealed class Validator(CursorSigner cursors) : PagedQueryValidator<Query>(cursors, ListName, "slug");

    public static async Task<Results<Ok<Page<FeaturedListSummary>>, ValidationProblem>> Handle(
        [AsParameters] Query query, NewsDbContext db, CursorSigner cursors, HttpContext http, CancellationToken ct)
    {
        var (page, invalid) = await KeysetPaging.ByUniqueText(db.FeaturedLists, nameof(Data.Entities.FeaturedList.Slug), query, ListName,
            "cursor points at a featured list that no longer exists; start again without it.",
            l => new
            {
                l.Id,
                Summary = new FeaturedListSummary(l.Slug, l.Title, db.Sections.Where(s => s.Id == l.SectionId).Select(s => s.Slug).FirstOrDefault(),
                    l.MaxItems, l.UpdatedAt),
            },
            r => r.Id, r => r.Summary, cursors, http, ct);
        return invalid is not null ? invalid : TypedResults.Ok(page!);
    }
}
