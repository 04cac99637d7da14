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

namespace NewsApi.Features.Authors;

/// <summary>An author as the API shows them; the e-mail address only to editors and admins, never in a public or cached answer.</summary>
internal sealed record AuthorResponse(
    string Slug, string Name, string? Bio, string? Photo, string? JobTitle, IReadOnlyList<string> SameAs,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    string? Email = null)
{
    public static AuthorResponse Of(Data.Entities.Author a, System.Security.Claims.ClaimsPrincipal user) =>
        Public(a) with { Email = user.CanEdit() ? a.Email : null };

    /// <summary>What anyone may read of the author (no e-mail): the public reads and the sync API.</summary>
    public static AuthorResponse Public(Data.Entities.Author a) => new(a.Slug, a.Name, a.Bio, a.Photo, a.JobTitle, a.SameAs);
}

internal static class AuthorEndpoints
{
    const string Group = "/authors";

    /// <summary>The author's address, for Location headers.</summary>
    public static string Path(string slug) => $"{ApiRoutes.Prefix}{Group}/{slug}";

    public static readonly Revised Revised = new(ResourceKinds.Author, "author", "Author",
        (db, slug, ct) => db.Authors.Where(a => a.Slug == slug).Select(a => (Guid?)a.Id).FirstOrDefaultAsync(ct));

    public static RouteGroupBuilder MapAuthors(this RouteGroupBuilder api)
    {
        var authors = api.MapGroup(Group).WithTags("Authors").WithResourceParameters();
        authors.MapGet("/", ListAuthors.Handle).WithName("listAuthors").WithValidation().WithScripts().PublicRead(CacheTags.Authors)
            .WithSummary("List authors")
            .WithDescription("All authors in slug order, with photo, job title and sameAs links, paged with the opaque cursor from " +
                             $"nextCursor. Editors and admins also see each author's email. An author's articles are at {ApiRoutes.Prefix}/articles?author={{slug}}, " +
                             "their feed at /feeds/authors/{slug}.rss (.atom, .json).");
        authors.MapGet("/{slug}", BySlug).WithName("getAuthor").WithScripts().PublicRead(CacheTags.Authors)
            .WithSummary("Get an author by slug")
            .WithDescription("The author's name, biography, photo, job title and sameAs links, with the ETag; editors and admins also see " +
                             $"the email, which public answers never carry. Their articles are at {ApiRoutes.Prefix}/articles?author={{slug}}. " +
                             "A slug the author used to have answers 301 with the current address in Location.")
            .Produces(StatusCodes.Status301MovedPermanently);

        var writes = authors.MapGroup("").RequireAuthorization(Policies.Editor);
        writes.MapPost("/", WriteAuthor.Create).WithName("createAuthor").WithValidation()
            .WithSummary("Create an author")
            .WithDescription("The slug is generated from the name (pinyin for Chinese) unless given; a slug already taken is a 409.");
        writes.MapPut("/{slug}", WriteAuthor.Replace).WithName("replaceAuthor").WithValidation()
            .WithSummary("Replace an author")
            .WithDescription("Requires If-Match with the ETag you read (428 without it, 412 when stale). Members left out are cleared; " +
                             "a left-out slug stays. A new slug must be free, and the old one keeps answering 301. Stores a revision.");
        writes.MapPatch("/{slug}", WriteAuthor.Patch).WithName("patchAuthor")
            .Accepts<System.Text.Json.Nodes.JsonObject>("application/merge-patch+json", "application/json")
            .WithSummary("Change part of an author (JSON Merge Patch)")
            .WithDescription("RFC 7396: members sent replace, null removes, others stay. If-Match is required as for PUT.");
        writes.MapDelete("/{slug}", WriteAuthor.Delete).WithName("deleteAuthor")
            .WithSummary("Delete an author")
            .WithDescription("Requires If-Match. An author still credited on articles is a 409 saying on how many: take them off first.");
        authors.MapRevisions(Revised, WriteAuthor.Restore);
        return api;
    }

    public static async Task<Results<Ok<AuthorResponse>, RedirectHttpResult, NotFoundProblem>> BySlug(
        string slug, NewsDbContext db, System.Security.Claims.ClaimsPrincipal user, HttpContext http, CancellationToken ct)
    {
        var author = await db.Authors.AsNoTracking().FirstOrDefaultAsync(a => a.Slug == slug, ct);
        if (author is null)
            return await RetiredSlugs.Current(db, ResourceKinds.Author, slug, ct) is { } current
                ? Moved.To(http, Path(current))
                : Problems.NotFound($"There is no author '{slug}'.");
        Preconditions.SetETag(http, author.Version);
        return TypedResults.Ok(AuthorResponse.Of(author, user));
    }
}
