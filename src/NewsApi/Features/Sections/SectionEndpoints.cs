using NewsApi.Api;
using NewsApi.Api.Auth;
using NewsApi.Api.Caching;
using NewsApi.Api.OpenApi;
using NewsApi.Changes;
using NewsApi.Content;
using NewsApi.Data.Entities;
using NewsApi.Features.Revisions;
using Microsoft.EntityFrameworkCore;

namespace NewsApi.Features.Sections;

internal static class SectionEndpoints
{
    const string Group = "/sections";

    static readonly Dictionary<string, ParameterDoc> Parameters = new()
    {
        ["moveTo"] = new("Slug of the section that takes over the deleted section's articles and sub-sections (and featured lists " +
                         "filled from it); without it, a section that still holds any is not deleted (409).", MaxLength: Slugs.MaxLookupLength),
    };

    /// <summary>The section's address, for Location headers.</summary>
    public static string Path(string slug) => $"{ApiRoutes.Prefix}{Group}/{slug}";

    public static readonly Revised Revised = new(ResourceKinds.Section, "section", "Section",
        (db, slug, ct) => db.Sections.Where(s => s.Slug == slug).Select(s => (Guid?)s.Id).FirstOrDefaultAsync(ct));

    public static RouteGroupBuilder MapSections(this RouteGroupBuilder api)
    {
        var sections = api.MapGroup(Group).WithTags("Sections")
            .WithResourceParameters().WithParameterDocs(Parameters);
        sections.MapGet("/", GetSections.Tree).WithName("listSections").WithScripts().PublicRead(CacheTags.Sections)
            .WithSummary("The section tree")
            .WithDescription("Every section with its sub-sections nested under children, ordered by position.");
        sections.MapGet("/{slug}", GetSections.BySlug).WithName("getSection").WithScripts().PublicRead(CacheTags.Sections)
            .WithSummary("Get a section by slug")
            .WithDescription("The section, its path from the top of the tree (breadcrumbs) and its direct sub-sections, with its ETag. " +
                             $"Its articles are at {ApiRoutes.Prefix}/articles?section={{slug}}, sub-sections included. " +
                             "A slug the section used to have answers 301 with the current address in Location.")
            .Produces(StatusCodes.Status301MovedPermanently);

        var writes = sections.MapGroup("").RequireAuthorization(Policies.Editor).WithContentBodyLimit();
        writes.MapPost("/", WriteSection.Create).WithName("createSection").WithValidation()
            .WithSummary("Create a section")
            .WithDescription("The slug is generated from the name (pinyin for Chinese) unless given; a slug already taken is a 409. " +
                             "parent names the section above it by slug.");
        writes.MapPut("/{slug}", WriteSection.Replace).WithName("replaceSection").WithValidation()
            .WithSummary("Replace a section")
            .WithDescription("Requires If-Match with the ETag you read (428 without it, 412 when someone changed the section since). " +
                             "Members left out are cleared; a left-out slug stays. A parent that is the section itself or one of its " +
                             "sub-sections is refused (400 on parent). A new slug must be free; the old one keeps answering 301. " +
                             "Stores a revision.");
        writes.MapPatch("/{slug}", WriteSection.Patch).WithName("patchSection")
            .Accepts<System.Text.Json.Nodes.JsonObject>("application/merge-patch+json", "application/json")
            .WithSummary("Change part of a section (JSON Merge Patch)")
            .WithDescription("RFC 7396: members sent replace, null removes, others stay. If-Match is required as for PUT; " +
                             "the merged result is validated like a full write.");
        writes.MapDelete("/{slug}", WriteSection.Delete).WithName("deleteSection")
            .WithSummary("Delete a section")
            .WithDescription("Requires If-Match. A section that still holds articles or sub-sections is a 409 saying how many, unless " +
                             "moveTo names another section: its articles and sub-sections then move there (and featured lists filled " +
                             "from it fill from there) before it is deleted, all or nothing. Each article, sub-section and list it " +
                             "changes gets a revision and an audit entry by the delete's actor (section-deleted) and a new ETag.");
        sections.MapRevisions(Revised, WriteSection.Restore);
        return api;
    }
}
