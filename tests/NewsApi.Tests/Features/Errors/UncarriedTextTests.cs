using System.Net;
using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using NewsApi.Tests.Import;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Features.Errors;

/// <summary>Characters XML cannot carry (NUL, U+0001, a lone surrogate half) are refused in every text field of every write.</summary>
public sealed class UncarriedTextTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Theory]
    [InlineData("/api/v1/articles", """{"title":"烏鎮","section":"dom\u0000estic"}""", "section")]
    [InlineData("/api/v1/articles", """{"title":"烏鎮","tags":["wuzhen","a\u0000"]}""", "tags[1]")]
    [InlineData("/api/v1/articles", """{"title":"烏鎮","authors":["zhang\u0000"]}""", "authors[0]")]
    [InlineData("/api/v1/articles", """{"title":"烏鎮\u0001"}""", "title")]
    [InlineData("/api/v1/articles", """{"title":"烏鎮","slug":"wu\u0000zhen"}""", "slug")]
    [InlineData("/api/v1/articles", """{"title":"烏鎮","language":"zh\u0000"}""", "language")]
    [InlineData("/api/v1/articles", """{"title":"烏鎮","body":[{"type":"html","html":"<p>a\u0001</p>"}]}""", "body[0].html")]
    [InlineData("/api/v1/articles", """{"title":"烏鎮","body":[{"type":"list","items":["a","\u001f"]}]}""", "body[0].items[1]")]
    [InlineData("/api/v1/articles", """{"title":"烏鎮","coverImage":{"url":"https://example.com/a\u0000.jpg"}}""", "coverImage.url")]
    [InlineData("/api/v1/sections", """{"name":"國內","parent":"a\u0000"}""", "parent")]
    [InlineData("/api/v1/sections", """{"name":"國內","slug":"guo\u0000nei"}""", "slug")]
    [InlineData("/api/v1/tags", """{"name":"烏鎮\u0001"}""", "name")]
    [InlineData("/api/v1/authors", """{"name":"張煜歡","slug":"zhang\u0000"}""", "slug")]
    [InlineData("/api/v1/topics", """{"title":"峰會","slug":"feng\u0000hui"}""", "slug")]
    [InlineData("/api/v1/featured-lists", """{"title":"精選","section":"a\u0000"}""", "section")]
    [InlineData("/api/v1/webhooks", """{"url":"https://example.com/hook","events":["article.published\u0000"]}""", "events[0]")]
    [InlineData("/api/v1/webhooks", """{"url":"https://example.com/hook","events":["article.published"],"secret":"s\u0000"}""", "secret")]
    [InlineData("/api/v1/api-keys", """{"name":"desk\u0000","role":"editor"}""", "name")]
    public async Task A_character_xml_cannot_carry_is_a_validation_problem_naming_the_field(string url, string json, string field)
    {
        using var admin = await As(Role.Admin);

        var problem = await (await admin.PostAsync(url, Raw(json))).Invalid(field);

        Assert.Contains("cannot carry", (string)problem["errors"]![field]![0]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_patch_that_brings_such_a_character_into_a_reference_is_refused()
    {
        using var editor = await As(Role.Editor);
        var written = await editor.PostAsync("/api/v1/articles", JsonBody(new { title = "烏鎮" }));
        var created = await written.Json(HttpStatusCode.Created);

        var response = await editor.Send(HttpMethod.Patch, $"/api/v1/articles/{created["id"]}",
            Raw("""{"tags":["wu\u0000zhen"]}""", "application/merge-patch+json"), written.ETag());

        await response.Invalid("tags[0]");
    }

    [Fact]
    public async Task An_import_line_with_such_a_character_is_invalid_and_the_others_are_written()
    {
        using var editor = await As(Role.Editor);

        var (_, results, summary) = await editor.Import(ImportTestData.Body(ImportTestData.Ndjson(
            ImportTestData.Story("clean-1"), ImportTestData.Story("dirty-1", section: "dom\u0000estic"), ImportTestData.Story("dirty-2", text: "段落\u0001"),
            ImportTestData.Story("dirty\u0000-3"))));

        Assert.Equal(["created", "invalid", "invalid", "invalid"], results.Select(r => r.Outcome()));
        Assert.NotNull(results[1]["errors"]!["section"]);
        Assert.NotNull(results[2]["errors"]!["body[0].text"]);
        Assert.NotNull(results[3]["errors"]!["externalId"]);
        Assert.Equal(3, (int)summary!["invalid"]!);
        await using var db = Fixture.NewDbContext();
        Assert.Equal(["clean-1"], await db.Articles.Select(a => a.ExternalId!).ToListAsync());
    }

    [Theory]
    [InlineData("/feeds/sections/domestic.rss", "烏鎮峰會閉幕")]
    [InlineData("/feeds/sections/domestic.atom", "烏鎮峰會閉幕")]
    [InlineData("/feeds/sections/domestic.json", "\\u0001")]
    [InlineData("/sitemap.xml", "wuzhen")]
    [InlineData("/sitemap-news.xml", "烏鎮峰會閉幕")]
    public async Task A_stored_title_holding_such_a_character_still_renders_every_feed_and_sitemap(string url, string shown)
    {
        // Stored before the rule existed (an old import, a direct database write): readers still get the document.
        var domestic = await Given.Section("domestic", "國內\u0001");
        await Given.Article("wuzhen").Titled("烏鎮\u0001峰會\u0008閉幕").In(domestic).Save();

        var response = await Client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain('\u0001', text);
        Assert.Contains(shown, text, StringComparison.Ordinal);
        // JSON can carry the character (escaped); XML cannot, so the XML documents leave it out and still parse.
        if (url.EndsWith(".json", StringComparison.Ordinal))
            System.Text.Json.Nodes.JsonNode.Parse(text);
        else
            XDocument.Parse(text);
    }
}
