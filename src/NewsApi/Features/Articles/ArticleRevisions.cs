using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Api.Auth;
using NewsApi.Content;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Features.Articles;

public sealed record RevisionSummary(int Number, DateTimeOffset At, string Actor, string Action, IReadOnlyList<string> Fields);

public sealed record RevisionResponse(int Number, DateTimeOffset At, string Actor, string Action, IReadOnlyList<string> Fields, ArticleContent Content);

public sealed record RevisionList(IReadOnlyList<RevisionSummary> Items);

public static class ArticleRevisions
{
    public static async Task<Results<Ok<RevisionList>, NotFoundProblem>> List(Guid id, NewsDbContext db, CancellationToken ct)
    {
        if (!await db.Articles.AnyAsync(a => a.Id == id, ct))
            return Problems.NotFound($"There is no article with id {id}.");
        var items = await db.ArticleRevisions.AsNoTracking().Where(r => r.ArticleId == id).OrderByDescending(r => r.Number)
            .Select(r => new RevisionSummary(r.Number, r.At, r.Actor, r.Action, r.Fields)).ToListAsync(ct);
        return TypedResults.Ok(new RevisionList(items));
    }

    public static async Task<Results<Ok<RevisionResponse>, NotFoundProblem>> Get(Guid id, int number, NewsDbContext db, CancellationToken ct)
    {
        var r = await db.ArticleRevisions.AsNoTracking().FirstOrDefaultAsync(r => r.ArticleId == id && r.Number == number, ct);
        return r is null
            ? Problems.NotFound($"Article {id} has no revision {number}.")
            : TypedResults.Ok(new RevisionResponse(r.Number, r.At, r.Actor, r.Action, r.Fields, r.Snapshot));
    }

    /// <summary>Puts an earlier revision's content back; the restore is itself a new revision. Status is not restored.</summary>
    public static async Task<Results<Ok<ArticleResponse>, NotFoundProblem, ConflictProblem, PreconditionFailedProblem>> Restore(
        Guid id, int number, ArticleWriter writer, NewsDbContext db, ClaimsPrincipal user, HttpContext http, CancellationToken ct)
    {
        var article = await writer.Load(id, ct);
        var revision = await db.ArticleRevisions.AsNoTracking().FirstOrDefaultAsync(r => r.ArticleId == id && r.Number == number, ct);
        if (article is null || revision is null)
            return Problems.NotFound($"Article {id} has no revision {number}.");
        if (article.Status == ArticleStatus.Killed)
            return Problems.Conflict($"The article was killed ({article.KillReason}); it cannot be restored.");
        if (http.Request.Headers.IfMatch.Count > 0)
        {
            var (version, problem) = Preconditions.IfMatch(http, article.Version);
            if (problem is PreconditionFailedProblem stale)
                return stale;
            db.Entry(article).Property(a => a.Version).OriginalValue = version!.Value;
        }

        var snapshot = revision.Snapshot;
        // The slug stays where it is, unless the old one is still free: links to the current one keep working either way.
        if (snapshot.Slug is { } slug && await db.Articles.AnyAsync(a => a.Slug == slug && a.Id != id, ct))
            snapshot = snapshot with { Slug = null };
        // Tags, authors or a section deleted since then cannot come back.
        snapshot = snapshot with
        {
            Section = snapshot.Section is { } s && await db.Sections.AnyAsync(x => x.Slug == s, ct) ? s : null,
            Tags = await db.Tags.Where(t => (snapshot.Tags ?? new List<string>()).Contains(t.Slug)).Select(t => t.Slug).ToListAsync(ct) is var tags
                ? (snapshot.Tags ?? []).Where(tags.Contains).ToList() : null,
            Authors = await db.Authors.Where(a => (snapshot.Authors ?? new List<string>()).Contains(a.Slug)).Select(a => a.Slug).ToListAsync(ct) is var authors
                ? (snapshot.Authors ?? []).Where(authors.Contains).ToList() : null,
        };
        var fields = await writer.Apply(article, snapshot, ct);
        await writer.Revise(article, user.Actor(), $"restored-{number}", fields, ct);
        switch (await ResourceWrites.Save(db, ct))
        {
            case ConflictProblem conflict: return conflict;
            case PreconditionFailedProblem stale: return stale;
        }
        Preconditions.SetETag(http, article.Version);
        return TypedResults.Ok(await ArticleReads.Response(db, id, ct));
    }
}
