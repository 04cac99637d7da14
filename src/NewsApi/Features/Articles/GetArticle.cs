using Mapster;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Features.Articles;

public static class GetArticle
{
    public static async Task<Results<Ok<ArticleResponse>, NotFoundProblem>> ById(
        Guid id, NewsDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var article = await Load(db, clock).FirstOrDefaultAsync(a => a.Id == id, ct);
        return article is null
            ? Problems.NotFound($"There is no published article with id {id}.")
            : TypedResults.Ok(article.Adapt<ArticleResponse>());
    }

    /// <summary>An old slug answers 301 to the article's current address, so shared links keep working.</summary>
    public static async Task<Results<Ok<ArticleResponse>, RedirectHttpResult, NotFoundProblem>> BySlug(
        string slug, NewsDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var article = await Load(db, clock).FirstOrDefaultAsync(a => a.Slug == slug, ct);
        if (article is not null)
            return TypedResults.Ok(article.Adapt<ArticleResponse>());

        var current = await db.ArticleSlugs.AsNoTracking().Where(s => s.Slug == slug)
            .Join(db.Articles.VisibleAt(clock.GetUtcNow()), s => s.ArticleId, a => a.Id, (s, a) => a.Slug)
            .FirstOrDefaultAsync(ct);
        if (current is not null)
            return TypedResults.Redirect($"{http.Request.PathBase}/api/v1/articles/slug/{Uri.EscapeDataString(current)}{http.Request.QueryString}", permanent: true);

        return Problems.NotFound($"There is no published article with slug '{slug}'.");
    }

    static IQueryable<Article> Load(NewsDbContext db, TimeProvider clock) => db.Articles.AsNoTracking()
        .VisibleAt(clock.GetUtcNow())
        .Include(a => a.Section)
        .Include(a => a.Authors).ThenInclude(x => x.Author)
        .Include(a => a.Tags).ThenInclude(x => x.Tag)
        .Include(a => a.Topics).ThenInclude(x => x.Topic)
        .AsSplitQuery();
}
