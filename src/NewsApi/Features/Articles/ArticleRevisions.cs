using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NewsApi.Reads;
using NewsApi.Api;
using NewsApi.Api.Auth;
using NewsApi.Articles;
using NewsApi.Content;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Features.Articles;

internal sealed record RevisionSummary(int Number, DateTimeOffset At, string Actor, string Action, IReadOnlyList<string> Fields);

internal sealed record RevisionResponse(int Number, DateTimeOffset At, string Actor, string Action, IReadOnlyList<string> Fields, ArticleContent Content);

internal sealed record RevisionList(IReadOnlyList<RevisionSummary> Items);

internal static class ArticleRevisions
{
    public static async Task<Results<Ok<RevisionList>, NotFoundProblem>> List(Guid id, NewsDbContext db, CancellationToken ct)
    {
        // A deleted article's history outlives it (its deletion last); an id that never was has none.
        var items = await db.ArticleRevisions.AsNoTracking().Where(r => r.ArticleId == id).OrderByDescending(r => r.Number)
            .Select(r => new RevisionSummary(r.Number, r.At, r.Actor, r.Action, r.Fields)).ToListAsync(ct);
        if (items.Count == 0 && !await db.Articles.AnyAsync(a => a.Id == id, ct))
            return Problems.NotFound($"There is no article with id {id}.");
        return TypedResults.Ok(new RevisionList(items));
    }

    // A killed article's text is withdrawn from previewers too (it answers them 410, as the article does); editors,
    // who may have to answer for the kill, still read what it said. (A comment, not a summary: the operation's is its own.)
    public static async Task<Results<Ok<RevisionResponse>, NotFoundProblem, GoneProblem>> Get(
        Guid id, int number, NewsDbContext db, ClaimsPrincipal user, CancellationToken ct)
    {
        var r = await db.ArticleRevisions.AsNoTracking().FirstOrDefaultAsync(r => r.ArticleId == id && r.Number == number, ct);
        if (r is null)
            return Problems.NotFound($"Article {id} has no revision {number}.");
        if (!user.CanEdit() && await db.Articles.Where(a => a.Id == id && a.Status == ArticleStatus.Killed).Select(a => a.KillReason ?? "").FirstOrDefaultAsync(ct) is { } reason)
            return Problems.Gone($"This article was withdrawn: {reason}");
        var body = r.Snapshot.Body is null ? await db.Articles.Where(a => a.Id == id).Select(a => a.Body).FirstOrDefaultAsync(ct) : null;
        return TypedResults.Ok(new RevisionResponse(r.Number, r.At, r.Actor, r.Action, r.Fields, r.Content(body)));
    }

    /// <summary>Puts an earlier revision's content back; the restore is itself a new revision. Status is not restored.</summary>
    public static async Task<Results<Ok<ArticleResponse>, NotFoundProblem, ConflictProblem, PreconditionFailedProblem>> Restore(
        Guid id, int number, ArticleWriter writer, NewsDbContext db, ClaimsPrincipal user, HttpContext http, CancellationToken ct)
    {
        var article = await writer.Load(id, ct);
        var revision = await db.ArticleRevisions.AsNoTracking().FirstOrDefaultAsync(r => r.ArticleId == id && r.Number == number, ct);
        if (article is null && revision is not null)
            return Problems.NotFound($"Article {id} was deleted; its revisions can be read, not restored. Create it again with the content of the revision you want.");
        if (article is null || revision is null)
            return Problems.NotFound($"Article {id} has no revision {number}.");
        if (ArticleLifecycle.Frozen(article, "be restored") is { } frozen)
            return Problems.Conflict(frozen.Detail);
        var (version, stale) = Preconditions.OptionalIfMatch(http, article.Version);
        if (stale is not null)
            return stale;
        if (version is { } read)
            writer.Expect(article, read);

        if (await writer.Restore(article, revision, user.Actor(), ct) is { } refused)
            return Problems.Conflict(refused.Detail);
        switch (await ResourceWrites.Save(db, ct))
        {
            case ConflictProblem conflict: return conflict;
            case PreconditionFailedProblem changed: return changed;
        }
        Preconditions.SetETag(http, article.Version);
        return TypedResults.Ok(await ArticleReads.Response(db, id, ct));
    }
}
