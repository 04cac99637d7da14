using System.Net;

namespace NewsApi.Tests.Reads;

internal enum SurfaceKind
{
    /// <summary>A page that lists the story among others: 200 either way, the story in it or not.</summary>
    Listing,

    /// <summary>The story's own address: 200 while public, then 404 (410 once killed).</summary>
    Address,

    /// <summary>An old slug of the story: 301 to the current address while public, then 404.</summary>
    OldAddress,
}

/// <summary>One public read, anonymous, that can show the story.</summary>
internal sealed record Surface(string Name, string Path, SurfaceKind Kind = SurfaceKind.Listing, string? Accept = null)
{
    public HttpStatusCode WhenShown => Kind == SurfaceKind.OldAddress ? HttpStatusCode.MovedPermanently : HttpStatusCode.OK;

    public HttpStatusCode WhenHidden(bool killed) => Kind switch
    {
        SurfaceKind.Address => killed ? HttpStatusCode.Gone : HttpStatusCode.NotFound,
        SurfaceKind.OldAddress => HttpStatusCode.NotFound,
        _ => HttpStatusCode.OK,
    };
}

/// <summary>Every public surface an article appears on, as <see cref="Story"/> places it.</summary>
internal static class Surfaces
{
    const string Api = "/api/v1";
    const string Ninjs = "application/ninjs+json";
    const string JsonLd = "application/ld+json";

    public static IReadOnlyList<Surface> Of(Story story)
    {
        var search = $"{Api}/search?q={Uri.EscapeDataString(Story.Word)}";
        return
        [
            new("article by id", $"{Api}/articles/{story.Id}", SurfaceKind.Address),
            new("article by id as ninjs", $"{Api}/articles/{story.Id}", SurfaceKind.Address, Ninjs),
            new("article by id as JSON-LD", $"{Api}/articles/{story.Id}", SurfaceKind.Address, JsonLd),
            new("article by slug", $"{Api}/articles/slug/{Story.Slug}", SurfaceKind.Address),
            new("article by slug as ninjs", $"{Api}/articles/slug/{Story.Slug}", SurfaceKind.Address, Ninjs),
            new("article by slug as JSON-LD", $"{Api}/articles/slug/{Story.Slug}", SurfaceKind.Address, JsonLd),
            new("article by old slug", $"{Api}/articles/slug/{Story.OldSlug}", SurfaceKind.OldAddress),
            new("article list", $"{Api}/articles"),
            new("article list by section", $"{Api}/articles?section={Story.Section}"),
            new("article list by topic", $"{Api}/articles?topic={Story.Topic}"),
            new("article list by tag", $"{Api}/articles?tag={Story.Tag}"),
            new("article list by author", $"{Api}/articles?author={Story.Author}"),
            new("article list with bodies", $"{Api}/articles?fields=body,bodyHtml"),
            new("article list with includes", $"{Api}/articles?include=section,authors,tags,topics"),
            new("topic page", $"{Api}/topics/{Story.Topic}"),
            new("topic page with bodies", $"{Api}/topics/{Story.Topic}?fields=body"),
            new("featured list entry", $"{Api}/featured-lists/{Story.FeaturedList}"),
            new("featured list backfill", $"{Api}/featured-lists/{Story.BackfilledList}"),
            new("section feed (rss)", $"/feeds/sections/{Story.Section}.rss"),
            new("section feed (atom)", $"/feeds/sections/{Story.Section}.atom"),
            new("section feed (json)", $"/feeds/sections/{Story.Section}.json"),
            new("topic feed (rss)", $"/feeds/topics/{Story.Topic}.rss"),
            new("featured list feed (rss)", $"/feeds/featured-lists/{Story.FeaturedList}.rss"),
            new("featured list backfill feed (rss)", $"/feeds/featured-lists/{Story.BackfilledList}.rss"),
            new("sitemap", "/sitemap.xml"),
            new("news sitemap", "/sitemap-news.xml"),
            new("search", search),
            new("search in section", $"{search}&section={Story.Section}"),
        ];
    }
}
