using System.Linq.Expressions;
using Mapster;
using Microsoft.EntityFrameworkCore;
using NewsApi.Data;
using NewsApi.Data.Entities;
using NewsApi.Reads;

namespace NewsApi.Features.Articles;

/// <summary>Loads one article whole, with everything its full response shows, whoever asks and whatever its status.</summary>
internal static class ArticleReads
{
    public static Task<Article?> Find(NewsDbContext db, Expression<Func<Article, bool>> match, CancellationToken ct) =>
        FullArticles.Of(db).FirstOrDefaultAsync(match, ct);

    /// <summary>The article as an editor sees it after a write, whatever its status.</summary>
    public static async Task<ArticleResponse> Response(NewsDbContext db, Guid id, CancellationToken ct) =>
        (await Find(db, a => a.Id == id, ct))!.Adapt<ArticleResponse>();
}
