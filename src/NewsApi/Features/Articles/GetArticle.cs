using System.Security.Claims;
using Mapster;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Api.Auth;
using NewsApi.Content;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Features.Articles;

internal static class GetArticle
{
    /// <summary>
    /// The public see published articles only; previewers and editors see every status (the status field says
    /// which). A killed article answers 410 with its reason to everyone.
    /// </summary>
    public static async Task<Results<Ok<ArticleResponse>, NotFoundProblem, GoneProblem>> ById(
        Guid id, NewsDbContext db, TimeProvider clock, ClaimsPrincipal user, HttpContext http, CancellationToken ct) =>
        Answer(await ArticleReads.Find(db, a => a.Id == id, ct), clock, user, http, $"There is no published article with id {id}.") switch
        {
            Ok<ArticleResponse> ok => ok,
            GoneProblem gone => gone,
            var other => (NotFoundProblem)other,
        };

    /// <summary>An old slug answers 301 to the article's current address, so shared links keep working.</summary>
    public static async Task<Results<Ok<ArticleResponse>, RedirectHttpResult, NotFoundProblem, GoneProblem>> BySlug(
        string slug, NewsDbContext db, TimeProvider clock, ClaimsPrincipal user, HttpContext http, CancellationToken ct)
    {
        var missing = $"There is no published article with slug '{slug}'.";
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
            return TypedResults.Redirect($"{http.Request.PathBase}{ArticleEndpoints.SlugPath(current.Slug)}{http.Request.QueryString}", permanent: true);
        return Problems.NotFound(missing);
    }

    static IResult Answer(Article? article, TimeProvider clock, ClaimsPrincipal user, HttpContext http, string missing)
    {
        if (article?.Status == ArticleStatus.Killed)
            return Problems.Gone($"This article was withdrawn: {article.KillReason}");
        if (article is null || !ArticleVisibility.MaySee(article, clock.GetUtcNow(), user.CanPreview()))
            return Problems.NotFound(missing);
        Preconditions.SetETag(http, article.Version);
        return TypedResults.Ok(article.Adapt<ArticleResponse>());
    }
}
