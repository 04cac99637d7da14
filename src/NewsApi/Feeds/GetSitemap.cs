using System.Globalization;
using System.Xml;
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

/// <summary>
/// The sitemaps.org sitemap of every public article. Up to SitemapPageSize URLs it is one urlset; beyond that
/// /sitemap.xml is an index of /sitemap-{n}.xml pages. Pages run oldest first so that new articles only ever
/// append to the last page and crawlers can skip the unchanged ones by their lastmod.
/// </summary>
internal static class GetSitemap
{
    public const string Namespace = "http://www.sitemaps.org/schemas/sitemap/0.9";
    public const string ContentType = "application/xml; charset=utf-8";

    public static async Task<DocumentResult> Root(NewsDbContext db, TimeProvider clock, SiteLinks links, CancellationToken ct)
    {
        var visible = Visible(db, clock);
        var size = links.Site.SitemapPageSize;
        var first = await Urls(PageAfter(visible, null, size + 1), links, ct);
        if (first.Count <= size)
            return UrlSet(first, links);

        // One small aggregate per page (tens of them at most for a large archive), each starting where the last one
        // ended, rather than reading every row.
        var lastModified = new List<DateTimeOffset>();
        Key? after = null;
        while (await PageAfter(visible, after, size).MaxAsync(a => (DateTimeOffset?)a.UpdatedAt, ct) is { } pageLastModified)
        {
            lastModified.Add(pageLastModified);
            after = await LastOf(visible, after, size, ct);
        }
        return Index(lastModified, links);
    }

    /// <param name="page">The page number, from 1, as listed in the index at /sitemap.xml.</param>
    public static async Task<Results<DocumentResult, NotFoundProblem>> Page(
        int page, NewsDbContext db, TimeProvider clock, SiteLinks links, CancellationToken ct)
    {
        var size = links.Site.SitemapPageSize;
        var visible = Visible(db, clock);
        var pages = Math.Max(1, (await visible.CountAsync(ct) + size - 1) / size);
        if (page < 1 || page > pages)
            return Problems.NotFound($"The sitemap has {pages} page(s), numbered from 1; there is no page {page}.");
        // The numbered addresses stay what crawlers know; each page before this one is one hop along the index to
        // its last key (one row read back), never an OFFSET the database counts through with whole rows.
        Key? after = null;
        for (var n = 1; n < page; n++)
            after = await LastOf(visible, after, size, ct);
        return UrlSet(await Urls(PageAfter(visible, after, size), links, ct), links);
    }

    /// <summary>Where a page ends in the sitemap's order: oldest publication first, the id breaking ties.</summary>
    sealed record Key(DateTimeOffset? PublishedAt, Guid Id);

    /// <summary>What a sitemap lists: public articles, but those that ask search engines not to index them (noindex).</summary>
    public static IQueryable<Article> Visible(NewsDbContext db, TimeProvider clock) =>
        db.Articles.AsNoTracking().VisibleAt(clock.GetUtcNow()).Where(a => !a.Noindex);

    /// <summary>The next <paramref name="size"/> articles after <paramref name="after"/> (from the start when null), by keyset.</summary>
    static IQueryable<Article> PageAfter(IQueryable<Article> visible, Key? after, int size) =>
        (after is null ? visible : visible.Where(a => EF.Functions.GreaterThan(
                ValueTuple.Create(a.PublishedAt, a.Id), ValueTuple.Create(after.PublishedAt, after.Id))))
            .OrderBy(a => a.PublishedAt).ThenBy(a => a.Id).Take(size);

    static Task<Key?> LastOf(IQueryable<Article> visible, Key? after, int size, CancellationToken ct) =>
        PageAfter(visible, after, size).OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id)
            .Select(a => new Key(a.PublishedAt, a.Id)).FirstOrDefaultAsync(ct);

    static async Task<List<(string Loc, DateTimeOffset LastModified)>> Urls(IQueryable<Article> articles, SiteLinks links, CancellationToken ct) =>
        (await articles.Select(a => new { a.Id, a.Slug, a.UpdatedAt }).ToListAsync(ct))
        .Select(a => (links.Article(a.Slug, a.Id), a.UpdatedAt)).ToList();

    static DocumentResult UrlSet(List<(string Loc, DateTimeOffset LastModified)> urls, SiteLinks links) =>
        new(Xml.Write(w =>
        {
            w.WriteStartDocument();
            w.WriteStartElement("urlset", Namespace);
            foreach (var (loc, lastModified) in urls)
            {
                w.WriteStartElement("url", Namespace);
                w.WriteElementString("loc", Namespace, loc);
                w.WriteElementString("lastmod", Namespace, W3cTime(lastModified));
                w.WriteEndElement();
            }
            if (urls.Count == 0)
                WriteHomePage(w, links);
            w.WriteEndElement();
        }), ContentType);

    /// <summary>
    /// The protocol's schema wants at least one url, so a site with nothing public yet lists its home page rather
    /// than answering with a document crawlers would reject.
    /// </summary>
    public static void WriteHomePage(XmlWriter w, SiteLinks links)
    {
        w.WriteStartElement("url", Namespace);
        w.WriteElementString("loc", Namespace, links.Home + "/");
        w.WriteEndElement();
    }

    static DocumentResult Index(List<DateTimeOffset> pages, SiteLinks links) =>
        new(Xml.Write(w =>
        {
            w.WriteStartDocument();
            w.WriteStartElement("sitemapindex", Namespace);
            for (var i = 0; i < pages.Count; i++)
            {
                w.WriteStartElement("sitemap", Namespace);
                w.WriteElementString("loc", Namespace, links.OnSite(FeedEndpoints.SitemapPagePath(i + 1)));
                w.WriteElementString("lastmod", Namespace, W3cTime(pages[i]));
                w.WriteEndElement();
            }
            w.WriteEndElement();
        }), ContentType);

    /// <summary>W3C Datetime in UTC to the second, as sitemaps and Google News want it.</summary>
    public static string W3cTime(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
