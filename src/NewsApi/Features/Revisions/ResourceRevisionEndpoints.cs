using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Api.Auth;
using NewsApi.Api.OpenApi;
using NewsApi.Changes;
using NewsApi.Data;
using NewsApi.Features.Articles;

namespace NewsApi.Features.Revisions;

/// <summary>One revision of a section, topic, featured list, tag or author: the resource as its editor would write it after that change.</summary>
internal sealed record ResourceRevisionResponse(int Number, DateTimeOffset At, string Actor, string Action, IReadOnlyList<string> Fields, JsonObject Content);

/// <summary>
/// What a resource tells the revision routes: its stored kind, its name in messages and operation ids, how its slug
/// finds its id, and its restore (which knows what of an old state can come back).
/// </summary>
internal sealed record Revised(string Kind, string Noun, string Name, Func<NewsDbContext, string, CancellationToken, Task<Guid?>> IdOf);

/// <summary>
/// The revision routes of every resource besides articles, on the same paths articles have:
/// <c>{slug}/revisions</c>, <c>{slug}/revisions/{n}</c> and <c>{slug}/revisions/{n}/restore</c>.
/// </summary>
internal static class ResourceRevisionEndpoints
{
    static readonly Dictionary<string, ParameterDoc> Parameters = new()
    {
        ["number"] = new("The revision's number, from 1 for the resource's creation."),
    };

    public static void MapRevisions(this RouteGroupBuilder resources, Revised resource, Delegate restore)
    {
        var revisions = resources.MapGroup("/{slug}/revisions").WithTags("Revisions").WithParameterDocs(Parameters);
        revisions.MapGet("/", (string slug, NewsDbContext db, CancellationToken ct) => List(resource, slug, db, ct))
            .WithName($"list{resource.Name}Revisions").RequireAuthorization(Policies.Previewer)
            .WithSummary($"List a {resource.Noun}'s revisions")
            .WithDescription("Newest first: who changed what (member names) and when. Renames, and membership or entries where the " +
                             "resource has them, are changes too. A deleted resource's revisions stay readable at the slug it had, its " +
                             "deletion last (action deleted), while no other takes that slug.");
        revisions.MapGet("/{number:int}", (string slug, int number, NewsDbContext db, CancellationToken ct) => Get(resource, slug, number, db, ct))
            .WithName($"get{resource.Name}Revision").RequireAuthorization(Policies.Previewer)
            .WithSummary("Read one revision")
            .WithDescription($"The {resource.Noun} as its editor would write it after that change; a deleted {resource.Noun}'s too.");
        revisions.MapPost("/{number:int}/restore", restore).WithName($"restore{resource.Name}Revision").RequireAuthorization(Policies.Editor)
            .WithSummary("Restore a revision")
            .WithDescription($"Puts that revision's state back as a new revision (action restored-n), as a PUT would: If-Match with the " +
                             $"{resource.Noun}'s ETag is required (428 without it, 412 when stale). A slug taken by another {resource.Noun} " +
                             $"since, and references deleted since, do not come back. A deleted {resource.Noun} is not restored here (404): " +
                             "create it again with the content of the revision you want.");
    }

    static async Task<Results<Ok<RevisionList>, NotFoundProblem>> List(Revised resource, string slug, NewsDbContext db, CancellationToken ct)
    {
        if (await IdOf(resource, slug, db, ct) is not { } id)
            return Problems.NotFound($"There is no {resource.Noun} '{slug}'.");
        var items = await db.ResourceRevisions.AsNoTracking().Where(r => r.Kind == resource.Kind && r.ResourceId == id)
            .OrderByDescending(r => r.Number).Select(r => new RevisionSummary(r.Number, r.At, r.Actor, r.Action, r.Fields)).ToListAsync(ct);
        return TypedResults.Ok(new RevisionList(items));
    }

    static async Task<Results<Ok<ResourceRevisionResponse>, NotFoundProblem>> Get(Revised resource, string slug, int number, NewsDbContext db, CancellationToken ct)
    {
        var revision = await IdOf(resource, slug, db, ct) is { } id ? await ResourceRevisions.Find(db, resource.Kind, id, number, ct) : null;
        if (revision is null)
            return Problems.NotFound($"The {resource.Noun} '{slug}' has no revision {number}.");
        return TypedResults.Ok(new ResourceRevisionResponse(revision.Number, revision.At, revision.Actor, revision.Action, revision.Fields, revision.Snapshot));
    }

    /// <summary>The revision a restore puts back, or the 404 to answer.</summary>
    public static async Task<(Data.Entities.ResourceRevision? Revision, NotFoundProblem? Missing)> ToRestore(
        Revised resource, string slug, int number, NewsDbContext db, CancellationToken ct)
    {
        if (await resource.IdOf(db, slug, ct) is not { } id)
            return (null, await ResourceRevisions.DeletedId(db, resource.Kind, slug, ct) is null
                ? Problems.NotFound($"There is no {resource.Noun} '{slug}'.")
                : Problems.NotFound($"The {resource.Noun} '{slug}' was deleted; its revisions can be read, not restored. Create it again with the content of the revision you want."));
        var revision = await ResourceRevisions.Find(db, resource.Kind, id, number, ct);
        return revision is null ? (null, Problems.NotFound($"The {resource.Noun} '{slug}' has no revision {number}.")) : (revision, null);
    }

    /// <summary>
    /// Stages the deletion's revision, inside the delete's transaction: the last one of the resource's history, which
    /// stays readable at the slug it had.
    /// </summary>
    public static Task Deleting(Revised resource, NewsDbContext db, Guid id, string slug, HttpContext http, CancellationToken ct) =>
        ResourceRevisions.Deleted(db, resource.Kind, id, slug, http.User.Actor(),
            http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(), ct);

    /// <summary>The resource at this slug now, or else the one deleted last while it had it: its history outlives it.</summary>
    static async Task<Guid?> IdOf(Revised resource, string slug, NewsDbContext db, CancellationToken ct) =>
        await resource.IdOf(db, slug, ct) ?? await ResourceRevisions.DeletedId(db, resource.Kind, slug, ct);
}
