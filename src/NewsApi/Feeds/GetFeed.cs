using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Content;
using NewsApi.Data;
using NewsApi.Data.Entities;
using NewsApi.Site;

// Only the parameters that reach OpenAPI (route values) carry <param> docs; services and tokens need none.
#pragma warning disable CS1573

namespace NewsApi.Feeds;

/// <summary>The newest public articles of a section, topic or featured list as RSS 2.0, Atom 1.0 or JSON Feed 1.1.</summary>
internal static class GetFeed
{
    /// <param name="slug">The slug of the section, such as domestic; its sub-sections are included.</param>
    /// <param name="format">The feed format, by extension: rss (RSS 2.0), atom (Atom 1.0) or json (JSON Feed 1.1).</param>
    public static Task<Results<DocumentResult, NotFoundProblem>> Section(
        string slug, string format, NewsDbContext db, TimeProvider clock, SiteLinks links, CancellationToken ct) =>
        Handle("sections", slug, format, links, async f =>
        {
            var section = await db.Sections.AsNoTracking().FirstOrDefaultAsync(s => s.Slug == slug, ct);
            if (section is null)
                return null;
            var ids = await SectionTree.SelfAndDescendantIds(db, slug, ct) ?? [];
            var articles = db.Articles.AsNoTracking().VisibleAt(clock.GetUtcNow())
                .Where(a => a.SectionId != null && ids.Contains(a.SectionId.Value))
                .OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id);
            var items = await Items(db, articles, links, ct);
            return Build(links, f, "sections", slug, $"{section.Name} — {links.Site.Name}", section.Description,
                links.Section(slug), section.UpdatedAt, null, items);
        }, ct);

    /// <param name="slug">The slug of the topic page, such as 2023-wuzhen-summit.</param>
    /// <param name="format">The feed format, by extension: rss (RSS 2.0), atom (Atom 1.0) or json (JSON Feed 1.1).</param>
    public static Task<Results<DocumentResult, NotFoundProblem>> Topic(
        string slug, string format, NewsDbContext db, TimeProvider clock, SiteLinks links, CancellationToken ct) =>
        Handle("topics", slug, format, links, async f =>
        {
            var topic = await db.Topics.AsNoTracking().FirstOrDefaultAsync(t => t.Slug == slug && t.Status == TopicStatus.Published, ct);
            if (topic is null)
                return null;
            // A feed is a timeline, so a topic's feed is newest first rather than in the editors' order.
            var articles = db.Articles.AsNoTracking().VisibleAt(clock.GetUtcNow())
                .Where(a => a.Topics.Any(m => m.TopicId == topic.Id))
                .OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id);
            var items = await Items(db, articles, links, ct);
            return Build(links, f, "topics", slug, topic.Title, topic.Description, links.Topic(slug), topic.UpdatedAt,
                links.Absolute(topic.CoverImage?.Url), items);
        }, ct);

    /// <param name="slug">The slug of the author, such as zhang-yuhuan.</param>
    /// <param name="format">The feed format, by extension: rss (RSS 2.0), atom (Atom 1.0) or json (JSON Feed 1.1).</param>
    public static Task<Results<DocumentResult, NotFoundProblem>> Author(
        string slug, string format, NewsDbContext db, TimeProvider clock, SiteLinks links, CancellationToken ct) =>
        Handle("authors", slug, format, links, async f =>
        {
            var author = await db.Authors.AsNoTracking().FirstOrDefaultAsync(a => a.Slug == slug, ct);
            if (author is null)
                return null;
            var articles = db.Articles.AsNoTracking().VisibleAt(clock.GetUtcNow())
                .Where(a => a.Authors.Any(x => x.AuthorId == author.Id))
                .OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id);
            var items = await Items(db, articles, links, ct);
            // Authors and tags have no page of their own on the site's templates: their feeds link home.
            return Build(links, f, "authors", slug, $"{author.Name} — {links.Site.Name}", author.Bio, links.Home, Epoch, author.Photo, items);
        }, ct);

    /// <param name="slug">The slug of the tag, such as wuzhen.</param>
    /// <param name="format">The feed format, by extension: rss (RSS 2.0), atom (Atom 1.0) or json (JSON Feed 1.1).</param>
    public static Task<Results<DocumentResult, NotFoundProblem>> Tag(
        string slug, string format, NewsDbContext db, TimeProvider clock, SiteLinks links, CancellationToken ct) =>
        Handle("tags", slug, format, links, async f =>
        {
            var tag = await db.Tags.AsNoTracking().FirstOrDefaultAsync(t => t.Slug == slug, ct);
            if (tag is null)
                return null;
            var articles = db.Articles.AsNoTracking().VisibleAt(clock.GetUtcNow())
                .Where(a => a.Tags.Any(x => x.TagId == tag.Id))
                .OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id);
            var items = await Items(db, articles, links, ct);
            return Build(links, f, "tags", slug, $"{tag.Name} — {links.Site.Name}", null, links.Home, Epoch, null, items);
        }, ct);

    // An empty feed of a resource without its own change time says it last changed at the epoch: nothing in it ever did.
    static readonly DateTimeOffset Epoch = DateTimeOffset.UnixEpoch;

    /// <param name="slug">The slug of the featured list, such as domestic.</param>
    /// <param name="format">The feed format, by extension: rss (RSS 2.0), atom (Atom 1.0) or json (JSON Feed 1.1).</param>
    public static Task<Results<DocumentResult, NotFoundProblem>> FeaturedList(
        string slug, string format, NewsDbContext db, TimeProvider clock, SiteLinks links, HttpContext http, CancellationToken ct) =>
        Handle("featured-lists", slug, format, links, async f =>
        {
            var list = await db.FeaturedLists.AsNoTracking().FirstOrDefaultAsync(l => l.Slug == slug, ct);
            if (list is null)
                return null;
            // The ETag starts with the list's row version, as the list's own endpoint's does.
            Preconditions.SetETag(http, list.Version);
            // The list as the public sees it now, exactly as the API serves it; a feed is public whoever fetches it.
            var shown = await ShownFeaturedList.Read(db, list, null, clock.GetUtcNow(), preview: false, ct);
            var ids = shown.Entries.Select(e => e.ArticleId).ToList();
            var loaded = await Items(db, db.Articles.AsNoTracking().Where(a => ids.Contains(a.Id)).OrderBy(a => a.Id), links, ct);
            var items = loaded.OrderBy(i => ids.IndexOf(i.ArticleId)).ToList();
            var home = shown.Section is { } section ? links.Section(section) : links.Home;
            return Build(links, f, "featured-lists", slug, list.Title, null, home, list.UpdatedAt, null, items);
        }, ct);

    static async Task<Results<DocumentResult, NotFoundProblem>> Handle(
        string kind, string slug, string extension, SiteLinks links, Func<FeedFormat, Task<Feed?>> load, CancellationToken ct)
    {
        if (!FeedFormats.TryParse(extension, out var format))
            return Problems.NotFound($"Feeds come as .rss, .atom or .json; there is no .{extension} feed.");
        var feed = await load(format);
        if (feed is null)
            return Problems.NotFound($"There is no {Singular(kind)} '{slug}' to make a feed of.");
        var body = format switch
        {
            FeedFormat.Rss => RssFeedWriter.Write(feed),
            FeedFormat.Atom => AtomFeedWriter.Write(feed, links.Site.Name, links.Home),
            _ => JsonFeedWriter.Write(feed, links.Site.Name, links.Home),
        };
        return new DocumentResult(body, format.ContentType());
    }

    static string Singular(string kind) => kind switch
    {
        "sections" => "section",
        "topics" => "published topic",
        "authors" => "author",
        "tags" => "tag",
        _ => "featured list",
    };

    static Feed Build(SiteLinks links, FeedFormat format, string kind, string slug, string title, string? description,
        string home, DateTimeOffset containerUpdated, string? image, IReadOnlyList<FeedItem> items)
    {
        var language = items.GroupBy(i => i.Language).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Key).FirstOrDefault() ?? links.Site.Language;
        var updated = items.Count == 0 ? containerUpdated : items.Max(i => i.Updated);
        return new Feed($"urn:newsapi:feed:{kind}:{slug}", title, description, home,
            links.OnSite(FeedEndpoints.FeedPath(kind, slug, format.Extension())), language, updated, image, items);
    }

    static async Task<IReadOnlyList<FeedItem>> Items(NewsDbContext db, IQueryable<Article> articles, SiteLinks links, CancellationToken ct)
    {
        var rows = await articles.Take(links.Site.FeedItems)
            .Include(a => a.Section)
            .Include(a => a.Authors).ThenInclude(x => x.Author)
            .Include(a => a.Tags).ThenInclude(x => x.Tag)
            .AsSplitQuery()
            .ToListAsync(ct);
        return rows.Select(a =>
        {
            var authors = a.Authors.OrderBy(x => x.Position).Select(x => x.Author.Name).ToList();
            if (authors.Count == 0 && !string.IsNullOrWhiteSpace(a.Byline))
                authors.Add(a.Byline);
            var image = a.CoverImage is { } cover && links.Absolute(cover.Url) is { } url ? cover with { Url = url } : null;
            // Feed readers mostly show titles: sponsored content carries its label there and as a category, besides in its HTML.
            var label = EditorialLabels.Sponsored(a.Genre, a.Language);
            var tags = a.Tags.OrderBy(x => x.Position).Select(x => x.Tag.Name).ToList();
            return new FeedItem(a.Id, SiteLinks.ArticleUri(a.Id), links.Article(a.Slug, a.Id), label is null ? a.Title : $"【{label}】{a.Title}",
                a.Subtitle, a.Summary, ArticleHtml.Of(a), a.Language, a.FirstPublishedAt ?? a.PublishedAt ?? a.UpdatedAt, a.UpdatedAt, authors,
                a.Section?.Name, label is null ? tags : [label, .. tags], image);
        }).ToList();
    }
}
