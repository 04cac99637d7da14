using System.Security.Claims;
using FluentValidation;
using Mapster;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NewsApi.Reads;
using NewsApi.Api;
using NewsApi.Changes;
using NewsApi.Api.Auth;
using NewsApi.Content;
using NewsApi.Data;
using NewsApi.Data.Entities;
using NewsApi.Features.Articles;

namespace NewsApi.Features.FeaturedLists;

/// <param name="Id">The entry's id, for changing or removing it; absent on backfill.</param>
/// <param name="Article">The featured article; status says whether the public can see it.</param>
/// <param name="Position">Order among the entries, lowest first (pinned entries come before all others).</param>
/// <param name="Pinned">Shown before every entry that is not pinned.</param>
/// <param name="FeaturedAt">Since when the entry is on the list in this form.</param>
/// <param name="VisibleFrom">Shown only from this time.</param>
/// <param name="VisibleUntil">Shown only until this time.</param>
/// <param name="Backfill">True when the entry fills the list from its section rather than being chosen.</param>
internal sealed record FeaturedEntry(
    Guid? Id, ArticleSummary Article, int Position, bool Pinned, DateTimeOffset FeaturedAt,
    DateTimeOffset? VisibleFrom, DateTimeOffset? VisibleUntil, bool Backfill);

internal sealed record FeaturedListResponse(
    string Slug, string Title, string? Section, int MaxItems, DateTimeOffset At, IReadOnlyList<FeaturedEntry> Entries);

internal static class GetFeaturedList
{
    public sealed record Query(string? At)
    {
        public DateTimeOffset? AtTime => QueryValues.ParseTime(At);
    }

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator() => RuleFor(q => q.At).Must(QueryValues.IsTime).WithMessage(QueryValues.TimeMessage("at"));
    }

    /// <summary>
    /// The public see entries whose articles are public. A key of any role (a preview) also sees entries of draft,
    /// scheduled and embargoed articles (never killed ones), each carrying its status; backfill stays public either way.
    /// </summary>
    public static async Task<Results<Ok<FeaturedListResponse>, RenderedJson.Envelope, RedirectHttpResult, NotFoundProblem, ValidationProblem>> Handle(
        string slug, [AsParameters] Query query, NewsDbContext db, TimeProvider clock, ClaimsPrincipal user, HttpContext http, CancellationToken ct)
    {
        // Looking ahead is a preview's (ScheduledPreview): the public's history ends now.
        if (query.AtTime > clock.GetUtcNow() && !user.CanPreview())
            return Problems.Invalid("at", "at cannot be in the future without a previewer, editor or admin key.");
        var list = await db.FeaturedLists.AsNoTracking().FirstOrDefaultAsync(l => l.Slug == slug, ct);
        if (list is null)
            return await RetiredSlugs.Current(db, ResourceKinds.FeaturedList, slug, ct) is { } current
                ? Moved.To(http, FeaturedListEndpoints.Path(current))
                : Problems.NotFound($"There is no featured list '{slug}'.");
        Preconditions.SetETag(http, list.Version);
        if (user.CanPreview())
            return TypedResults.Ok(await Read(db, list, query.AtTime, clock.GetUtcNow(), ct));

        // The public's entries with their articles as the read model stored them.
        var now = clock.GetUtcNow();
        var shown = await ShownFeaturedList.Read(db, list, query.AtTime, now, preview: false, ct);
        var items = await PublicArticles.Items(db, shown.Entries.Select(e => e.ArticleId).ToList(), now, ct);
        var entries = shown.Entries.Where(e => items.ContainsKey(e.ArticleId))
            .Select(e => Entry(e, ArticleSummary.Of(e.ArticleId, items[e.ArticleId], null, ItemShape.Summary))).ToList();
        return RenderedJson.Of(new FeaturedListResponse(list.Slug, list.Title, shown.Section, list.MaxItems, shown.At, entries));
    }

    /// <summary>
    /// The entries the list shows a preview (see <see cref="ShownFeaturedList"/>), each with its article's summary: for
    /// reads with a key and for writes' answers.
    /// </summary>
    internal static async Task<FeaturedListResponse> Read(NewsDbContext db, FeaturedList list, DateTimeOffset? atTime, DateTimeOffset now, CancellationToken ct)
    {
        var shown = await ShownFeaturedList.Read(db, list, atTime, now, preview: true, ct);
        var ids = shown.Entries.Select(e => e.ArticleId).ToList();
        var summaries = await db.Articles.AsNoTracking().Where(a => ids.Contains(a.Id)).ProjectToType<ArticleSummary>()
            .ToDictionaryAsync(a => a.Id, ct);
        var entries = shown.Entries.Select(e => Entry(e, summaries[e.ArticleId])).ToList();
        return new FeaturedListResponse(list.Slug, list.Title, shown.Section, list.MaxItems, shown.At, entries);
    }

    static FeaturedEntry Entry(ShownEntry e, ArticleSummary article) =>
        new(e.Id, article, e.Position, e.Pinned, e.FeaturedAt, e.VisibleFrom, e.VisibleUntil, e.Backfill);
}
