using System.Net;
using System.Text.Json.Nodes;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Features.Assets.TestImages;
using static NewsApi.Tests.Infrastructure.Requests;
using Role = NewsApi.Data.Entities.Role;

namespace NewsApi.Tests.Features.Assets;

public sealed class ArticleAssetTests(ApiFixture fixture) : ApiTest(fixture)
{
    async Task<JsonNode> Asset(HttpClient editor, object? metadata = null)
    {
        var created = await editor.PostAsync("/api/v1/assets", Body(Jpeg(400, 300)));
        var asset = await created.Json(HttpStatusCode.Created);
        return metadata is null ? asset
            : await (await editor.Send(HttpMethod.Patch, $"/api/v1/assets/{asset["id"]}", JsonBody(metadata), created.ETag())).Json();
    }

    static async Task<string> Draft(HttpClient editor, Guid cover, Guid inline) =>
        (string)(await (await editor.PostAsync("/api/v1/articles", JsonBody(new
        {
            title = "烏鎮峰會閉幕",
            coverImage = new { assetId = cover },
            body = new object[]
            {
                new { type = "paragraph", text = "2023年世界互聯網大會烏鎮峰會正式落下帷幕。" },
                new { type = "image", assetId = inline, caption = "會場外景" },
            },
        }))).Json(HttpStatusCode.Created))["id"]!;

    [Fact]
    public async Task A_cover_and_an_image_block_taken_from_the_library_carry_its_texts_size_and_renditions()
    {
        using var editor = await As(Role.Editor);
        var asset = await Asset(editor, new { alt = "烏鎮互聯網國際會展中心", credit = "中新社記者 張亨偉 攝" });
        var id = Guid.Parse((string)asset["id"]!);

        var article = await (await editor.GetAsync($"/api/v1/articles/{await Draft(editor, id, id)}")).Json();

        var cover = article["coverImage"]!;
        Assert.Equal(id.ToString(), (string?)cover["assetId"]);
        Assert.Equal("烏鎮互聯網國際會展中心", (string?)cover["alt"]);
        Assert.Equal("中新社記者 張亨偉 攝", (string?)cover["credit"]);
        Assert.Equal((400, 300), ((int)cover["width"]!, (int)cover["height"]!)); // the largest width preset never enlarges
        Assert.StartsWith($"/media/{id}/w1280.jpg?v=", (string?)cover["url"]);
        Assert.Equal(asset["renditions"]!.AsArray().Count, cover["renditions"]!.AsArray().Count);
        Assert.Contains($"<img src=\"/media/{id}/w1280.jpg?v=", (string?)article["bodyHtml"]);
        Assert.Contains("會場外景", (string?)article["bodyHtml"]); // the article's own caption wins
    }

    [Fact]
    public async Task An_article_cannot_be_published_while_one_of_its_assets_lacks_alt_text()
    {
        using var editor = await As(Role.Editor);
        var asset = await Asset(editor);
        var url = (string)asset["renditions"]!.AsArray()[0]!["url"]!;
        var article = await Draft(editor, Guid.Parse((string)asset["id"]!), Guid.Parse((string)asset["id"]!));

        await (await editor.PostAsync($"/api/v1/articles/{article}/publish", null)).Invalid("alt");
        await (await Client.GetAsync(url)).Problem(HttpStatusCode.NotFound, NewsApi.Api.ProblemTypes.NotFound);

        await editor.Send(HttpMethod.Patch, $"/api/v1/assets/{asset["id"]}", JsonBody(new { alt = "會展中心" }),
            (await editor.GetAsync($"/api/v1/assets/{asset["id"]}")).ETag());
        var published = await (await editor.PostAsync($"/api/v1/articles/{article}/publish", null)).Json();

        Assert.Equal("published", (string?)published["status"]);
        Assert.Equal("會展中心", (string?)published["coverImage"]!["alt"]); // refreshed from the asset on publishing
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync(url)).StatusCode); // a public article uses it now
    }

    [Fact]
    public async Task An_asset_a_published_article_uses_cannot_be_deleted()
    {
        using var editor = await As(Role.Editor);
        var asset = await Asset(editor, new { alt = "會展中心" });
        var article = await Draft(editor, Guid.Parse((string)asset["id"]!), Guid.Parse((string)asset["id"]!));
        await (await editor.PostAsync($"/api/v1/articles/{article}/publish", null)).Json();
        var etag = (await editor.GetAsync($"/api/v1/assets/{asset["id"]}")).ETag();

        await (await editor.Send(HttpMethod.Delete, $"/api/v1/assets/{asset["id"]}", null, etag)).Problem(HttpStatusCode.Conflict, NewsApi.Api.ProblemTypes.Conflict);

        await (await editor.PostAsync($"/api/v1/articles/{article}/unpublish", null)).Json();
        Assert.Equal(HttpStatusCode.NoContent, (await editor.Send(HttpMethod.Delete, $"/api/v1/assets/{asset["id"]}", null, etag)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await editor.GetAsync($"/api/v1/assets/{asset["id"]}")).StatusCode);
    }

    [Fact]
    public async Task An_article_naming_an_asset_that_does_not_exist_is_refused()
    {
        using var editor = await As(Role.Editor);

        await (await editor.PostAsync("/api/v1/articles", JsonBody(new { title = "烏鎮", coverImage = new { assetId = Guid.CreateVersion7() } }))).Invalid("assetId");
    }
}
