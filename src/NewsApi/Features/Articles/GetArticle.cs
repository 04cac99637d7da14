using System.Security.Claims;
using Mapster;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NewsApi.Reads;
using NewsApi.Api;
using NewsApi.Api.Auth;
using NewsApi.Api.Caching;
using NewsApi.Content;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Features.Articles;

internal static class GetArticle
{
    /// <summary>
    /// The public see published articles only, as the read model stored them (one query); previewers and editors see
    /// every status (the status field says which), read whole. A killed article answers 410 with its reason to everyone.
    /// </summary>
    public static async Task<Results<Ok<ArticleResponse>, RenderedJson.Document, NotFoundProblem, GoneProblem>> ById(
        Guid id, NewsDbContext db, TimeProvider clock, ClaimsPrincipal user, HttpContext http, CancellationToken ct)
    {
        var missing = $"There is no published article with id {id}.";
        var answer = user.CanPreview()
            ? Answer(await ArticleReads.Find(db, a => a.Id == id, ct), clock, user, http, missing)
            : Stored(await PublicArticles.ById(db, id, clock.GetUtcNow(), ct), http, missing);
        return answer switch
        {
            Ok<ArticleResponse> ok => ok,
            RenderedJson.Document document => document,
            GoneProblem gone => gone,
            var other => (NotFoundProblem)other,
        };
    }

    /// <summary>An old slug answers 301 to the article's current address, so shared links keep working.</summary>
    public static async Task<Results<Ok<ArticleResponse>, RenderedJson.Document, RedirectHttpResult, NotFoundProblem, GoneProblem>> BySlug(
        string slug, NewsDbContext db, TimeProvider clock, ClaimsPrincipal user, HttpContext http, CancellationToken ct)
    {
        var missing = $"There is no published article with slug '{slug}'.";
        if (!user.CanPreview())
        {
            var stored = await PublicArticles.BySlug(db, slug, clock.GetUtcNow(), ct);
            if (stored?.MovedTo is { } currentSlug)
                return Moved(http, currentSlug);
            return Stored(stored, http, missing) switch
            {
                RenderedJson.Document document => document,
                GoneProblem gone => gone,
                var other => (NotFoundProblem)other,
            };
        }
        var article = await ArticleReads.Find(db, a => a.Slug == slug, ct);
        if (article is not null)
            return Answer(article, clock, user, http, missing) switch
            {
                Ok<ArticleResponse> ok => ok,
                GoneProblem gone => gone,
                var other => (NotFoundProblem)other,
            };

        var current = await db.ArticleSlugs.AsNoTracking().Where(s => s.Slug == slug)
            .Join(db.Articles, s => s.ArticleId, a => a.Id, (s, a) => a)
            .FirstOrDefaultAsync(ct);
        if (current is not null && ArticleVisibility.MaySee(current, clock.GetUtcNow(), user.CanPreview()))
            return Moved(http, current.Slug);
        return Problems.NotFound(missing);
    }

    static RedirectHttpResult Moved(HttpContext http, string slug) => Api.Moved.To(http, ArticleEndpoints.SlugPath(slug));

    static IResult Stored(StoredArticle? stored, HttpContext http, string missing)
    {
        if (stored?.KillReason is { } reason)
            return Problems.Gone($"This article was withdrawn: {reason}");
        if (stored?.Document is not { } document)
            return Problems.NotFound(missing);
        Preconditions.SetETag(http, (uint)stored.Version);
        NoIndex(http, stored.Noindex);
        // Its own scheduled unpublish (or the end of its breaking mark) is the one change the clock makes to it; a 404 or 410 says nothing of any schedule.
        http.NextChangeAt(stored.UnpublishAt);
        return RenderedJson.Of(document);
    }

    static IResult Answer(Article? article, TimeProvider clock, ClaimsPrincipal user, HttpContext http, string missing)
    {
        if (article?.Status == ArticleStatus.Killed)
            return Problems.Gone($"This article was withdrawn: {article.KillReason}");
        if (article is null || !ArticleVisibility.MaySee(article, clock.GetUtcNow(), user.CanPreview()))
            return Problems.NotFound(missing);
        Preconditions.SetETag(http, article.Version);
        NoIndex(http, article.Noindex);
        return TypedResults.Ok(article.Adapt<ArticleResponse>());
    }

    /// <summary>
    /// An article that asks not to be indexed says so on every representation of it (JSON, ninjs, JSON-LD), for a
    /// crawler that reads the API, and in its data (noindex) for the frontend's own meta robots tag.
    /// </summary>
    static void NoIndex(HttpContext http, bool noindex)
    {
        if (noindex)
            http.Response.Headers["X-Robots-Tag"] = "noindex";
    }
}
