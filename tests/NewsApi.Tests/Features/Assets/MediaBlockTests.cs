using System.Net;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NewsApi.Content;
using NewsApi.Tests.Feeds;
using NewsApi.Tests.Import;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Features.Assets.TestImages;
using static NewsApi.Tests.Infrastructure.Requests;
using Role = NewsApi.Data.Entities.Role;

namespace NewsApi.Tests.Features.Assets;

/// <summary>
/// The gallery, video and embed blocks: what an editor writes, what is refused, what readers get in bodyHtml, and how
/// ninjs, JSON-LD, feeds and imports carry the pictures and videos.
/// </summary>
public sealed class MediaBlockTests(ApiFixture fixture) : ApiTest(fixture)
{
    const string Video = "https://video.example.com/wuzhen/closing.mp4";
    const string Player = "https://player.bilibili.com/player.html?bvid=BV1GJ411x7h7";

    /// <summary>An uploaded picture (each size is a different file, so a different asset), with alt text unless told not to.</summary>
    async Task<Guid> Asset(HttpClient editor, int width, int height, string? alt = "會展中心外景")
    {
        var created = await editor.PostAsync("/api/v1/assets", Body(Jpeg(width, height)));
        var asset = await created.Json(HttpStatusCode.Created);
        if (alt is not null)
            await (await editor.Send(HttpMethod.Patch, $"/api/v1/assets/{asset["id"]}", JsonBody(new { alt, credit = "中新社記者 張亨偉 攝" }), created.ETag())).Json();
        return Guid.Parse((string)asset["id"]!);
    }

    static object[] Blocks(Guid first, Guid second, Guid poster) =>
    [
        new { type = "paragraph", text = "2023年世界互聯網大會烏鎮峰會正式落下帷幕。" },
        new { type = "gallery", images = new object[] { new { assetId = second, caption = "分論壇現場" }, new { assetId = first, caption = "會展中心" } } },
        new { type = "video", url = Video, poster = new { assetId = poster }, caption = "閉幕式" },
        new { type = "embed", url = Player, caption = "直播回放" },
    ];

    async Task<JsonNode> Create(HttpClient editor, object[] body, Guid? cover = null, string? section = null) =>
        await (await editor.PostAsync("/api/v1/articles", JsonBody(new
        {
            title = "烏鎮峰會閉幕", section, coverImage = cover is { } c ? new { assetId = c } : null, body,
        }))).Json(HttpStatusCode.Created);

    async Task<(Guid Id, Guid First, Guid Second, Guid Poster)> Published(HttpClient editor, string? section = null)
    {
        var (first, second, poster) = (await Asset(editor, 400, 300), await Asset(editor, 300, 400), await Asset(editor, 320, 180));
        var article = await Create(editor, Blocks(first, second, poster), cover: first, section: section);
        var id = Guid.Parse((string)article["id"]!);
        await (await editor.PostAsync($"/api/v1/articles/{id}/publish", null)).Json();
        return (id, first, second, poster);
    }

    async Task<JsonNode> Read(string path, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        return JsonNode.Parse(await (await Client.SendAsync(request)).Content.ReadAsStringAsync())!;
    }

    [Fact]
    public async Task A_gallery_keeps_its_pictures_in_order_each_with_its_own_caption_size_and_renditions()
    {
        using var editor = await As(Role.Editor);
        var (first, second) = (await Asset(editor, 400, 300), await Asset(editor, 300, 400));

        var article = await Create(editor, Blocks(first, second, first));

        var images = article["body"]![1]!["images"]!.AsArray();
        Assert.Equal([second.ToString(), first.ToString()], images.Select(i => (string)i!["assetId"]!));
        Assert.Equal(["分論壇現場", "會展中心"], images.Select(i => (string)i!["caption"]!));
        Assert.Equal("會展中心外景", (string?)images[0]!["alt"]); // the asset's alt where the use gives none
        Assert.Equal((300, 400), ((int)images[0]!["width"]!, (int)images[0]!["height"]!));
        Assert.NotEmpty(images[0]!["renditions"]!.AsArray());
        var html = (string)article["bodyHtml"]!;
        Assert.Contains($"<figure><ul><li><figure><img src=\"/media/{second}/w1280.jpg?v=", html);
        Assert.True(html.IndexOf($"/media/{second}/", StringComparison.Ordinal) < html.IndexOf($"/media/{first}/w1280", StringComparison.Ordinal));
        Assert.Contains("<figcaption>分論壇現場 中新社記者 張亨偉 攝</figcaption>", html);
    }

    [Fact]
    public async Task A_gallery_is_refused_when_empty_too_long_or_naming_an_asset_that_does_not_exist()
    {
        using var editor = await As(Role.Editor);
        var picture = new { url = "https://img.example.com/1.jpg" };

        await (await editor.PostAsync("/api/v1/articles", JsonBody(new { title = "圖集", body = new[] { new { type = "gallery", images = Array.Empty<object>() } } })))
            .Invalid("body[0].images");
        await (await editor.PostAsync("/api/v1/articles", JsonBody(new { title = "圖集", body = new[] { new { type = "gallery", images = Enumerable.Repeat(picture, 51).ToArray() } } })))
            .Invalid("body[0].images");
        await (await editor.PostAsync("/api/v1/articles", JsonBody(new { title = "圖集", body = new[] { new { type = "gallery", images = new object[] { new { assetId = Guid.NewGuid() } } } } })))
            .Invalid("assetId");
        await (await editor.PostAsync("/api/v1/articles", JsonBody(new { title = "圖集", body = new[] { new { type = "gallery", images = new object[] { new { caption = "沒有圖" } } } } })))
            .Invalid("body[0].images[0].url");
        await (await editor.PostAsync("/api/v1/articles", JsonBody(new { title = "圖集", body = new[] { new { type = "gallery", url = "https://img.example.com/1.jpg", images = new[] { picture } } } })))
            .Invalid("body[0].type");
    }

    [Fact]
    public async Task An_article_cannot_be_published_while_a_gallery_picture_or_a_video_poster_lacks_alt_text()
    {
        using var editor = await As(Role.Editor);
        var (described, bare, poster) = (await Asset(editor, 400, 300), await Asset(editor, 300, 400, alt: null), await Asset(editor, 320, 180, alt: null));
        var article = await Create(editor, Blocks(described, bare, poster));

        var problem = await (await editor.PostAsync($"/api/v1/articles/{article["id"]}/publish", null)).Invalid("alt");

        var detail = (string)problem["errors"]!["alt"]![0]!;
        Assert.Contains(bare.ToString(), detail);
        Assert.Contains(poster.ToString(), detail);
        Assert.DoesNotContain(described.ToString(), detail);
    }

    [Fact]
    public async Task A_video_plays_its_https_file_with_a_poster_from_the_library()
    {
        using var editor = await As(Role.Editor);
        var poster = await Asset(editor, 320, 180);

        var article = await Create(editor, [new { type = "video", url = Video, poster = new { assetId = poster }, caption = "閉幕式", credit = "中新網" }]);

        var block = article["body"]![0]!;
        Assert.Equal(Video, (string?)block["url"]);
        Assert.StartsWith($"/media/{poster}/w1280.jpg?v=", (string?)block["poster"]!["url"]);
        Assert.Equal((320, 180), ((int)block["poster"]!["width"]!, (int)block["poster"]!["height"]!));
        Assert.StartsWith($"<figure><video src=\"{Video}\" poster=\"/media/{poster}/w1280.jpg?v=", (string?)article["bodyHtml"]);
        Assert.Contains(" controls=\"\" preload=\"metadata\" playsinline=\"\"></video><figcaption>閉幕式 中新網</figcaption></figure>", (string?)article["bodyHtml"]);
    }

    [Theory]
    [InlineData("http://video.example.com/a.mp4")]            // not https: a secure page would not play it
    [InlineData("https://video.example.com/watch?v=1")]       // not a video file
    [InlineData("https://video.example.com/a.mp4.html")]
    [InlineData("https://video.example.com:8443/a.mp4")]      // a port, as the sanitiser refuses for iframes
    [InlineData("https://user:secret@video.example.com/a.mp4")]
    [InlineData("javascript:alert(1)//a.mp4")]
    [InlineData("/videos/a.mp4")]
    public async Task A_video_whose_url_is_not_an_https_video_file_is_refused(string url)
    {
        using var editor = await As(Role.Editor);

        var problem = await (await editor.PostAsync("/api/v1/articles", JsonBody(new { title = "視頻", body = new[] { new { type = "video", url } } }))).Invalid("body[0].url");

        Assert.Contains(".mp4", (string)problem["errors"]!["body[0].url"]![0]!);
    }

    [Theory]
    [InlineData("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ")]
    [InlineData("https://player.bilibili.com/player.html?bvid=BV1GJ411x7h7")]
    [InlineData("https://video.weibo.com/player/1034:4962013765517349")]
    [InlineData("https://platform.twitter.com/embed/Tweet.html?id=1724000000000000000")]
    [InlineData("https://www.instagram.com/p/CzXyZ123abc/embed")]
    public async Task An_embed_shows_the_player_of_a_listed_provider(string url)
    {
        using var editor = await As(Role.Editor);

        var article = await Create(editor, [new { type = "embed", url, caption = "峰會直播" }]);

        Assert.Equal($"<figure><iframe src=\"{url.Replace("&", "&amp;")}\" title=\"峰會直播\" loading=\"lazy\" allowfullscreen=\"\" " +
                     "referrerpolicy=\"strict-origin-when-cross-origin\"></iframe><figcaption>峰會直播</figcaption></figure>\n", (string?)article["bodyHtml"]);
    }

    [Theory]
    [InlineData("https://evil.example.com/embed/1")]
    [InlineData("http://www.youtube.com/embed/1")]
    [InlineData("https://www.youtube.com.evil.example/embed/1")]
    [InlineData("https://www.youtube.com:444/embed/1")]
    public async Task An_embed_from_a_provider_not_listed_is_refused_naming_the_list(string url)
    {
        using var editor = await As(Role.Editor);

        var problem = await (await editor.PostAsync("/api/v1/articles", JsonBody(new { title = "嵌入", body = new[] { new { type = "embed", url } } }))).Invalid("body[0].url");

        Assert.Contains("player.bilibili.com", (string)problem["errors"]!["body[0].url"]![0]!);
    }

    [Fact]
    public async Task The_embed_providers_are_the_html_sanitizers_iframe_hosts()
    {
        await using var site = Fixture.Factory.WithWebHostBuilder(b => b.UseSetting("Html:IframeHosts:0", "video.example.org"));
        using var api = site.CreateClient();
        using var editor = await As(Role.Editor);
        api.DefaultRequestHeaders.Authorization = editor.DefaultRequestHeaders.Authorization;

        await (await api.PostAsync("/api/v1/articles", JsonBody(new { title = "嵌入", body = new[] { new { type = "embed", url = "https://video.example.org/embed/1" } } })))
            .Json(HttpStatusCode.Created);
        await (await api.PostAsync("/api/v1/articles", JsonBody(new { title = "嵌入", body = new[] { new { type = "embed", url = Player } } })))
            .Invalid("body[0].url");
    }

    [Fact]
    public async Task What_the_new_blocks_render_is_what_the_html_sanitizer_keeps_even_from_hostile_texts()
    {
        using var editor = await As(Role.Editor);
        // Texts may not hold tags (they are plain text), but may hold every character markup is made of.
        const string hostile = "5 > 3 & \"引號\" 'x' < 4 onload=alert(1)";
        var article = await Create(editor,
        [
            new { type = "gallery", images = new object[] { new { url = "https://img.example.com/a.jpg?x=\"><script>", caption = hostile, alt = hostile, credit = hostile } } },
            new { type = "video", url = "https://video.example.com/a.mp4?t=\"onload=alert(1)", poster = new { url = "https://img.example.com/p.jpg", alt = hostile }, caption = hostile },
            new { type = "embed", url = "https://www.youtube-nocookie.com/embed/1?a=\"><script>", caption = hostile },
        ]);
        var html = (string)article["bodyHtml"]!;

        // Compared as parsed documents: the sanitiser writes the same markup back with its own choice of escapes.
        var sanitizer = Fixture.Factory.Services.GetRequiredService<NewsHtml>();
        Assert.Equal(Parsed(html), Parsed(sanitizer.Sanitize(html)));
        Assert.DoesNotContain("<script", html);
        Assert.Equal(4, html.Split("<figure>").Length - 1); // the gallery and its picture, the video, the embed: nothing injected
        Assert.Equal(["img", "video", "iframe"], new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html).QuerySelectorAll("img, video, iframe").Select(e => e.LocalName));
    }

    static string Parsed(string html) => new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html).Body!.InnerHtml.Replace("\n", "");

    [Fact]
    public async Task Ninjs_associations_carry_the_cover_every_body_picture_with_its_renditions_and_the_video()
    {
        using var editor = await As(Role.Editor);
        var (id, first, second, poster) = await Published(editor);

        var three = await Read($"/api/v1/articles/{id}", "application/ninjs+json");
        var two = await Read($"/api/v1/articles/{id}", "application/ninjs+json; version=2");

        SharedSpecs.AssertValidNinjs(three, "3.1");
        SharedSpecs.AssertValidNinjs(two, "2.2");
        var associations = three["associations"]!.AsArray();
        Assert.Equal(["featureimage", "image-1", "image-2", "video-1", "video-1-poster"], associations.Select(a => (string)a!["name"]!));
        Assert.Equal(["featureimage", "gallery", "gallery", "inline", "poster"], associations.Select(a => (string)a!["rel"]!));
        Assert.Contains($"/media/{second}/", (string?)associations[1]!["uri"]);
        Assert.Contains($"/media/{poster}/", (string?)associations[4]!["uri"]);
        var renditions = associations[0]!["renditions"]!.AsArray();
        var w320 = renditions.Single(r => (string?)r!["name"] == "w320.webp")!;
        Assert.Equal(("image/webp", 320, 240), ((string?)w320["contentType"], (int)w320["width"]!, (int)w320["height"]!));
        Assert.StartsWith($"http://localhost:5080/media/{first}/w320.webp?v=", (string?)w320["href"]);
        Assert.Equal("video", (string?)associations[3]!["type"]);
        Assert.Equal(Video, (string?)associations[3]!["renditions"]![0]!["href"]);
        Assert.Equal("video/mp4", (string?)associations[3]!["renditions"]![0]!["contentType"]);
        Assert.Equal("分論壇現場", (string?)associations[1]!["descriptions"]![0]!["value"]);
    }

    [Fact]
    public async Task Json_ld_gives_every_picture_as_image_objects_with_width_and_height_and_the_video_as_a_video_object()
    {
        using var editor = await As(Role.Editor);
        var (id, first, second, poster) = await Published(editor);

        var ld = await Read($"/api/v1/articles/{id}", "application/ld+json");

        SchemaOrg.AssertValid(ld);
        var images = ld["image"]!.AsArray();
        Assert.All(images, i => Assert.True((int)i!["width"]! > 0 && (int)i["height"]! > 0));
        Assert.StartsWith($"http://localhost:5080/media/{first}/w1280.jpg?v=", (string?)images[0]!["url"]); // the cover comes first
        Assert.Contains(images, i => ((string)i!["url"]!).Contains($"/media/{first}/square-400.jpg") && (int)i["width"]! == 400 && (int)i["height"]! == 400);
        Assert.Contains(images, i => ((string)i!["url"]!).Contains($"/media/{second}/w1280.jpg"));
        var video = ld["video"]![0]!;
        Assert.Equal(("VideoObject", Video, "閉幕式"), ((string?)video["@type"], (string?)video["contentUrl"], (string?)video["name"]));
        Assert.StartsWith($"http://localhost:5080/media/{poster}/", (string?)video["thumbnailUrl"]);
        Assert.NotNull(video["uploadDate"]);
    }

    [Fact]
    public async Task Feeds_carry_the_cover_image_as_rss_enclosure_and_media_content_atom_enclosure_and_json_feed_image()
    {
        await Given.Section("domestic", "國內");
        using var editor = await As(Role.Editor);
        var (_, cover, _, _) = await Published(editor, section: "domestic");
        var prefix = $"http://localhost:5080/media/{cover}/w1280.jpg?v=";

        var rss = XDocument.Parse(await Client.GetStringAsync("/feeds/sections/domestic.rss")).Root!.Element("channel")!.Element("item")!;
        var enclosure = rss.Element("enclosure")!;
        Assert.StartsWith(prefix, (string?)enclosure.Attribute("url"));
        Assert.Equal(("image/jpeg", "0"), ((string?)enclosure.Attribute("type"), (string?)enclosure.Attribute("length")));
        XNamespace media = "http://search.yahoo.com/mrss/";
        var content = rss.Element(media + "content")!;
        Assert.StartsWith(prefix, (string?)content.Attribute("url"));
        Assert.Equal(("image", "image/jpeg", "400", "300"),
            ((string?)content.Attribute("medium"), (string?)content.Attribute("type"), (string?)content.Attribute("width"), (string?)content.Attribute("height")));
        Assert.Equal("中新社記者 張亨偉 攝", (string?)content.Element(media + "credit"));

        XNamespace atom = "http://www.w3.org/2005/Atom";
        var link = XDocument.Parse(await Client.GetStringAsync("/feeds/sections/domestic.atom")).Root!.Element(atom + "entry")!
            .Elements(atom + "link").Single(l => (string?)l.Attribute("rel") == "enclosure");
        Assert.StartsWith(prefix, (string?)link.Attribute("href"));
        Assert.Equal("image/jpeg", (string?)link.Attribute("type"));

        var json = JsonNode.Parse(await Client.GetStringAsync("/feeds/sections/domestic.json"))!;
        SharedSpecs.AssertValidJsonFeed(json);
        Assert.StartsWith(prefix, (string?)json["items"]![0]!["image"]);
    }

    [Fact]
    public async Task An_import_takes_the_new_blocks_by_the_same_rules_as_a_write()
    {
        using var editor = await As(Role.Editor);
        var (first, second, bare) = (await Asset(editor, 400, 300), await Asset(editor, 300, 400), await Asset(editor, 320, 180, alt: null));
        object Item(string externalId, object[] body, string? status = null) => new { externalId, title = "烏鎮峰會閉幕", status, coverImage = new { assetId = first }, body };

        var (_, results, _) = await editor.Import(ImportTestData.Body(ImportTestData.Ndjson(
            Item("m-1", Blocks(first, second, first), status: "published"),
            Item("m-2", [new { type = "embed", url = "https://evil.example.com/embed/1" }]),
            Item("m-3", [new { type = "gallery", images = new object[] { new { assetId = Guid.NewGuid() } } }]),
            Item("m-4", [new { type = "video", url = Video, poster = new { assetId = bare } }], status: "published"),
            Item("m-5", [new { type = "video", url = Video, poster = new { assetId = bare } }]))));

        Assert.Equal(["created", "invalid", "invalid", "invalid", "created"], results.Select(r => r.Outcome()));
        Assert.Contains("body[0].url", results[1]["errors"]!.AsObject().Select(e => e.Key));
        Assert.Contains("assetId", results[2]["errors"]!.AsObject().Select(e => e.Key));
        Assert.Contains("alt", results[3]["errors"]!.AsObject().Select(e => e.Key));

        var article = await (await Client.GetAsync($"/api/v1/articles/{results[0]["id"]}")).Json();
        Assert.Equal([second.ToString(), first.ToString()], article["body"]![1]!["images"]!.AsArray().Select(i => (string)i!["assetId"]!));
        Assert.NotEmpty(article["body"]![1]!["images"]![0]!["renditions"]!.AsArray());
        Assert.Contains($"<iframe src=\"{Player.Replace("&", "&amp;")}\"", (string?)article["bodyHtml"]);
        await using var db = Fixture.NewDbContext();
        var uses = await db.ArticleAssets.Where(u => u.ArticleId == Guid.Parse((string)results[0]["id"]!)).Select(u => u.AssetId).ToListAsync();
        Assert.Equal(new[] { first, second }.Order(), uses.Order()); // recorded: the assets are public now, and cannot be deleted
        await (await editor.Send(HttpMethod.Delete, $"/api/v1/assets/{second}", null, (await editor.GetAsync($"/api/v1/assets/{second}")).ETag()))
            .Problem(HttpStatusCode.Conflict, NewsApi.Api.ProblemTypes.Conflict);

        // Re-importing the same item with another gallery order updates it and its uses.
        var (_, again, _) = await editor.Import(ImportTestData.Body(ImportTestData.Ndjson(
            Item("m-5", [new { type = "gallery", images = new object[] { new { assetId = second } } }]))));
        Assert.Equal(["updated"], again.Select(r => r.Outcome()));
        var m5 = Guid.Parse((string)again[0]["id"]!);
        Assert.Equal(new[] { first, second }.Order(), (await db.ArticleAssets.Where(u => u.ArticleId == m5).Select(u => u.AssetId).ToListAsync()).Order());
    }
}
