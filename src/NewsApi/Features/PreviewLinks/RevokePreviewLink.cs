using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Data;

namespace NewsApi.Features.PreviewLinks;

internal static class RevokePreviewLink
{
    /// <summary>Revoking twice is the same as once; the link stays listed with the first revocation's time.</summary>
    public static async Task<Results<NoContent, NotFoundProblem>> Handle(Guid id, Guid linkId, NewsDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var changed = await db.PreviewLinks.Where(l => l.Id == linkId && l.ArticleId == id && l.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.RevokedAt, now), ct);
        return changed > 0 || await db.PreviewLinks.AnyAsync(l => l.Id == linkId && l.ArticleId == id, ct)
            ? TypedResults.NoContent()
            : Problems.NotFound($"Article {id} has no preview link {linkId}.");
    }
}
