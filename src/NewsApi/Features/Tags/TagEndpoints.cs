using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Api.Auth;
using NewsApi.Api.Caching;
using NewsApi.Api.OpenApi;
using NewsApi.Changes;
using NewsApi.Data;
using NewsApi.Data.Entities;
using NewsApi.Features.Revisions;

namespace NewsApi.Features.Tags;

internal sealed record TagResponse(string Slug, string Name);

internal static class TagEndpoints
{
    const string Group = "/tags";

    /// <summary>The tag's address, for Location headers.</summary>
    public static string Path(string slug) => $"{ApiRoutes.Prefix}{Group}/{slug}";

    public static readonly Revised Revised = new(ResourceKinds.Tag, "tag", "Tag",
        (db, slug, ct) => db.Tags.Where(t => t.Slug == slug).Select(t => (Guid?)t.Id).FirstOrDefaultAsync(ct));

    public static RouteGroupBuilder MapTags(this RouteGroupBuilder api)
    {
        var tags = api.MapGroup(Group).WithTags("Tags").WithResourceParameters();
        tags.MapGet("/", List).WithName("listTags").WithValidation().WithScripts().PublicRead(CacheTags.Tags)
            .WithSummary("List tags")
            .WithDescription("All tags in slug order, paged with the opaque cursor from nextCursor. " +
                             $"A tag's articles are at {ApiRoutes.Prefix}/articles?tag={{slug}}.");
        tags.MapGet("/{slug}", BySlug).WithName("getTag").WithScripts().PublicRead(CacheTags.Tags)
            .WithSummary("Get a tag by slug")
            .WithDescription($"The tag's name, with its ETag. Its articles are at {ApiRoutes.Prefix}/articles?tag={{slug}}. " +
                             "A slug the tag used to have answers 301 with the current address in Location.")
            .Produces(StatusCodes.Status301MovedPermanently);

        var writes = tags.MapGroup("").RequireAuthorization(Policies.Editor);
        writes.MapPost("/", WriteTag.Create).WithName("createTag").WithValidation()
            .WithSummary("Create a tag")
            .WithDescription("The slug is generated from the name (pinyin for Chinese) unless given; a slug already taken is a 409.");
        writes.MapPut("/{slug}", WriteTag.Replace).WithName("replaceTag").WithValidation()
            .WithSummary("Replace a tag")
            .WithDescription("Requires If-Match with the ETag you read (428 without it, 412 when stale). A left-out slug stays; " +
                             "a new slug must be free, and the old one keeps answering 301. Articles keep the tag. Stores a revision.");
        writes.MapPatch("/{slug}", WriteTag.Patch).WithName("patchTag")
            .Accepts<System.Text.Json.Nodes.JsonObject>("application/merge-patch+json", "application/json")
            .WithSummary("Change part of a tag (JSON Merge Patch)")
            .WithDescription("RFC 7396: members sent replace, others stay. If-Match is required as for PUT.");
        writes.MapDelete("/{slug}", WriteTag.Delete).WithName("deleteTag")
            .WithSummary("Delete a tag")
            .WithDescription("Requires If-Match. The tag is taken off every article that carries it, then deleted. Each of those " +
                             "articles gets a revision and an audit entry by the delete's actor (tag-deleted) and a new ETag.");
        tags.MapRevisions(Revised, WriteTag.Restore);
        return api;
    }

    public static async Task<Results<Ok<TagResponse>, RedirectHttpResult, NotFoundProblem>> BySlug(string slug, NewsDbContext db, HttpContext http, CancellationToken ct)
    {
        var tag = await db.Tags.AsNoTracking().FirstOrDefaultAsync(t => t.Slug == slug, ct);
        if (tag is null)
            return await RetiredSlugs.Current(db, ResourceKinds.Tag, slug, ct) is { } current
                ? Moved.To(http, Path(current))
                : Problems.NotFound($"There is no tag '{slug}'.");
        Preconditions.SetETag(http, tag.Version);
        return TypedResults.Ok(new TagResponse(tag.Slug, tag.Name));
    }

    public sealed record Query(string? Limit, string? Cursor) : IPagedQuery;

    const string ListName = "tags";

    public sealed class Validator(CursorSigner cursors) : PagedQueryValidator<Query>(cursors, ListName, "slug");

    public static async Task<Results<Ok<Page<TagResponse>>, ValidationProblem>> List(
        [AsParameters] Query query, NewsDbContext db, CursorSigner cursors, HttpContext http, CancellationToken ct)
    {
        var (page, invalid) = await KeysetPaging.ByUniqueText(db.Tags, nameof(Tag.Slug), query, ListName,
            "cursor points at a tag that no longer exists; start again without it.",
            t => new { t.Id, t.Slug, t.Name }, t => t.Id, t => new TagResponse(t.Slug, t.Name), cursors, http, ct);
        return invalid is not null ? invalid : TypedResults.Ok(page!);
    }
}
