using System.Net;
using System.Text.Json.Nodes;
using NewsApi.Content;
using NewsApi.Tests.Content;
using NewsApi.Tests.Infrastructure;

namespace NewsApi.Tests.Features.Articles.Representations;

public sealed class ChineseConverterTests
{
    [Theory]
    [InlineData("hant", "zh-Hans", "头发的发展靠网络软件", "頭髮的發展靠網絡軟件")]
    [InlineData("hant-tw", "zh-Hans", "头发的发展靠网络软件", "頭髮的發展靠網路軟體")]
    [InlineData("hans", "zh-Hant", "頭髮的發展靠網絡軟件", "头发的发展靠网络软件")]
    [InlineData("hans-cn", "zh-Hant-TW", "頭髮的發展靠網路軟體", "头发的发展靠网络软件")]
    public void Text_is_converted_by_phrase_then_character_with_regional_vocabulary_on_request(string script, string from, string text, string expected) =>
        Assert.Equal(expected, ChineseConverter.Convert(text, ChineseScript.Named(script)!, from));

    [Fact]
    public void Text_already_in_the_script_is_left_as_written() =>
        Assert.Equal("乾隆皇帝", ChineseConverter.Convert("乾隆皇帝", ChineseScript.Hant, "zh-Hant"));
}

public sealed class ArticleScriptTests(ApiFixture fixture) : ApiTest(fixture)
{
    static readonly WireStory Seed = WireStory.Parse(WuzhenSample.Read(), null);

    async Task<Data.Entities.Article> SeedStory(string slug = "wuzhen") =>
        await Given.Article(slug).Titled(Seed.Title).WithBody([.. Seed.Body]).Save();

    [Fact]
    public async Task The_seed_story_reads_in_simplified_script_with_its_language_alternates_and_headers()
    {
        var article = await SeedStory();

        var response = await Client.GetAsync($"/api/v1/articles/{article.Id}?script=hans");
        var json = await response.Json();

        Assert.Equal("心向“网”之:为何是乌镇?", (string)json["title"]!);
        Assert.Contains("乌镇峰会", json["body"]!.ToJsonString(new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        Assert.Contains("乌镇", (string)json["bodyHtml"]!);
        Assert.DoesNotContain("烏", (string)json["bodyHtml"]!);
        Assert.Equal("zh-Hans", (string)json["language"]!);
        Assert.Equal(article.Id.ToString(), (string)json["id"]!);
        Assert.Equal(["zh-Hans"], response.Content.Headers.ContentLanguage);
        Assert.Contains("Accept-Language", response.Headers.Vary);
        var alternates = json["alternates"]!.AsArray().ToDictionary(a => (string)a!["hreflang"]!, a => (string)a!["href"]!);
        Assert.Equal($"/api/v1/articles/{article.Id}?script=hant", alternates["zh-Hant"]);
        Assert.Equal($"/api/v1/articles/{article.Id}", alternates["x-default"]);
    }

    [Fact]
    public async Task A_simplified_story_reads_in_traditional_script_as_the_seed_was_written_with_taiwan_forms_on_request()
    {
        var simplified = ChineseConverter.Convert(Seed.Title, ChineseScript.Hans, "zh-Hant");
        var body = Seed.Body.Take(3).Select(b => b with { Text = b.Text is null ? null : ChineseConverter.Convert(b.Text, ChineseScript.Hans, "zh-Hant") }).ToArray();
        var article = await Given.Article("wuzhen-hans").Titled(simplified).WithBody(body).Save();
        await using (var db = Fixture.NewDbContext())
        {
            var stored = await db.Articles.FindAsync(article.Id);
            stored!.Language = "zh-Hans";
            await db.SaveChangesAsync();
        }

        var json = await (await Client.GetAsync($"/api/v1/articles/slug/wuzhen-hans?script=hant-tw")).Json();
        // OpenCC's standard Traditional writes 爲 where Taiwan (and the seed) write 為.
        var standard = await (await Client.GetAsync($"/api/v1/articles/slug/wuzhen-hans?script=hant")).Json();

        Assert.Equal(Seed.Title, (string)json["title"]!);
        Assert.Equal("zh-Hant-TW", (string)json["language"]!);
        Assert.Equal("心向“網”之:爲何是烏鎮?", (string)standard["title"]!);
        // Words as well as characters: the Internet is 互聯網 in standard Traditional (峯 its form of 峰), 網際網路 in Taiwan's vocabulary.
        Assert.StartsWith("11月10日,2023年世界互聯網大會烏鎮峯會(下稱烏鎮峯會)正式落下帷幕。", (string)standard["body"]![0]!["text"]!);
        Assert.StartsWith("11月10日,2023年世界網際網路大會烏鎮峰會", (string)json["body"]![0]!["text"]!);
    }

    [Theory]
    [InlineData("zh-CN", "zh-Hans", "心向“网”之:为何是乌镇?")]
    [InlineData("zh-Hans, zh;q=0.8", "zh-Hans", "心向“网”之:为何是乌镇?")]
    [InlineData("en, zh-SG;q=0.5", "zh-Hans", "心向“网”之:为何是乌镇?")]
    [InlineData("zh-TW", "zh-Hant", "心向“網”之:為何是烏鎮?")]
    [InlineData("zh-HK, zh-CN;q=0.5", "zh-Hant", "心向“網”之:為何是烏鎮?")]
    [InlineData("en", null, "心向“網”之:為何是烏鎮?")]
    public async Task Accept_language_chooses_the_script_and_each_script_is_a_cached_answer_of_its_own(string acceptLanguage, string? contentLanguage, string title)
    {
        var article = await SeedStory();
        // The other scripts first, so that a cache keyed on the address alone would answer this one with theirs.
        foreach (var other in new[] { "zh-CN", "zh-TW", "en" })
            await Send(article.Id, other);

        var response = await Send(article.Id, acceptLanguage);

        Assert.Equal(title, (string)(await response.Json())["title"]!);
        Assert.Equal(contentLanguage is null ? [] : [contentLanguage], response.Content.Headers.ContentLanguage);
        Assert.Contains("Accept-Language", response.Headers.Vary);
    }

    async Task<HttpResponseMessage> Send(Guid id, string acceptLanguage)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/articles/{id}");
        request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        return await Client.SendAsync(request);
    }

    [Fact]
    public async Task The_script_parameter_wins_over_accept_language_and_an_unknown_one_is_a_400()
    {
        var article = await SeedStory();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/articles/{article.Id}?script=hant-tw");
        request.Headers.TryAddWithoutValidation("Accept-Language", "zh-CN");

        var response = await Client.SendAsync(request);

        Assert.Equal(["zh-Hant-TW"], response.Content.Headers.ContentLanguage);
        await (await Client.GetAsync($"/api/v1/articles/{article.Id}?script=latin")).Invalid("script");
    }

    [Fact]
    public async Task Searching_for_either_script_of_a_place_finds_the_same_story()
    {
        var article = await SeedStory();
        await SearchIndexed();

        var traditional = await (await Client.GetAsync("/api/v1/search?q=" + Uri.EscapeDataString("烏鎮"))).Json();
        var simplified = await (await Client.GetAsync("/api/v1/search?q=" + Uri.EscapeDataString("乌镇"))).Json();

        Assert.Equal(["wuzhen"], traditional.Slugs());
        Assert.Equal(traditional.Slugs(), simplified.Slugs());
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"/api/v1/articles/slug/{article.Slug}?script=hans")).StatusCode);
    }
}
