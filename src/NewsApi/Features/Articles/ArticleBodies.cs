using Microsoft.EntityFrameworkCore;
using NewsApi.Reads;
using NewsApi.Content;
using NewsApi.Data;

namespace NewsApi.Features.Articles;

/// <summary>
/// Bodies for a preview's page of summaries whose <c>fields</c> ask for them (the public's stored items hold theirs):
/// one query for the page, and a list without these fields never reads a body.
/// </summary>
internal static class ArticleBodies
{
    public static async Task<List<ArticleSummary>> Apply(
        NewsDbContext db, List<ArticleSummary> page, IReadOnlyList<string> fields, CancellationToken ct)
    {
        var blocks = fields.Contains(ItemShape.Body);
        var html = fields.Contains(ItemShape.BodyHtml);
        if (!blocks && !html || page.Count == 0)
            return page;
        var ids = page.Select(a => a.Id).ToList();
        var bodies = await db.Articles.AsNoTracking().Where(a => ids.Contains(a.Id))
            .Select(a => new { a.Id, a.Body, a.Notices, a.Genre, a.Language, a.IsAccessibleForFree, a.PaywallAfter })
            .ToDictionaryAsync(a => a.Id, ct);
        return page.Select(a => a with
        {
            Body = blocks ? bodies[a.Id].Body : null,
            BodyHtml = html && bodies[a.Id] is var b ? ArticleHtml.Of(b.Body, b.Notices, b.Genre, b.Language, b.IsAccessibleForFree, b.PaywallAfter) : null,
        }).ToList();
    }
}
