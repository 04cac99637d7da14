using NewsApi.Api;
using NewsApi.Api.Auth;
using NewsApi.Api.Caching;
using NewsApi.Api.OpenApi;
using NewsApi.Changes;
using NewsApi.Data.Entities;
using NewsApi.Features.Revisions;
using Microsoft.EntityFrameworkCore;

namespace NewsApi.Features.FeaturedLists;

internal static class FeaturedListEndpoints
{
    const string Group = "/featured-lists";

    static readonly Dictionary<string, ParameterDoc> Parameters = new()
    {
        ["entryId"] = new("The id (a UUID) of the entry, from the list's entries or the response that created it."),
        ["at"] = ParameterDoc.Time("Show the list as it stood at this past time (ISO 8601 with an offset, or a date); default now. " +
                                   "With a key of any role also a later time: the list as the public will see it then, as the schedule " +
                                   "stands (scheduled stories in, due takedowns out). A later time without a key is a 400."),
    };

    /// <summary>The list's address, for Location headers.</summary>
    public static string Path(string slug) => $"{ApiRoutes.Prefix}{Group}/{slug}";

    public static readonly Revised Revised = new(ResourceKinds.FeaturedList, "featured list", "FeaturedList",
        (db, slug, ct) => db.FeaturedLists.Where(l => l.Slug == slug).Select(l => (Guid?)l.Id).FirstOrDefaultAsync(ct));

    /// <summary>An entry's address, for Location headers.</summary>
    public static string EntryPath(string slug, Guid entry) => $"{Path(slug)}/entries/{entry}";

    public static RouteGroupBuilder MapFeaturedLists(this RouteGroupBuilder api)
    {
        var lists = api.MapGroup(Group).WithTags("Featured lists")
            .WithResourceParameters().WithParameterDocs(Parameters);
        lists.MapGet("/", ListFeaturedLists.Handle).WithName("listFeaturedLists").WithValidation().WithScripts().PublicRead(CacheTags.FeaturedLists)
            .WithSummary("List featured lists")
            .WithDescription("Every featured list (slug, title, the section it backfills from, maxItems) in slug order, paged with the " +
                             "opaque cursor from nextCursor. A list's entries are at its own address; its feed at /feeds/featured-lists/{slug}.rss.");
        lists.MapGet("/{slug}", GetFeaturedList.Handle).WithName("getFeaturedList").WithValidation().WithScripts().PublicRead(CacheTags.FeaturedLists)
            .WithSummary("Get a featured list")
            .WithDescription("The entries visible now, pinned first, then by position, at most maxItems; when the list names a section " +
                             "and has fewer entries, the section's newest articles fill it (backfill: true). " +
                             "With at=<timestamp>, the list as it stood at that time. The ETag is the one list writes need. " +
                             "With a key of any role (preview), entries of draft, scheduled and embargoed articles show too (never killed " +
                             "ones), each marked by its status. A slug the list used to have answers 301 with the current address in Location.")
            .Produces(StatusCodes.Status301MovedPermanently);

        var writes = lists.MapGroup("").RequireAuthorization(Policies.Editor).WithContentBodyLimit();
        writes.MapPost("/", WriteFeaturedList.Create).WithName("createFeaturedList").WithValidation()
            .WithSummary("Create a featured list")
            .WithDescription("The slug is generated from the title (pinyin for Chinese) unless given; a slug already taken is a 409. " +
                             "Add entries with POST on /featured-lists/{slug}/entries.");
        writes.MapPut("/{slug}", WriteFeaturedList.Replace).WithName("replaceFeaturedList").WithValidation()
            .WithSummary("Replace a featured list's fields")
            .WithDescription("Requires If-Match with the ETag you read (428 without it, 412 when stale). Members left out are cleared " +
                             "(maxItems back to 10); a left-out slug stays. A new slug must be free; the old one keeps answering 301. Entries are not " +
                             "touched. Stores a revision.");
        writes.MapPatch("/{slug}", WriteFeaturedList.Patch).WithName("patchFeaturedList")
            .Accepts<System.Text.Json.Nodes.JsonObject>("application/merge-patch+json", "application/json")
            .WithSummary("Change part of a featured list (JSON Merge Patch)")
            .WithDescription("RFC 7396: members sent replace, null removes, others stay. If-Match is required as for PUT.");
        writes.MapDelete("/{slug}", WriteFeaturedList.Delete).WithName("deleteFeaturedList")
            .WithSummary("Delete a featured list")
            .WithDescription("Requires If-Match. The list goes with all its entries and their history; the articles stay.");

        writes.MapPost("/{slug}/entries", FeaturedListEntries.Add).WithName("addFeaturedListEntry").WithValidation()
            .WithSummary("Feature an article on a list")
            .WithDescription("Adds an entry, featured from now (or a later featuredAt). The article must exist, not be killed and not be " +
                             "on the list already (409). Requires If-Match with the list's ETag; answers with the new one.");
        writes.MapPatch("/{slug}/entries/{entryId:guid}", FeaturedListEntries.Patch).WithName("patchFeaturedListEntry")
            .Accepts<System.Text.Json.Nodes.JsonObject>("application/merge-patch+json", "application/json")
            .WithSummary("Change an entry (JSON Merge Patch)")
            .WithDescription("position, pinned, visibleFrom and visibleUntil. An entry already on show keeps its old form in the list's " +
                             "history (?at=) and shows the new one from now, under the same id. Requires If-Match with the list's ETag.");
        writes.MapDelete("/{slug}/entries/{entryId:guid}", FeaturedListEntries.Remove).WithName("removeFeaturedListEntry")
            .WithSummary("Take an entry off a list")
            .WithDescription("The entry is marked removed from now, never deleted: ?at= still shows it before. Requires If-Match " +
                             "with the list's ETag; the new one is in the response's ETag.");
        lists.MapRevisions(Revised, WriteFeaturedList.Restore);
        return api;
    }
}
