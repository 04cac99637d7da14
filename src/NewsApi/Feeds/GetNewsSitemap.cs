using NewsApi.Api;
using Microsoft.EntityFrameworkCore;
using NewsApi.Content;
using NewsApi.Data;
using NewsApi.Site;

namespace NewsApi.Feeds;

/// <summary>
/// The Google News sitemap: public articles first published in the last two days, newest first, at most 1,000,
/// each with the publication's name and language and the article's publication date and title.
/// </summary>
internal static class GetNewsSitemap
{
    public const string NewsNamespace = "http://www.google.com/schemas/sitemap-news/0.9";
    public const int MaxUrls = 1000;
    public static readonly TimeSpan Window = TimeSpan.FromDays(2);

    public static async Task<DocumentResult> Handle(NewsDbContext db, TimeProvider clock, SiteLinks links, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var since = now - Window;
        // Google wants the original publication time, so a re-published story keeps its first date and drops out on time.
        var articles = await GetSitemap.Visible(db, clock)
            .Select(a => new { a.Id, a.Slug, a.Title, a.Language, Published = a.FirstPublishedAt ?? a.PublishedAt })
            .Where(a => a.Published >= since && a.Published <= now)
            .OrderByDescending(a => a.Published).ThenByDescending(a => a.Id)
            .Take(MaxUrls)
            .ToListAsync(ct);

        return new DocumentResult(Xml.Write(w =>
        {
            w.WriteStartDocument();
            w.WriteStartElement("urlset", GetSitemap.Namespace);
            w.WriteAttributeString("xmlns", "news", null, NewsNamespace);
            foreach (var a in articles)
            {
                w.WriteStartElement("url", GetSitemap.Namespace);
                w.WriteElementString("loc", GetSitemap.Namespace, links.Article(a.Slug, a.Id));
                w.WriteStartElement("news", NewsNamespace);
                w.WriteStartElement("publication", NewsNamespace);
                w.WriteElementString("name", NewsNamespace, links.Site.Name);
                w.WriteElementString("language", NewsNamespace, LanguageTags.ForGoogleNews(a.Language));
                w.WriteEndElement();
                w.WriteElementString("publication_date", NewsNamespace, GetSitemap.W3cTime(a.Published!.Value));
                w.WriteElementString("title", NewsNamespace, a.Title);
                w.WriteEndElement();
                w.WriteEndElement();
            }
            if (articles.Count == 0)
                GetSitemap.WriteHomePage(w, links);
            w.WriteEndElement();
        }), GetSitemap.ContentType);
    }
}
