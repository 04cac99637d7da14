using System.Net;
using System.Xml.Linq;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using NewsApi.Api;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;

namespace NewsApi.Tests.Feeds;

public sealed class SitemapTests(ApiFixture fixture) : ApiTest(fixture)
{
    static readonly XNamespace Sm = "http://www.sitemaps.org/schemas/sitemap/0.9";
    static readonly XNamespace News = "http://www.google.com/schemas/sitemap-news/0.9";

    [Fact]
    public async Task The_sitemap_lists_every_public_article_with_its_address_and_lastmod()
    {
        var story = await Given.Article("story").UpdatedAt(new DateTimeOffset(2026, 2, 1, 3, 4, 5, TimeSpan.Zero)).Save();
        await Given.Article("other").Save();
        await Given.Article("draft").WithStatus(ArticleStatus.Draft).Save();
        await Given.Article("killed").WithStatus(ArticleStatus.Killed).Save();
        await Given.Article("embargoed").EmbargoedUntil(Clock.GetUtcNow().AddHours(1)).Save();

        var response = await Client.GetAsync("/sitemap.xml");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        var sitemap = SharedSpecs.ValidSitemap(await response.Content.ReadAsStringAsync());
        Assert.Equal(Sm + "urlset", sitemap.Root!.Name);
        var urls = sitemap.Root.Elements(Sm + "url").ToDictionary(u => (string)u.Element(Sm + "loc")!, u => (string)u.Element(Sm + "lastmod")!);
        Assert.Equal(["http://localhost:5080/articles/other", "http://localhost:5080/articles/story"], urls.Keys.Order());
        Assert.Equal("2026-02-01T03:04:05Z", urls["http://localhost:5080/articles/story"]);
    }

    [Theory]
    [InlineData("/sitemap.xml")]
    [InlineData("/sitemap-news.xml")]
    public async Task With_nothing_to_list_a_sitemap_names_the_home_page_to_stay_valid(string path)
    {
        await Given.Article("last-week").PublishedAt(Clock.GetUtcNow().AddDays(-7)).WithStatus(path == "/sitemap.xml" ? ArticleStatus.Draft : ArticleStatus.Published).Save();

        var sitemap = SharedSpecs.ValidSitemap(await Client.GetStringAsync(path));

        Assert.Equal(["http://localhost:5080/"], sitemap.Root!.Elements(Sm + "url").Select(u => (string)u.Element(Sm + "loc")!));
    }

    [Fact]
    public async Task A_large_sitemap_becomes_an_index_of_pages()
    {
        var articles = await Given.PublishedArticles(7);
        await using var small = Fixture.Factory.WithWebHostBuilder(b => b.UseSetting("Site:SitemapPageSize", "3"));
        using var client = small.CreateClient();

        var index = SharedSpecs.ValidSitemap(await client.GetStringAsync("/sitemap.xml"));

        Assert.Equal(Sm + "sitemapindex", index.Root!.Name);
        var pages = index.Root.Elements(Sm + "sitemap").ToList();
        Assert.Equal(["http://localhost:5080/sitemap-1.xml", "http://localhost:5080/sitemap-2.xml", "http://localhost:5080/sitemap-3.xml"],
            pages.Select(p => (string)p.Element(Sm + "loc")!));
        // Oldest first: the last page holds the newest article, and its lastmod says so.
        Assert.Equal(articles[^1].UpdatedAt, DateTimeOffset.Parse((string)pages[^1].Element(Sm + "lastmod")!));

        var listed = new List<string>();
        foreach (var n in new[] { 1, 2, 3 })
        {
            var page = SharedSpecs.ValidSitemap(await client.GetStringAsync($"/sitemap-{n}.xml"));
            listed.AddRange(page.Root!.Elements(Sm + "url").Select(u => (string)u.Element(Sm + "loc")!));
        }
        Assert.Equal(articles.Select(a => $"http://localhost:5080/articles/{a.Slug}"), listed);
        await (await client.GetAsync("/sitemap-4.xml")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await (await client.GetAsync("/sitemap-0.xml")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Fact]
    public async Task Sitemap_pages_are_read_by_keyset_and_split_articles_published_at_the_same_moment_exactly_once()
    {
        var sameMoment = Clock.GetUtcNow().AddDays(-3);
        var articles = new List<Article>();
        foreach (var slug in new[] { "a", "b", "c", "d", "e", "f", "g" })
            articles.Add(await Given.Article(slug).PublishedAt(sameMoment).Save());
        // A served host of its own: the SQL trace follows requests that travel over a real connection.
        await using var small = new ApiFactory(Fixture.ConnectionString, Clock, settings: new() { ["Site:SitemapPageSize"] = "3" });
        small.StartServer();
        using var client = small.CreateHttpClient();
        var listed = new List<string>();

        var sql = await SqlSentBy(async () =>
        {
            Assert.Equal(3, SharedSpecs.ValidSitemap(await client.GetStringAsync("/sitemap.xml")).Root!.Elements(Sm + "sitemap").Count());
            foreach (var n in new[] { 1, 2, 3 })
                listed.AddRange(SharedSpecs.ValidSitemap(await client.GetStringAsync($"/sitemap-{n}.xml")).Root!
                    .Elements(Sm + "url").Select(u => (string)u.Element(Sm + "loc")!));
        });

        Assert.Equal(articles.OrderBy(a => a.Id).Select(a => $"http://localhost:5080/articles/{a.Slug}"), listed);
        Assert.NotEmpty(sql);
        Assert.DoesNotContain(sql, s => s.Contains("OFFSET", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task The_news_sitemap_holds_the_last_two_days_with_publication_and_language()
    {
        var now = Clock.GetUtcNow();
        var fresh = await Given.Article("fresh").Titled("烏鎮峰會落幕").PublishedAt(now.AddHours(-1)).Save();
        var edge = await Given.Article("edge").PublishedAt(now.AddHours(-47)).Save();
        await Given.Article("stale").PublishedAt(now.AddHours(-49)).Save();
        // Re-published today, first published last week: Google wants the original date, so it is out.
        var republished = Given.Article("republished").PublishedAt(now.AddHours(-2)).Build();
        republished.FirstPublishedAt = now.AddDays(-7);
        var simplified = Given.Article("simplified").PublishedAt(now.AddHours(-3)).Build();
        simplified.Language = "zh-Hans";
        await using (var db = Fixture.NewDbContext())
        {
            db.Articles.AddRange(republished, simplified);
            await db.SaveChangesAsync();
        }
        await Given.Article("draft").WithStatus(ArticleStatus.Draft).Save();

        var response = await Client.GetAsync("/sitemap-news.xml");

        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        var sitemap = SharedSpecs.ValidSitemap(await response.Content.ReadAsStringAsync());
        var urls = sitemap.Root!.Elements(Sm + "url").ToList();
        Assert.Equal(["fresh", "simplified", "edge"], urls.Select(u => ((string)u.Element(Sm + "loc")!).Split('/')[^1]));
        var first = urls[0].Element(News + "news")!;
        Assert.Equal("NewsApi", (string?)first.Element(News + "publication")!.Element(News + "name"));
        Assert.Equal("zh-tw", (string?)first.Element(News + "publication")!.Element(News + "language"));
        Assert.Equal("烏鎮峰會落幕", (string?)first.Element(News + "title"));
        Assert.Equal(fresh.PublishedAt, DateTimeOffset.Parse((string)first.Element(News + "publication_date")!));
        Assert.Equal("zh-cn", (string?)urls[1].Element(News + "news")!.Element(News + "publication")!.Element(News + "language"));
        Assert.NotNull(edge);
    }

    [Fact]
    public async Task The_news_sitemap_stops_at_a_thousand_newest()
    {
        var articles = await Given.PublishedArticles(1005, start: Clock.GetUtcNow().AddDays(-1));

        var sitemap = SharedSpecs.ValidSitemap(await Client.GetStringAsync("/sitemap-news.xml"));

        var locs = sitemap.Root!.Elements(Sm + "url").Select(u => (string)u.Element(Sm + "loc")!).ToList();
        Assert.Equal(1000, locs.Count);
        Assert.Equal($"http://localhost:5080/articles/{articles[^1].Slug}", locs[0]);
        Assert.DoesNotContain($"http://localhost:5080/articles/{articles[0].Slug}", locs);
    }

    [Fact]
    public async Task The_news_sitemap_uses_the_configured_publication_name()
    {
        await Given.Article("fresh").PublishedAt(Clock.GetUtcNow().AddHours(-1)).Save();
        await using var site = Fixture.Factory.WithWebHostBuilder(b => b
            .UseSetting("Site:Name", "中新網").UseSetting("Site:PublicUrl", "https://www.chinanews.example"));
        using var client = site.CreateClient();

        var sitemap = SharedSpecs.ValidSitemap(await client.GetStringAsync("/sitemap-news.xml"));

        var url = sitemap.Root!.Element(Sm + "url")!;
        Assert.Equal("https://www.chinanews.example/articles/fresh", (string?)url.Element(Sm + "loc"));
        Assert.Equal("中新網", (string?)url.Element(News + "news")!.Element(News + "publication")!.Element(News + "name"));
    }

    [Fact]
    public void The_xsd_check_is_not_a_formality()
    {
        const string badLanguage = """
            <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
              <url><loc>https://news.example.com/a</loc><news:news><news:publication><news:name>N</news:name>
                <news:language>zh-Hant</news:language></news:publication><news:publication_date>2026-03-01</news:publication_date>
                <news:title>T</news:title></news:news></url>
            </urlset>
            """;

        Assert.ThrowsAny<Exception>(() => SharedSpecs.ValidSitemap(badLanguage));
        Assert.ThrowsAny<Exception>(() => SharedSpecs.ValidSitemap(badLanguage.Replace("zh-Hant", "zh-tw").Replace("<news:publication_date>2026-03-01</news:publication_date>", "")));
        SharedSpecs.ValidSitemap(badLanguage.Replace("zh-Hant", "zh-tw"));
    }
}
