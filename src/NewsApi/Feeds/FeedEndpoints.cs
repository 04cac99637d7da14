using System.Globalization;
using NewsApi.Api.Caching;
using NewsApi.Api.OpenApi;
using NewsApi.Changes;
using NewsApi.Site;

namespace NewsApi.Feeds;

/// <summary>Feeds and sitemaps: outside /api/v1 because readers and crawlers expect them at these addresses on the site.</summary>
internal static class FeedEndpoints
{
    const string FeedsGroup = "/feeds";

    /// <summary>A feed's path on the site, such as /feeds/sections/domestic.rss, for its self link.</summary>
    public static string FeedPath(string kind, string slug, string extension) => $"{FeedsGroup}/{kind}/{Uri.EscapeDataString(slug)}.{extension}";

    /// <summary>A page of a large sitemap, as the sitemap index lists it.</summary>
    public static string SitemapPagePath(int page) => $"/sitemap-{page}.xml";

    const string FeedTypes = "Answers application/rss+xml (.rss, RSS 2.0), application/atom+xml (.atom, Atom 1.0) or " +
                             "application/feed+json (.json, JSON Feed 1.1), UTF-8. Links are absolute, on the configured Site:PublicUrl.";

    static string Count(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>
    /// Maps the feeds and sitemaps on <paramref name="site"/>, a group on which the host sets what every route shares
    /// (the resource parameters' documentation): feeds know their routes, not the features' parameters.
    /// </summary>
    public static IEndpointRouteBuilder MapFeeds(this IEndpointRouteBuilder site)
    {
        var feeds = site.MapGroup(FeedsGroup).WithTags("Feeds")
            .WithParameterDocs(new Dictionary<string, ParameterDoc> { ["format"] = new(null, Values: FeedFormats.Extensions) });
        feeds.MapGet("/sections/{slug}.{format}", GetFeed.Section).WithName("getSectionFeed").PublicRead(CacheTags.Feeds)
            .WithSummary("Feed of a section's newest articles")
            .WithDescription("The newest public articles of the section and its sub-sections. " + FeedTypes)
            .Produces<string>(StatusCodes.Status200OK, FeedFormats.RssType, FeedFormats.AtomType, FeedFormats.JsonType);
        feeds.MapGet("/topics/{slug}.{format}", GetFeed.Topic).WithName("getTopicFeed").PublicRead(CacheTags.Feeds)
            .WithSummary("Feed of a topic page's newest articles")
            .WithDescription("The newest public articles of the published topic page (專題). " + FeedTypes)
            .Produces<string>(StatusCodes.Status200OK, FeedFormats.RssType, FeedFormats.AtomType, FeedFormats.JsonType);
        feeds.MapGet("/authors/{slug}.{format}", GetFeed.Author).WithName("getAuthorFeed").PublicRead(CacheTags.Feeds)
            .WithSummary("Feed of an author's newest articles")
            .WithDescription("The newest public articles credited to the author. " + FeedTypes)
            .Produces<string>(StatusCodes.Status200OK, FeedFormats.RssType, FeedFormats.AtomType, FeedFormats.JsonType);
        feeds.MapGet("/tags/{slug}.{format}", GetFeed.Tag).WithName("getTagFeed").PublicRead(CacheTags.Feeds)
            .WithSummary("Feed of a tag's newest articles")
            .WithDescription("The newest public articles carrying the tag. " + FeedTypes)
            .Produces<string>(StatusCodes.Status200OK, FeedFormats.RssType, FeedFormats.AtomType, FeedFormats.JsonType);
        feeds.MapGet("/featured-lists/{slug}.{format}", GetFeed.FeaturedList).WithName("getFeaturedListFeed").PublicRead(CacheTags.Feeds)
            .WithSummary("Feed of a featured list")
            .WithDescription("The entries of the featured list as readers see them now, in the list's order. " + FeedTypes)
            .Produces<string>(StatusCodes.Status200OK, FeedFormats.RssType, FeedFormats.AtomType, FeedFormats.JsonType);

        var sitemaps = site.MapGroup("").WithTags("Feeds");
        sitemaps.MapGet("/sitemap.xml", GetSitemap.Root).WithName("getSitemap").PublicRead(CacheTags.Sitemaps)
            .WithSummary("Sitemap of every public article")
            .WithDescription("A sitemaps.org urlset with each article's public address and lastmod (articles marked noindex are left out); when there are more articles than " +
                             $"Site:SitemapPageSize (at most {Count(SiteOptions.MaxSitemapPageSize)}), a sitemap index of /sitemap-{{n}}.xml pages instead.")
            .Produces<string>(StatusCodes.Status200OK, "application/xml");
        sitemaps.MapGet("/sitemap-{page:int}.xml", GetSitemap.Page).WithName("getSitemapPage").PublicRead(CacheTags.Sitemaps)
            .WithSummary("One page of a large sitemap")
            .WithDescription("The pages listed by the sitemap index, oldest articles first.")
            .Produces<string>(StatusCodes.Status200OK, "application/xml");
        sitemaps.MapGet("/sitemap-news.xml", GetNewsSitemap.Handle).WithName("getNewsSitemap").PublicRead(CacheTags.Sitemaps)
            .WithSummary("Google News sitemap")
            .WithDescription($"Public articles first published in the last two days (but those marked noindex), newest first, at most {Count(GetNewsSitemap.MaxUrls)}, with news:publication " +
                             "(Site:Name and the language as Google wants it: zh-tw for Traditional, zh-cn for Simplified Chinese), " +
                             "news:publication_date and news:title.")
            .Produces<string>(StatusCodes.Status200OK, "application/xml");
        return site;
    }
}
