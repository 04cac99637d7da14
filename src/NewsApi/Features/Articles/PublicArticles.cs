using NewsApi.Data.Entities;

namespace NewsApi.Features.Articles;

public static class PublicArticles
{
    /// <summary>
    /// What the public may see: published and past any embargo. Everything else does not exist for
    /// anonymous callers (404, never 403), so every public read path starts here.
    /// </summary>
    public static IQueryable<Article> VisibleAt(this IQueryable<Article> articles, DateTimeOffset now) =>
        articles.Where(a => a.Status == ArticleStatus.Published && (a.EmbargoUntil == null || a.EmbargoUntil <= now));
}
