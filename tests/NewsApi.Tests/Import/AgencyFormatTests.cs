using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using NewsApi.Data.Entities;
using NewsApi.Tests.Feeds;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Import.ImportTestData;

namespace NewsApi.Tests.Import;

public sealed class AgencyFormatTests(ApiFixture fixture) : ApiTest(fixture)
{
    static string Ninjs31(string uri, string version, string headline) => new JsonObject
    {
        ["uri"] = uri,
        ["version"] = version,
        ["type"] = "text",
        ["language"] = "zh-Hant",
        ["versionCreated"] = "2023-11-11T02:00:00Z",
        ["headlines"] = new JsonArray(new JsonObject { ["role"] = "main", ["value"] = headline }),
        ["bodies"] = new JsonArray(new JsonObject
        {
            ["role"] = "main", ["contentType"] = "text/html",
            ["value"] = "<h2>聚焦發展</h2><p>2023年世界互聯網(wǎng)大會烏鎮峰會正式落下帷幕。</p><p>十年前，一&ldquo;網&rdquo;情深。</p>",
        }),
        ["subjects"] = new JsonArray(new JsonObject { ["name"] = "烏鎮峰會" }),
        ["by"] = "張煜歡",
        ["located"] = "烏鎮",
    }.ToJsonString();

    [Fact]
    public async Task A_ninjs_3_item_becomes_an_article_with_uri_as_external_id_and_html_parsed_into_blocks()
    {
        using var editor = await As(Role.Editor);

        var (_, results, _) = await editor.Import(Body(Ninjs31("urn:agency:wuzhen", "1", "烏鎮峰會閉幕"), "application/ninjs+json"), "?createMissing=true");

        Assert.Equal("created", results[0].Outcome());
        Assert.Equal("urn:agency:wuzhen", (string?)results[0]["externalId"]);
        var article = await (await editor.GetAsync($"/api/v1/articles/{results[0]["id"]}")).Json();
        Assert.Equal("烏鎮峰會閉幕", (string?)article["title"]);
        Assert.Equal(["heading", "paragraph", "paragraph"], article["body"]!.AsArray().Select(b => (string)b!["type"]!));
        Assert.Equal("2023年世界互聯網大會烏鎮峰會正式落下帷幕。", (string?)article["body"]![1]!["text"]);
        Assert.Equal("張煜歡", (string?)article["byline"]);
        await using var db = Fixture.NewDbContext();
        Assert.Equal("烏鎮峰會", (await db.Tags.SingleAsync()).Name);
    }

    [Theory]
    [InlineData("application/ninjs+json", new[] { "paragraph", "image", "gallery" })]
    [InlineData("application/ninjs+json; version=2", new[] { "paragraph", "image", "image", "image" })] // 2.x has no rel to tell a gallery by
    public async Task A_ninjs_item_as_this_service_exports_it_comes_back_with_its_cover_and_pictures(string accept, string[] blocks)
    {
        using var editor = await As(Role.Editor);
        var written = await (await editor.PostAsync("/api/v1/articles", Requests.JsonBody(new
        {
            title = "烏鎮峰會開幕",
            coverImage = new { url = "https://img.example.com/wuzhen/cover.jpg", caption = "會展中心外景", credit = "中新社記者 張亨偉 攝", alt = "烏鎮互聯網國際會展中心" },
            body = new object[]
            {
                new { type = "paragraph", text = "第十屆世界互聯網大會在烏鎮開幕。" },
                new { type = "image", url = "https://img.example.com/wuzhen/stage.jpg", caption = "開幕式現場", alt = "主會場舞台" },
                new
                {
                    type = "gallery", images = new object[]
                    {
                        new { url = "https://img.example.com/wuzhen/night.jpg", caption = "夜色", alt = "古鎮夜景" },
                        new { url = "https://img.example.com/wuzhen/bridge.jpg", caption = "石橋", alt = "古鎮石橋" },
                    },
                },
            },
        }))).Json(HttpStatusCode.Created);
        await (await editor.PostAsync($"/api/v1/articles/{written["id"]}/publish", null)).Json();
        using var read = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/articles/{written["id"]}");
        read.Headers.TryAddWithoutValidation("Accept", accept);
        var ninjs = JsonNode.Parse(await (await Client.SendAsync(read)).Content.ReadAsStringAsync())!;
        ninjs["uri"] = $"urn:copy:{Guid.NewGuid()}"; // another story from the same wire

        var (_, results, _) = await editor.Import(Body(ninjs.ToJsonString(), "application/ninjs+json"));

        Assert.Equal("created", results[0].Outcome());
        var article = await (await editor.GetAsync($"/api/v1/articles/{results[0]["id"]}")).Json();
        var cover = article["coverImage"]!;
        Assert.Equal(("https://img.example.com/wuzhen/cover.jpg", "會展中心外景", "中新社記者 張亨偉 攝", "烏鎮互聯網國際會展中心"),
            ((string?)cover["url"], (string?)cover["caption"], (string?)cover["credit"], (string?)cover["alt"]));
        Assert.Equal(blocks, article["body"]!.AsArray().Select(b => (string)b!["type"]!));
        var image = article["body"]![1]!;
        Assert.Equal(("https://img.example.com/wuzhen/stage.jpg", "開幕式現場", "主會場舞台"),
            ((string?)image["url"], (string?)image["caption"], (string?)image["alt"]));
        Assert.Equal("第十屆世界互聯網大會在烏鎮開幕。", (string?)article["body"]![0]!["text"]);
        var last = article["body"]!.AsArray().Last()!;
        var bridge = (string?)last["type"] == "gallery" ? last["images"]!.AsArray().Last()! : last;
        Assert.Equal(("https://img.example.com/wuzhen/bridge.jpg", "古鎮石橋"), ((string?)bridge["url"], (string?)bridge["alt"]));
    }

    [Fact]
    public async Task An_older_ninjs_version_never_overwrites_a_newer_one()
    {
        using var editor = await As(Role.Editor);
        await editor.Import(Body(Ndjson(Ninjs31("urn:agency:v", "3", "第三版")), "application/x-ndjson"), "?format=ninjs&createMissing=true");

        var (_, results, _) = await editor.Import(Body(Ndjson(Ninjs31("urn:agency:v", "2", "第二版")), "application/x-ndjson"), "?format=ninjs&createMissing=true");

        Assert.Equal("unchanged", results[0].Outcome());
        Assert.Contains("older", (string?)results[0]["note"]);
        var newer = await editor.Import(Body(Ndjson(Ninjs31("urn:agency:v", "4", "第四版")), "application/x-ndjson"), "?format=ninjs&createMissing=true");
        Assert.Equal("updated", newer.Results[0].Outcome());
        await using var db = Fixture.NewDbContext();
        var article = await db.Articles.SingleAsync();
        Assert.Equal(("第四版", 4L), (article.Title, article.ImportVersion!.Value));
    }

    public static TheoryData<string> ShouldFail() => new(Directory.GetFiles(Path.Combine(SharedSpecs.Folder, "ninjs", "test_suite"), "*.json", SearchOption.AllDirectories)
        .Where(f => f.Contains("should_fail")).Select(f => Path.GetRelativePath(Path.Combine(SharedSpecs.Folder, "ninjs", "test_suite"), f)).Order());

    [Theory]
    [MemberData(nameof(ShouldFail))]
    public async Task IPTC_should_fail_items_are_invalid_against_the_schema(string fixture)
    {
        using var editor = await As(Role.Editor);
        var item = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(SharedSpecs.Folder, "ninjs", "test_suite", fixture)))!;
        item["headlines"] ??= new JsonArray(new JsonObject { ["role"] = "main", ["value"] = "標題" });

        var (_, results, _) = await editor.Import(Body(item.ToJsonString(), "application/ninjs+json"));

        Assert.Equal("invalid", results[0].Outcome());
        Assert.Equal(["ninjs"], results[0]["errors"]!.AsObject().Select(e => e.Key));
    }

    [Theory]
    [InlineData("broken UTF-8")]
    [InlineData("lone surrogate")]
    public async Task A_ninjs_item_whose_text_is_not_valid_Unicode_is_invalid_and_nothing_is_written(string fault)
    {
        using var editor = await As(Role.Editor);
        var bytes = System.Text.Encoding.UTF8.GetBytes(Ninjs31("urn:agency:@", "1", "烏鎮峰會閉幕"));
        bytes = fault == "broken UTF-8"
            ? bytes.Select(b => b == (byte)'@' ? (byte)0xFF : b).ToArray()
            : System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(bytes).Replace("@", "\\ud800"));
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new("application/ninjs+json");

        var (_, results, _) = await editor.Import(content, "?createMissing=true");

        Assert.Equal("invalid", results[0].Outcome());
        Assert.Equal(["ninjs"], results[0]["errors"]!.AsObject().Select(e => e.Key));
        await using var db = Fixture.NewDbContext();
        Assert.False(await db.Articles.AnyAsync());
    }

    [Fact]
    public async Task A_headline_of_one_word_longer_than_a_slug_still_gets_a_slug()
    {
        using var editor = await As(Role.Editor);
        var word = new string('w', 300);

        var (_, results, _) = await editor.Import(Body(Ninjs31("urn:agency:long", "1", word), "application/ninjs+json"), "?createMissing=true");

        Assert.Equal("created", results[0].Outcome());
        await using var db = Fixture.NewDbContext();
        var slug = await db.Articles.Select(a => a.Slug).SingleAsync();
        Assert.Equal(new string('w', NewsApi.Content.Slugs.MaxLength), slug);
    }

    [Fact]
    public async Task IPTC_should_pass_items_of_2_2_and_3_1_pass_the_schema()
    {
        using var editor = await As(Role.Editor);
        var folder = Path.Combine(SharedSpecs.Folder, "ninjs", "test_suite");
        var items = new[] { "2.2", "3.1", "3.0" }.SelectMany(v => Directory.GetFiles(Path.Combine(folder, v, "should_pass")))
            .Select(f => JsonNode.Parse(File.ReadAllText(f))!.ToJsonString()).ToArray();

        var (_, results, _) = await editor.Import(Body(Ndjson(items)), "?format=ninjs&dryRun=true");

        Assert.All(results, r => Assert.False(r["errors"]?["ninjs"] is not null, r.ToJsonString()));
    }

    [Fact]
    public async Task The_sample_wire_story_is_parsed_into_dateline_byline_headings_and_paragraphs_without_pinyin()
    {
        using var editor = await As(Role.Editor);
        var text = await File.ReadAllTextAsync(Path.Combine(LocalRepository(), "src", "NewsApi", "Demo", "wuzhen-summit-article.txt"));

        var (_, results, _) = await editor.Import(Body(text, "text/plain"), "?date=2023-11-11");
        var again = await editor.Import(Body(text, "text/plain"), "?date=2023-11-11");

        Assert.Equal("created", results[0].Outcome());
        Assert.StartsWith("wire:", (string?)results[0]["externalId"]);
        Assert.Equal("unchanged", again.Results[0].Outcome());
        var article = await (await editor.GetAsync($"/api/v1/articles/{results[0]["id"]}")).Json();
        Assert.Equal("心向“網”之:為何是烏鎮?", (string?)article["title"]);
        Assert.Equal("中新網", (string?)article["dateline"]!["agency"]);
        Assert.Equal("烏鎮", (string?)article["dateline"]!["place"]);
        Assert.Equal("2023-11-11", (string?)article["dateline"]!["date"]);
        Assert.Equal("張煜歡", (string?)article["byline"]);
        var body = article["body"]!.AsArray();
        Assert.Equal(["聚焦發展 共享普惠繁榮", "關注挑戰 共創和平安全", "增進文明 共倡平等包容"],
            body.Where(b => (string?)b!["type"] == "heading").Select(b => (string)b!["text"]!));
        Assert.StartsWith("11月10日,2023年世界互聯網大會烏鎮峰會", (string?)body[0]!["text"]);
        Assert.DoesNotContain(body, b => ((string?)b!["text"])?.Contains("(wǎng)") == true || ((string?)b!["text"])?.EndsWith("(完)", StringComparison.Ordinal) == true);
    }

    static string LocalRepository() => NewsApi.Development.RepositoryRoot.Find(AppContext.BaseDirectory)!;
}
