using System.Net;
using System.ServiceModel.Syndication;
using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Time.Testing;
using NewsApi.Api;
using NewsApi.Content;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;

namespace NewsApi.Tests.Feeds;

public sealed class FeedTests(ApiFixture fixture) : ApiTest(fixture)
{
    static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    static readonly XNamespace Dc = "http://purl.org/dc/elements/1.1/";
    static readonly XNamespace ContentNs = "http://purl.org/rss/1.0/modules/content/";

    async Task<(Article Newest, Article Older, Article InChild)> DomesticNews()
    {
        var domestic = await Given.Section("domestic", "國內");
        var zhejiang = await Given.Section("zhejiang", "浙江", domestic);
        var other = await Given.Section("world", "國際");
        var author = await Given.Author("zhang-yuhuan", "張煜歡");
        var tag = await Given.Tag("wuzhen", "烏鎮");
        var now = Clock.GetUtcNow();
        var older = await Given.Article("older").Titled("烏鎮峰會開幕").In(domestic).PublishedAt(now.AddHours(-5)).Save();
        var inChild = await Given.Article("in-child").Titled("杭州亞運").In(zhejiang).PublishedAt(now.AddHours(-3)).Save();
        var newest = await Given.Article("newest").Titled("心向「網」之：為何是烏鎮？").In(domestic).By(author).Tagged(tag)
            .WithBody(Block.Paragraph("十年前，一「網」情深的故事從這座江南水鄉落筆。"), Block.Heading("聚焦發展 共享普惠繁榮"))
            .PublishedAt(now.AddHours(-1)).Save();
        await Given.Article("draft").In(domestic).WithStatus(ArticleStatus.Draft).Save();
        await Given.Article("embargoed").In(domestic).EmbargoedUntil(now.AddHours(1)).Save();
        await Given.Article("elsewhere").In(other).Save();
        return (newest, older, inChild);
    }

    [Fact]
    public async Task A_section_feed_in_rss_lists_its_newest_public_articles_with_absolute_links()
    {
        var (newest, older, inChild) = await DomesticNews();

        var response = await Client.GetAsync("/feeds/sections/domestic.rss");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/rss+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        var xml = await response.Content.ReadAsStringAsync();
        var feed = SyndicationFeed.Load(XmlReader.Create(new StringReader(xml)));
        Assert.Equal("國內 — NewsApi", feed.Title.Text);
        Assert.Equal("http://localhost:5080/sections/domestic", feed.Links.Single(l => l.RelationshipType == "alternate").Uri.AbsoluteUri);
        Assert.Equal(["newest", "in-child", "older"], feed.Items.Select(i => i.Links.Single().Uri.Segments[^1]));
        Assert.All(feed.Items, i => Assert.StartsWith("http://localhost:5080/articles/", i.Links.Single().Uri.AbsoluteUri));
        Assert.Equal($"urn:newsapi:article:{newest.Id}", feed.Items.First().Id);

        var rss = XDocument.Parse(xml);
        var channel = rss.Root!.Element("channel")!;
        Assert.Equal("2.0", (string?)rss.Root.Attribute("version"));
        Assert.Equal("zh-tw", (string?)channel.Element("language"));
        Assert.Equal("http://localhost:5080/feeds/sections/domestic.rss",
            (string?)channel.Elements(Atom + "link").Single(l => (string?)l.Attribute("rel") == "self").Attribute("href"));
        var item = channel.Elements("item").First();
        Assert.Equal("心向「網」之：為何是烏鎮？", (string?)item.Element("title"));
        Assert.Equal("張煜歡", (string?)item.Element(Dc + "creator"));
        Assert.Equal(["國內", "烏鎮"], item.Elements("category").Select(c => c.Value));
        Assert.Contains("<h2 id=\"section-1\">聚焦發展 共享普惠繁榮</h2>", (string?)item.Element(ContentNs + "encoded"));
        Assert.Equal(newest.PublishedAt, DateTimeOffset.Parse((string)item.Element("pubDate")!));
        Assert.DoesNotContain("&#", xml); // Chinese travels as characters
        Assert.NotEqual(older.Id, inChild.Id);
    }

    [Fact]
    public async Task A_section_feed_in_atom_has_ids_updated_authors_and_the_bcp47_language()
    {
        var (newest, _, _) = await DomesticNews();

        var response = await Client.GetAsync("/feeds/sections/domestic.atom");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType?.MediaType);
        var xml = await response.Content.ReadAsStringAsync();
        var feed = SyndicationFeed.Load(XmlReader.Create(new StringReader(xml)));
        Assert.Equal("urn:newsapi:feed:sections:domestic", feed.Id);
        Assert.Equal(newest.UpdatedAt, feed.LastUpdatedTime);
        Assert.Equal("NewsApi", feed.Authors.Single().Name);
        Assert.Equal("zh-Hant", feed.Language);
        Assert.Equal(3, feed.Items.Count());
        var entry = feed.Items.First();
        Assert.Equal($"urn:newsapi:article:{newest.Id}", entry.Id);
        Assert.Equal("張煜歡", entry.Authors.Single().Name);
        Assert.Equal("http://localhost:5080/articles/newest", entry.Links.Single(l => l.RelationshipType == "alternate").Uri.AbsoluteUri);
        Assert.Contains("聚焦發展", ((TextSyndicationContent)entry.Content).Text);
        Assert.Equal("html", (string?)XDocument.Parse(xml).Root!.Element(Atom + "entry")!.Element(Atom + "content")!.Attribute("type"));

        var atom = XDocument.Parse(xml).Root!;
        Assert.Equal("zh-Hant", (string?)atom.Attribute(XNamespace.Xml + "lang"));
        Assert.Equal("http://localhost:5080/feeds/sections/domestic.atom",
            (string?)atom.Elements(Atom + "link").Single(l => (string?)l.Attribute("rel") == "self").Attribute("href"));
    }

    [Fact]
    public async Task A_section_feed_in_json_is_a_valid_json_feed()
    {
        var (newest, _, _) = await DomesticNews();

        var response = await Client.GetAsync("/feeds/sections/domestic.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/feed+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        var feed = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        SharedSpecs.AssertValidJsonFeed(feed);
        Assert.Equal("https://jsonfeed.org/version/1.1", (string?)feed["version"]);
        Assert.Equal("zh-Hant", (string?)feed["language"]);
        Assert.Equal("http://localhost:5080/feeds/sections/domestic.json", (string?)feed["feed_url"]);
        Assert.Equal("http://localhost:5080/sections/domestic", (string?)feed["home_page_url"]);
        Assert.Equal("NewsApi", (string?)feed["authors"]![0]!["name"]);
        var item = feed["items"]![0]!;
        Assert.Equal($"urn:newsapi:article:{newest.Id}", (string?)item["id"]);
        Assert.Equal("http://localhost:5080/articles/newest", (string?)item["url"]);
        Assert.Equal("張煜歡", (string?)item["authors"]![0]!["name"]);
        Assert.Equal(["國內", "烏鎮"], item["tags"]!.AsArray().Select(t => (string)t!));
        Assert.Equal(newest.PublishedAt, (DateTimeOffset)item["date_published"]!);
        Assert.Contains("聚焦發展", (string?)item["content_html"]);
        Assert.Equal(3, feed["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_feed_carries_the_newest_fifty_articles()
    {
        var domestic = await Given.Section("domestic", "國內");
        var articles = await Given.PublishedArticles(55, domestic);

        var feed = JsonNode.Parse(await Client.GetStringAsync("/feeds/sections/domestic.json"))!;

        var ids = feed["items"]!.AsArray().Select(i => (string)i!["id"]!).ToList();
        Assert.Equal(50, ids.Count);
        Assert.Equal(articles.AsEnumerable().Reverse().Take(50).Select(a => $"urn:newsapi:article:{a.Id}"), ids);
    }

    [Fact]
    public async Task A_topic_feed_lists_its_public_articles_newest_first_in_every_format()
    {
        var now = Clock.GetUtcNow();
        var first = await Given.Article("first").PublishedAt(now.AddDays(-2)).Save();
        var second = await Given.Article("second").PublishedAt(now.AddDays(-1)).Save();
        var hidden = await Given.Article("hidden").WithStatus(ArticleStatus.Unpublished).Save();
        await Given.Topic("2023-wuzhen-summit", "2023年世界互聯網大會烏鎮峰會", TopicStatus.Published, first, second, hidden);

        var json = JsonNode.Parse(await Client.GetStringAsync("/feeds/topics/2023-wuzhen-summit.json"))!;
        SharedSpecs.AssertValidJsonFeed(json);
        Assert.Equal("2023年世界互聯網大會烏鎮峰會", (string?)json["title"]);
        Assert.Equal("http://localhost:5080/topics/2023-wuzhen-summit", (string?)json["home_page_url"]);
        Assert.Equal([$"urn:newsapi:article:{second.Id}", $"urn:newsapi:article:{first.Id}"], json["items"]!.AsArray().Select(i => (string)i!["id"]!));

        foreach (var format in new[] { "rss", "atom" })
        {
            var feed = SyndicationFeed.Load(XmlReader.Create(await Client.GetStreamAsync($"/feeds/topics/2023-wuzhen-summit.{format}")));
            Assert.Equal([$"urn:newsapi:article:{second.Id}", $"urn:newsapi:article:{first.Id}"], feed.Items.Select(i => i.Id));
        }
    }

    [Fact]
    public async Task A_featured_list_feed_follows_the_list_as_readers_see_it()
    {
        var now = Clock.GetUtcNow();
        var a = await Given.Article("a").PublishedAt(now.AddHours(-3)).Save();
        var b = await Given.Article("b").PublishedAt(now.AddHours(-2)).Save();
        var expired = await Given.Article("expired").PublishedAt(now.AddHours(-1)).Save();
        await Given.FeaturedList("domestic", "國內新聞精選", null, 10,
            NewsApi.Tests.Builders.Given.Entry(a, 2, now.AddHours(-1), pinned: true),
            NewsApi.Tests.Builders.Given.Entry(b, 1, now.AddHours(-1)),
            NewsApi.Tests.Builders.Given.Entry(expired, 3, now.AddHours(-1), visibleUntil: now.AddMinutes(-1)));

        var json = JsonNode.Parse(await Client.GetStringAsync("/feeds/featured-lists/domestic.json"))!;

        SharedSpecs.AssertValidJsonFeed(json);
        Assert.Equal("國內新聞精選", (string?)json["title"]);
        Assert.Equal("http://localhost:5080", (string?)json["home_page_url"]);
        Assert.Equal([$"urn:newsapi:article:{a.Id}", $"urn:newsapi:article:{b.Id}"], json["items"]!.AsArray().Select(i => (string)i!["id"]!));
        var rss = SyndicationFeed.Load(XmlReader.Create(await Client.GetStreamAsync("/feeds/featured-lists/domestic.rss")));
        Assert.Equal(2, rss.Items.Count());
    }

    [Fact]
    public async Task A_featured_list_feed_back_fills_from_its_section_as_the_list_does()
    {
        var now = Clock.GetUtcNow();
        var domestic = await Given.Section("domestic", "國內");
        var zhejiang = await Given.Section("zhejiang", "浙江", domestic);
        var featured = await Given.Article("featured").In(domestic).PublishedAt(now.AddHours(-5)).Save();
        var newest = await Given.Article("fill-newest").In(zhejiang).PublishedAt(now.AddHours(-1)).Save();
        var older = await Given.Article("fill-older").In(domestic).PublishedAt(now.AddHours(-2)).Save();
        await Given.Article("fill-oldest").In(domestic).PublishedAt(now.AddHours(-3)).Save();
        await Given.FeaturedList("domestic", "國內新聞精選", domestic, 3, NewsApi.Tests.Builders.Given.Entry(featured, 1, now.AddHours(-4)));

        var response = await Client.GetAsync("/feeds/featured-lists/domestic.json");
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var list = await Client.GetAsync("/api/v1/featured-lists/domestic");

        Assert.Equal([$"urn:newsapi:article:{featured.Id}", $"urn:newsapi:article:{newest.Id}", $"urn:newsapi:article:{older.Id}"],
            json["items"]!.AsArray().Select(i => (string)i!["id"]!));
        Assert.Equal("http://localhost:5080/sections/domestic", (string?)json["home_page_url"]);
        Assert.Equal(list.ETag().Version(), response.ETag().Version());
    }

    [Fact]
    public async Task Simplified_chinese_feeds_say_zh_cn_in_rss_and_zh_hans_elsewhere()
    {
        var section = await Given.Section("mainland", "内地");
        var article = Given.Article("simplified").In(section).Build();
        article.Language = "zh-Hans";
        await using (var db = Fixture.NewDbContext())
        {
            db.Articles.Add(article);
            await db.SaveChangesAsync();
        }

        var rss = XDocument.Parse(await Client.GetStringAsync("/feeds/sections/mainland.rss"));
        var atom = XDocument.Parse(await Client.GetStringAsync("/feeds/sections/mainland.atom"));
        var json = JsonNode.Parse(await Client.GetStringAsync("/feeds/sections/mainland.json"))!;

        Assert.Equal("zh-cn", (string?)rss.Root!.Element("channel")!.Element("language"));
        Assert.Equal("zh-Hans", (string?)atom.Root!.Attribute(XNamespace.Xml + "lang"));
        Assert.Equal("zh-Hans", (string?)json["language"]);
    }

    [Fact]
    public async Task An_empty_section_still_gives_a_valid_feed_in_the_site_language()
    {
        await Given.Section("quiet", "安靜");

        var json = JsonNode.Parse(await Client.GetStringAsync("/feeds/sections/quiet.json"))!;
        var atom = SyndicationFeed.Load(XmlReader.Create(await Client.GetStreamAsync("/feeds/sections/quiet.atom")));

        SharedSpecs.AssertValidJsonFeed(json);
        Assert.Empty(json["items"]!.AsArray());
        Assert.Equal("zh-Hant", (string?)json["language"]);
        Assert.Empty(atom.Items);
    }

    [Fact]
    public async Task Unknown_feeds_and_extensions_are_problem_404s()
    {
        await Given.Section("domestic", "國內");
        await Given.Topic("draft-topic", "草稿", TopicStatus.Draft);

        await (await Client.GetAsync("/feeds/sections/nowhere.rss")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await (await Client.GetAsync("/feeds/topics/draft-topic.atom")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await (await Client.GetAsync("/feeds/featured-lists/nowhere.json")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        var problem = await (await Client.GetAsync("/feeds/sections/domestic.xml")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        Assert.Contains(".rss, .atom or .json", (string?)problem["detail"]);
        await (await Client.GetAsync("/feeds/authors/someone.rss")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Fact]
    public async Task A_reader_that_accepts_only_feeds_still_gets_problems_as_problem_json()
    {
        foreach (var path in new[] { "/feeds/sections/nowhere.rss", "/feeds/nothing-here" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.TryAddWithoutValidation("Accept", "application/rss+xml");

            var problem = await (await Client.SendAsync(request)).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);

            Assert.Equal(path, (string?)problem["instance"]);
            Assert.NotNull(problem["traceId"]);
        }
    }

    [Fact]
    public async Task Links_are_built_from_the_configured_public_site()
    {
        await DomesticNews();
        await using var site = Fixture.Factory.WithWebHostBuilder(b => b
            .UseSetting("Site:PublicUrl", "https://news.example.com/")
            .UseSetting("Site:ArticleUrlTemplate", "{site}/a/{id}/{slug}"));
        using var client = site.CreateClient();

        var json = JsonNode.Parse(await client.GetStringAsync("/feeds/sections/domestic.json"))!;

        Assert.Equal("https://news.example.com/feeds/sections/domestic.json", (string?)json["feed_url"]);
        Assert.Equal("https://news.example.com/sections/domestic", (string?)json["home_page_url"]);
        var item = json["items"]![0]!;
        Assert.Equal($"https://news.example.com/a/{((string)item["id"]!)["urn:newsapi:article:".Length..]}/newest", (string?)item["url"]);
    }

    [Fact]
    public async Task A_relative_public_url_stops_the_service_at_start_naming_the_key()
    {
        await using var broken = new ApiFactory(Fixture.ConnectionString, new FakeTimeProvider(ApiFixture.Now), settings: new() { ["Site:PublicUrl"] = "news.example.com" });

        Assert.Contains("Site:PublicUrl", broken.StartRefusal());
    }
}
