using System.Net;
using System.Text.Json.Nodes;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Features.Assets.TestImages;
using static NewsApi.Tests.Infrastructure.Requests;
using Role = NewsApi.Data.Entities.Role;

namespace NewsApi.Tests.Features.Assets;

/// <summary>
/// The service keeps the renditions the public asks for by their versioned url, so serving one again reads neither the
/// database nor the media store; and the moment the public may no longer see the asset, it is no longer served.
/// </summary>
public sealed class RenditionCacheTests(ApiFixture fixture) : ApiTest(fixture)
{
    async Task<(HttpClient Editor, JsonNode Asset, string Url)> Public(object metadata)
    {
        var editor = await As(Role.Editor);
        var created = await editor.PostAsync("/api/v1/assets", Body(Jpeg(400, 300)));
        var asset = await (await editor.Send(HttpMethod.Patch, $"/api/v1/assets/{(await created.Json(HttpStatusCode.Created))["id"]}",
            JsonBody(metadata), created.ETag())).Json();
        var url = (string)asset["renditions"]!.AsArray().Single(r => (string?)r!["preset"] == "w320" && (string?)r["format"] == "webp")!["url"]!;
        return (editor, asset, url);
    }

    static async Task Change(HttpClient editor, JsonNode asset, object change) =>
        await (await editor.Send(HttpMethod.Patch, $"/api/v1/assets/{asset["id"]}", JsonBody(change),
            (await editor.GetAsync($"/api/v1/assets/{asset["id"]}")).ETag())).Json();

    async Task<string> Published(HttpClient editor, JsonNode asset)
    {
        var article = (string)(await (await editor.PostAsync("/api/v1/articles", JsonBody(new
        {
            title = "烏鎮峰會開幕", coverImage = new { assetId = (string)asset["id"]! },
            body = new object[] { new { type = "paragraph", text = "第十屆世界互聯網大會在烏鎮開幕。" } },
        }))).Json(HttpStatusCode.Created))["id"]!;
        await (await editor.PostAsync($"/api/v1/articles/{article}/publish", null)).Json();
        return article;
    }

    [Fact]
    public async Task A_rendition_the_public_read_once_is_served_again_without_the_database_or_the_store()
    {
        var (editor, _, url) = await Public(new { @public = true });
        using var _editor = editor;
        var first = await Client.GetAsync(url);
        foreach (var file in Directory.GetFiles(Fixture.Factory.MediaFolder, "*.webp", SearchOption.AllDirectories))
            File.Delete(file);

        HttpResponseMessage again = null!;
        var sql = await SqlSentBy(async () => again = await Client.GetAsync(url));

        Assert.Empty(sql);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await again.Content.ReadAsByteArrayAsync());
        Assert.Equal(first.ETag(), again.ETag());
        Assert.Equal("public, max-age=31536000, immutable", again.Headers.CacheControl?.ToString());
        Assert.Equal("image/webp", again.Content.Headers.ContentType?.MediaType);
        var notModified = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, url) { Headers = { { "If-None-Match", first.ETag() } } });
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Fact]
    public async Task A_rendition_is_no_longer_served_once_its_asset_is_no_longer_public()
    {
        var (editor, asset, url) = await Public(new { @public = true });
        using var _editor = editor;
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync(url)).StatusCode);

        await Change(editor, asset, new { @public = false });

        await (await Client.GetAsync(url)).Problem(HttpStatusCode.NotFound, NewsApi.Api.ProblemTypes.NotFound);
    }

    [Fact]
    public async Task A_rendition_is_no_longer_served_once_its_asset_expires()
    {
        var (editor, asset, url) = await Public(new { @public = true });
        using var _editor = editor;
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync(url)).StatusCode);

        await Change(editor, asset, new { expiresAt = ApiFixture.Now.AddMinutes(-1) });

        await (await Client.GetAsync(url)).Problem(HttpStatusCode.Gone, NewsApi.Api.ProblemTypes.Gone);
    }

    [Fact]
    public async Task A_rendition_kept_until_its_assets_expiry_is_not_served_once_the_clock_passes_it()
    {
        var (editor, _, url) = await Public(new { @public = true, expiresAt = ApiFixture.Now.AddHours(1) });
        using var _editor = editor;
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync(url)).StatusCode);

        Clock.Advance(TimeSpan.FromHours(2));

        await (await Client.GetAsync(url)).Problem(HttpStatusCode.Gone, NewsApi.Api.ProblemTypes.Gone);
    }

    [Fact]
    public async Task A_rendition_is_no_longer_served_once_its_asset_is_deleted()
    {
        var (editor, asset, url) = await Public(new { @public = true });
        using var _editor = editor;
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync(url)).StatusCode);

        var deleted = await editor.Send(HttpMethod.Delete, $"/api/v1/assets/{asset["id"]}", null, (await editor.GetAsync($"/api/v1/assets/{asset["id"]}")).ETag());

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await (await Client.GetAsync(url)).Problem(HttpStatusCode.NotFound, NewsApi.Api.ProblemTypes.NotFound);
    }

    [Fact]
    public async Task A_rendition_public_through_its_only_article_is_no_longer_served_once_that_article_is_unpublished()
    {
        var (editor, asset, url) = await Public(new { alt = "烏鎮互聯網國際會展中心外景" });
        using var _editor = editor;
        var article = await Published(editor, asset);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync(url)).StatusCode);

        await (await editor.PostAsync($"/api/v1/articles/{article}/unpublish", null)).Json();

        await (await Client.GetAsync(url)).Problem(HttpStatusCode.NotFound, NewsApi.Api.ProblemTypes.NotFound);
    }

    [Fact]
    public async Task A_rendition_public_through_its_only_article_is_no_longer_served_once_that_article_drops_it()
    {
        var (editor, asset, url) = await Public(new { alt = "烏鎮互聯網國際會展中心外景" });
        using var _editor = editor;
        var article = await Published(editor, asset);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync(url)).StatusCode);

        var dropped = await editor.Send(HttpMethod.Patch, $"/api/v1/articles/{article}", JsonBody(new { coverImage = (object?)null }),
            (await editor.GetAsync($"/api/v1/articles/{article}")).ETag());

        Assert.Equal(HttpStatusCode.OK, dropped.StatusCode);
        await (await Client.GetAsync(url)).Problem(HttpStatusCode.NotFound, NewsApi.Api.ProblemTypes.NotFound);
    }
}
