using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using NewsApi.Api;
using NewsApi.Api.Caching;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;

namespace NewsApi.Tests.Features.Scripts;

/// <summary>The same story in either script wherever it shows: every public JSON read converts alike, and keeps one stored answer per script.</summary>
public sealed class PublicReadScriptTests(ApiFixture fixture) : ApiTest(fixture)
{
    const string Title = "網絡發展靠頭髮", SimplifiedTitle = "网络发展靠头发";

    async Task<Article> Newsroom()
    {
        var section = await Given.Section("domestic", "國內");
        var tag = await Given.Tag("internet", "網絡");
        var author = await Given.Author("zhang", "張偉");
        var article = await Given.Article("story").Titled(Title).In(section).Tagged(tag).By(author).Save();
        await Given.Topic("summit", "烏鎮峰會", TopicStatus.Published, article);
        await Given.FeaturedList("home", "國內新聞精選", null, 10, Builders.Given.Entry(article, 1, Clock.GetUtcNow().AddHours(-1)));
        return article;
    }

    [Fact]
    public async Task Every_public_read_shows_the_story_and_its_names_in_the_script_asked_for()
    {
        var article = await Newsroom();
        await SearchIndexed();

        var one = await Read($"/api/v1/articles/{article.Id}?script=hans");
        var list = await Read("/api/v1/articles?include=section,authors,tags,topics&script=hans");
        var topic = await Read("/api/v1/topics/summit?script=hans");
        var topics = await Read("/api/v1/topics?script=hans");
        var featured = await Read("/api/v1/featured-lists/home?script=hans");
        var sections = await Read("/api/v1/sections?script=hans");
        var tags = await Read("/api/v1/tags?script=hans");
        var author = await Read("/api/v1/authors/zhang?script=hans");
        var search = await Read("/api/v1/search?q=" + Uri.EscapeDataString("網絡") + "&script=hans");

        Assert.Equal(SimplifiedTitle, (string)one["title"]!);
        var item = list["items"]![0]!;
        Assert.Equal(SimplifiedTitle, (string)item["title"]!);
        Assert.Equal("zh-Hans", (string)item["language"]!);
        Assert.Equal("story", (string)item["slug"]!);
        Assert.Contains("国内", item.ToJsonString(Unescaped));
        Assert.Contains("网络", item["tags"]!.ToJsonString(Unescaped));
        Assert.Contains("张伟", item["authors"]!.ToJsonString(Unescaped));
        Assert.Equal("乌镇峰会", (string)topic["title"]!);
        Assert.Contains(SimplifiedTitle, topic["articles"]!.ToJsonString(Unescaped));
        Assert.Equal("乌镇峰会", (string)topics["items"]![0]!["title"]!);
        Assert.Equal("国内新闻精选", (string)featured["title"]!);
        Assert.Contains(SimplifiedTitle, featured.ToJsonString(Unescaped));
        Assert.Contains("国内", sections.ToJsonString(Unescaped));
        Assert.Contains("\"domestic\"", sections.ToJsonString(Unescaped));
        Assert.Equal("网络", (string)tags["items"]![0]!["name"]!);
        Assert.Equal("张伟", (string)author["name"]!);
        Assert.Contains(SimplifiedTitle, search.ToJsonString(Unescaped));
        foreach (var answer in new[] { list, topic, topics, featured, sections, tags, author, search })
            Assert.DoesNotContain("網", answer.ToJsonString(Unescaped));
    }

    [Fact]
    public async Task A_list_mixing_both_scripts_reads_wholly_in_the_one_asked_for_and_pages_with_its_cursor()
    {
        await Given.Article("traditional").Titled(Title).Save();
        Clock.Advance(TimeSpan.FromMinutes(1));
        await Given.Article("simplified").Titled(SimplifiedTitle).With(a => a.Language = "zh-Hans").Save();

        var first = await Read("/api/v1/articles?limit=1&script=hant");
        var second = await Read($"/api/v1/articles?limit=1&script=hant&cursor={Uri.EscapeDataString((string)first["nextCursor"]!)}");

        Assert.Equal(["simplified"], first.Slugs());
        Assert.Equal(["traditional"], second.Slugs());
        foreach (var page in new[] { first, second })
        {
            Assert.Equal(Title, (string)page["items"]![0]!["title"]!);
            Assert.Equal("zh-Hant", (string)page["items"]![0]!["language"]!);
        }
        var alternates = first["alternates"]!.AsArray().ToDictionary(a => (string)a!["hreflang"]!, a => (string)a!["href"]!);
        Assert.Equal("/api/v1/articles?limit=1&script=hans", alternates["zh-Hans"]);
        Assert.Equal("/api/v1/articles?limit=1", alternates["x-default"]);
    }

    [Theory]
    [InlineData("zh-CN", "国内", "zh-Hans")]
    [InlineData("zh-TW", "國內", "zh-Hant")]
    [InlineData("en", "國內", null)]
    public async Task Accept_language_chooses_the_script_of_a_list_and_each_script_is_stored_apart(string acceptLanguage, string name, string? contentLanguage)
    {
        await Newsroom();
        foreach (var other in new[] { "zh-TW", "zh-CN", "en" })
            await Send("/api/v1/sections", other);

        var response = await Send("/api/v1/sections", acceptLanguage);

        Assert.Contains(name, (await response.Json()).ToJsonString(Unescaped));
        Assert.Equal(contentLanguage is null ? [] : [contentLanguage], response.Content.Headers.ContentLanguage);
        Assert.Contains("Accept-Language", response.Headers.Vary);
    }

    [Fact]
    public async Task An_unknown_script_on_a_list_is_a_400()
    {
        await (await Client.GetAsync("/api/v1/topics?script=latin")).Invalid("script");
        await (await Client.GetAsync("/api/v1/tags?script=hans&script=hant")).Invalid("script");
    }

    [Fact]
    public void Every_public_json_read_converts()
    {
        var endpoints = Fixture.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PublicRead>() is not null && e.RoutePattern.RawText!.StartsWith(ApiRoutes.Prefix, StringComparison.Ordinal))
            .ToList();

        Assert.NotEmpty(endpoints);
        Assert.All(endpoints, e => Assert.True(e.Metadata.GetMetadata<NewsApi.Api.Scripts.ScriptsMetadata>() is not null, $"{e.RoutePattern.RawText} does not honour ?script="));
    }

    static readonly System.Text.Json.JsonSerializerOptions Unescaped = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    async Task<JsonNode> Read(string url)
    {
        var response = await Client.GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Json();
    }

    async Task<HttpResponseMessage> Send(string url, string acceptLanguage)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        return await Client.SendAsync(request);
    }
}
