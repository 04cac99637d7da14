using System.Net;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NewsApi.Content;
using NewsApi.Data.Entities;
using NewsApi.Scheduling;
using NewsApi.Tests.Feeds;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Features.Articles;

public sealed class EditorialFieldTests(ApiFixture fixture) : ApiTest(fixture)
{
    static readonly XNamespace Sm = "http://www.sitemaps.org/schemas/sitemap/0.9";
    static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    async Task<JsonNode> Get(string path, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        return JsonNode.Parse(await (await Client.SendAsync(request)).Content.ReadAsStringAsync())!;
    }

    [Fact]
    public async Task Sponsored_content_is_labelled_in_every_representation()
    {
        var domestic = await Given.Section("domestic", "國內");
        var story = await Given.Article("sponsored-tour").Titled("烏鎮水鄉一日遊").In(domestic).With(a => a.Genre = Genres.Sponsored).Save();

        var article = await (await Client.GetAsync($"/api/v1/articles/{story.Id}")).Json();
        Assert.Equal("sponsored", (string?)article["genre"]);
        Assert.Equal("贊助內容", (string?)article["label"]);
        Assert.StartsWith("<p class=\"label label-sponsored\" data-label=\"sponsored\">贊助內容</p>", (string?)article["bodyHtml"]);
        var item = (await (await Client.GetAsync("/api/v1/articles")).Json())["items"]![0]!;
        Assert.Equal("贊助內容", (string?)item["label"]);

        var ld = await Get($"/api/v1/articles/{story.Id}", "application/ld+json");
        SchemaOrg.AssertValid(ld);
        Assert.Equal("AdvertiserContentArticle", (string?)ld["@type"]);
        Assert.Equal("sponsored", (string?)ld["genre"]);

        var ninjs = await Get($"/api/v1/articles/{story.Id}", "application/ninjs+json");
        SharedSpecs.AssertValidNinjs(ninjs, "3.1");
        Assert.Equal("贊助內容", (string?)ninjs["genres"]![0]!["name"]);
        Assert.Equal("sponsored", (string?)ninjs["genres"]![0]!["literal"]);
        Assert.Contains("贊助內容", (string?)ninjs["bodies"]![1]!["value"]);
        SharedSpecs.AssertValidNinjs(await Get($"/api/v1/articles/{story.Id}", "application/ninjs+json; version=2"), "2.2");

        var rss = XDocument.Parse(await Client.GetStringAsync("/feeds/sections/domestic.rss")).Descendants("item").Single();
        Assert.Equal("【贊助內容】烏鎮水鄉一日遊", (string?)rss.Element("title"));
        Assert.Contains(rss.Elements("category"), c => c.Value == "贊助內容");
        var atom = XDocument.Parse(await Client.GetStringAsync("/feeds/sections/domestic.atom")).Descendants(Atom + "entry").Single();
        Assert.Equal("【贊助內容】烏鎮水鄉一日遊", (string?)atom.Element(Atom + "title"));
        Assert.Contains("贊助內容", (string?)atom.Element(Atom + "content"));
        var json = await (await Client.GetAsync("/feeds/sections/domestic.json")).Json();
        SharedSpecs.AssertValidJsonFeed(json);
        Assert.Equal("【贊助內容】烏鎮水鄉一日遊", (string?)json["items"]![0]!["title"]);
        Assert.Contains("贊助內容", json["items"]![0]!["tags"]!.AsArray().Select(t => (string)t!));
    }

    [Theory]
    [InlineData("news", "NewsArticle")]
    [InlineData("analysis", "AnalysisNewsArticle")]
    [InlineData("opinion", "OpinionNewsArticle")]
    [InlineData("review", "ReviewNewsArticle")]
    [InlineData("interview", "NewsArticle")]
    public async Task Json_ld_types_the_article_by_its_genre_as_a_schema_org_news_article(string genre, string type)
    {
        var story = await Given.Article("story").With(a => a.Genre = genre).Save();

        var ld = await Get($"/api/v1/articles/{story.Id}", "application/ld+json");

        SchemaOrg.AssertValid(ld);
        Assert.Equal(type, (string?)ld["@type"]);
        Assert.True(SchemaOrg.IsA(type, "NewsArticle"));
        Assert.True((bool)ld["isAccessibleForFree"]!);
        Assert.Null(ld["hasPart"]);
        var ninjs = await Get($"/api/v1/articles/{story.Id}", "application/ninjs+json");
        Assert.Equal(genre, (string?)ninjs["genres"]![0]!["literal"]);
    }

    [Fact]
    public async Task Paid_content_marks_its_paywalled_part_for_search_engines()
    {
        var story = await Given.Article("paid").WithBody(Block.Paragraph("免費導語。"), Block.Paragraph("付費內容。"))
            .With(a => (a.IsAccessibleForFree, a.PaywallAfter) = (false, 1)).Save();

        var ld = await Get($"/api/v1/articles/{story.Id}", "application/ld+json");
        SchemaOrg.AssertValid(ld);
        Assert.False((bool)ld["isAccessibleForFree"]!);
        Assert.Equal("WebPageElement", (string?)ld["hasPart"]!["@type"]);
        Assert.False((bool)ld["hasPart"]!["isAccessibleForFree"]!);
        Assert.Equal(".paywall", (string?)ld["hasPart"]!["cssSelector"]);
        var article = await (await Client.GetAsync($"/api/v1/articles/{story.Id}")).Json();
        Assert.Equal("<p>免費導語。</p>\n<div class=\"paywall\">\n<p>付費內容。</p>\n</div>\n", (string?)article["bodyHtml"]);
    }

    [Fact]
    public async Task A_noindex_article_leaves_the_sitemaps_and_tells_crawlers_not_to_index_it()
    {
        var indexed = await Given.Article("indexed").Save();
        var hidden = await Given.Article("wire-copy").With(a => (a.Noindex, a.CanonicalUrl) = (true, "https://www.chinanews.com.cn/gn/2023/11-11/001.shtml")).Save();

        var sitemap = SharedSpecs.ValidSitemap(await Client.GetStringAsync("/sitemap.xml"));
        Assert.Equal(["http://localhost:5080/articles/indexed"], sitemap.Descendants(Sm + "loc").Select(l => l.Value));
        var news = SharedSpecs.ValidSitemap(await Client.GetStringAsync("/sitemap-news.xml"));
        Assert.Equal(["http://localhost:5080/articles/indexed"], news.Descendants(Sm + "loc").Select(l => l.Value));

        var response = await Client.GetAsync($"/api/v1/articles/{hidden.Id}");
        Assert.Equal("noindex", response.Headers.GetValues("X-Robots-Tag").Single());
        var article = await response.Json();
        Assert.True((bool)article["noindex"]!);
        Assert.Equal("https://www.chinanews.com.cn/gn/2023/11-11/001.shtml", (string?)article["canonicalUrl"]);
        Assert.False((await Client.GetAsync($"/api/v1/articles/{indexed.Id}")).Headers.Contains("X-Robots-Tag"));
        // Syndicated copy names the original in JSON-LD too.
        Assert.Equal("https://www.chinanews.com.cn/gn/2023/11-11/001.shtml", (string?)(await Get($"/api/v1/articles/{hidden.Id}", "application/ld+json"))["isBasedOn"]);
    }

    [Fact]
    public async Task Seo_and_label_fields_are_written_and_read_back_and_unpublishAt_is_for_editors_only()
    {
        using var editor = await As(Role.Editor);
        var created = await (await editor.PostAsync("/api/v1/articles", Raw("""
            {"title":"烏鎮峰會閉幕","seoTitle":"烏鎮峰會閉幕｜2023世界互聯網大會","metaDescription":"大會在烏鎮落幕。",
             "ogImage":"https://img.example.com/og.jpg","keywords":["烏鎮"," 互聯網 ","烏鎮"],"genre":"analysis","urgency":2,
             "breaking":true,"breakingUntil":"2030-01-01T00:00:00Z","isAccessibleForFree":false,"paywallAfter":0}
            """))).Json(HttpStatusCode.Created);
        Assert.Equal("烏鎮峰會閉幕｜2023世界互聯網大會", (string?)created["seoTitle"]);
        Assert.Equal("大會在烏鎮落幕。", (string?)created["metaDescription"]);
        Assert.Equal("https://img.example.com/og.jpg", (string?)created["ogImage"]);
        Assert.Equal(["烏鎮", "互聯網"], created["keywords"]!.AsArray().Select(k => (string)k!));
        Assert.Equal("analysis", (string?)created["genre"]);
        Assert.Null(created["label"]);
        Assert.Equal(2, (int?)created["urgency"]);
        Assert.True((bool)created["breaking"]!);
        Assert.False((bool)created["isAccessibleForFree"]!);
        Assert.False((bool)created["noindex"]!);

        var id = (string)created["id"]!;
        await (await editor.PostAsync($"/api/v1/articles/{id}/publish", null)).Json();
        var later = Clock.GetUtcNow().AddDays(1);
        await (await editor.PostAsync($"/api/v1/articles/{id}/unpublish", JsonBody(new { unpublishAt = later }))).Json();

        Assert.Equal(later, (DateTimeOffset)(await (await editor.GetAsync($"/api/v1/articles/{id}")).Json())["unpublishAt"]!);
        Assert.Null((await (await Client.GetAsync($"/api/v1/articles/{id}")).Json())["unpublishAt"]);
        var ninjs = await Get($"/api/v1/articles/{id}", "application/ninjs+json");
        Assert.Equal(2, (int?)ninjs["urgency"]);
    }

    [Fact]
    public async Task The_breaking_mark_drops_by_itself_at_its_expiry()
    {
        var story = await Given.Article("breaking").With(a => (a.Breaking, a.BreakingUntil) = (true, Clock.GetUtcNow().AddHours(1))).Save();
        Assert.True((bool)(await (await Client.GetAsync($"/api/v1/articles/{story.Id}")).Json())["breaking"]!);

        Clock.Advance(TimeSpan.FromHours(2));
        // The scheduler runs on its own timer, as in production; this run or its own takes the mark down.
        await Fixture.Factory.Services.GetRequiredService<ScheduledPublisher>().RunDueAsync(CancellationToken.None);
        for (var i = 0; i < 100; i++)
        {
            await using var db = Fixture.NewDbContext();
            if (await db.ArticleRevisions.AnyAsync(r => r.ArticleId == story.Id && r.Action == "breaking-ended" && r.Actor == ScheduledPublisher.Actor))
                break;
            await Task.Delay(100);
        }

        var article = await (await Client.GetAsync($"/api/v1/articles/{story.Id}")).Json();
        Assert.False((bool)article["breaking"]!);
        Assert.Null(article["breakingUntil"]);
    }

    [Theory]
    [InlineData("""{"title":"烏鎮","seoTitle":"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一"}""", "seoTitle")]
    [InlineData("""{"title":"烏鎮","seoTitle":"<b>烏鎮</b>"}""", "seoTitle")]
    [InlineData("""{"title":"烏鎮","canonicalUrl":"ftp://example.com/a"}""", "canonicalUrl")]
    [InlineData("""{"title":"烏鎮","canonicalUrl":"/articles/a"}""", "canonicalUrl")]
    [InlineData("""{"title":"烏鎮","ogImage":"javascript:alert(1)"}""", "ogImage")]
    [InlineData("""{"title":"烏鎮","keywords":[""]}""", "keywords[0]")]
    [InlineData("""{"title":"烏鎮","genre":"advertorial"}""", "genre")]
    [InlineData("""{"title":"烏鎮","urgency":0}""", "urgency")]
    [InlineData("""{"title":"烏鎮","urgency":10}""", "urgency")]
    [InlineData("""{"title":"烏鎮","breakingUntil":"2030-01-01T00:00:00Z"}""", "breakingUntil")]
    [InlineData("""{"title":"烏鎮","paywallAfter":1}""", "paywallAfter")]
    [InlineData("""{"title":"烏鎮","isAccessibleForFree":false,"paywallAfter":-1}""", "paywallAfter")]
    [InlineData("""{"title":"烏鎮","notices":[{"type":"erratum","text":"x","at":"2023-11-12T00:00:00Z"}]}""", "notices[0].type")]
    [InlineData("""{"title":"烏鎮","noindex":"yes"}""", "noindex")]
    public async Task Out_of_bounds_editorial_fields_are_validation_problems_naming_the_field(string json, string field)
    {
        using var editor = await As(Role.Editor);

        await (await editor.PostAsync("/api/v1/articles", Raw(json))).Invalid(field);
    }

    [Fact]
    public async Task The_metadescription_is_bounded_at_320_characters()
    {
        using var editor = await As(Role.Editor);

        await (await editor.PostAsync("/api/v1/articles", JsonBody(new { title = "烏鎮", metaDescription = new string('烏', 321) }))).Invalid("metaDescription");
        await (await editor.PostAsync("/api/v1/articles", JsonBody(new { title = "烏鎮", metaDescription = new string('烏', 320) }))).Json(HttpStatusCode.Created);
        await (await editor.PostAsync("/api/v1/articles", JsonBody(new { title = "烏鎮", keywords = Enumerable.Range(0, 31).Select(i => $"k{i}") }))).Invalid("keywords");
    }
}
