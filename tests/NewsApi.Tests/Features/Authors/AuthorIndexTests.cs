using System.Net;
using System.Xml.Linq;
using NewsApi.Data.Entities;
using NewsApi.Tests.Feeds;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Features.Authors;

public sealed class AuthorIndexTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Authors_are_listed_in_slug_order_page_by_page()
    {
        await Given.Author("zhang-yuhuan", "張煜歡");
        await Given.Author("li-ming", "李明");
        await Given.Author("chen-jing", "陳靜");

        var first = await (await Client.GetAsync("/api/v1/authors?limit=2")).Json();
        var second = await (await Client.GetAsync($"/api/v1/authors?limit=2&cursor={Uri.EscapeDataString((string)first["nextCursor"]!)}")).Json();

        Assert.Equal(["chen-jing", "li-ming"], first.Slugs());
        Assert.Equal(["zhang-yuhuan"], second.Slugs());
        Assert.Null(second["nextCursor"]);
        await (await Client.GetAsync("/api/v1/authors?cursor=forged")).Invalid("cursor");
    }

    [Fact]
    public async Task An_authors_email_is_shown_to_editors_and_never_to_the_public()
    {
        using var editor = await As(Role.Editor);
        var created = await (await editor.PostAsync("/api/v1/authors", JsonBody(new
        {
            name = "張煜歡", slug = "zhang-yuhuan", jobTitle = "記者", email = "zhang@newsroom.example", photo = "https://img.example.com/zhang.jpg",
            sameAs = new[] { "https://weibo.com/zhangyuhuan" },
        }))).Json(HttpStatusCode.Created);
        Assert.Equal("zhang@newsroom.example", (string?)created["email"]);

        foreach (var path in new[] { "/api/v1/authors/zhang-yuhuan", "/api/v1/authors" })
        {
            // Twice: the second answer comes from the service's cache, which must not hold it either.
            for (var i = 0; i < 2; i++)
            {
                var body = await (await Client.GetAsync(path)).Content.ReadAsStringAsync();
                Assert.DoesNotContain("zhang@newsroom.example", body);
                Assert.DoesNotContain("\"email\"", body);
            }
        }
        var author = await (await Client.GetAsync("/api/v1/authors/zhang-yuhuan")).Json();
        Assert.Equal("記者", (string?)author["jobTitle"]);
        Assert.Equal("https://img.example.com/zhang.jpg", (string?)author["photo"]);
        Assert.Equal(["https://weibo.com/zhangyuhuan"], author["sameAs"]!.AsArray().Select(s => (string)s!));

        Assert.Equal("zhang@newsroom.example", (string?)(await (await editor.GetAsync("/api/v1/authors/zhang-yuhuan")).Json())["email"]);
        Assert.Equal("zhang@newsroom.example", (string?)(await (await editor.GetAsync("/api/v1/authors")).Json())["items"]![0]!["email"]);
        using var previewer = await As(Role.Previewer);
        Assert.Null((await (await previewer.GetAsync("/api/v1/authors/zhang-yuhuan")).Json())["email"]);
    }

    [Theory]
    [InlineData("""{"name":"張煜歡","email":"not-an-address"}""", "email")]
    [InlineData("""{"name":"張煜歡","photo":"javascript:alert(1)"}""", "photo")]
    [InlineData("""{"name":"張煜歡","sameAs":["ftp://example.com"]}""", "sameAs[0]")]
    [InlineData("""{"name":"張煜歡","jobTitle":"<b>記者</b>"}""", "jobTitle")]
    public async Task Bad_author_fields_are_validation_problems(string json, string field)
    {
        using var editor = await As(Role.Editor);

        await (await editor.PostAsync("/api/v1/authors", Raw(json))).Invalid(field);
    }

    [Fact]
    public async Task An_author_and_a_tag_have_feeds_of_their_newest_articles()
    {
        var author = await Given.Author("zhang-yuhuan", "張煜歡");
        var tag = await Given.Tag("wuzhen", "烏鎮");
        await Given.Article("by-her").Titled("烏鎮峰會閉幕").By(author).Tagged(tag).Save();
        await Given.Article("other").Titled("其他新聞").Save();

        var rss = XDocument.Parse(await Client.GetStringAsync("/feeds/authors/zhang-yuhuan.rss"));
        Assert.Equal(["烏鎮峰會閉幕"], rss.Descendants("item").Select(i => (string)i.Element("title")!));
        Assert.Equal("張煜歡 — NewsApi", (string?)rss.Descendants("channel").Single().Element("title"));
        var json = await (await Client.GetAsync("/feeds/tags/wuzhen.json")).Json();
        SharedSpecs.AssertValidJsonFeed(json);
        Assert.Equal(["烏鎮峰會閉幕"], json["items"]!.AsArray().Select(i => (string)i!["title"]!));
        Assert.Equal("http://localhost:5080/feeds/tags/wuzhen.json", (string?)json["feed_url"]);
        var atom = await Client.GetAsync("/feeds/tags/wuzhen.atom");
        Assert.Equal("application/atom+xml", atom.Content.Headers.ContentType?.MediaType);

        await (await Client.GetAsync("/feeds/authors/nobody.rss")).Problem(HttpStatusCode.NotFound, NewsApi.Api.ProblemTypes.NotFound);
        await (await Client.GetAsync("/feeds/tags/nothing.json")).Problem(HttpStatusCode.NotFound, NewsApi.Api.ProblemTypes.NotFound);
    }
}
