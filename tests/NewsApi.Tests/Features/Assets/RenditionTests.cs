using System.Net;
using System.Text.Json.Nodes;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Features.Assets.TestImages;
using static NewsApi.Tests.Infrastructure.Requests;
using Image = NetVips.Image;
using Role = NewsApi.Data.Entities.Role;

namespace NewsApi.Tests.Features.Assets;

public sealed class RenditionTests(ApiFixture fixture) : ApiTest(fixture)
{
    async Task<(HttpClient Editor, JsonNode Asset)> Uploaded(byte[] bytes, object? metadata = null)
    {
        var editor = await As(Role.Editor);
        var created = await editor.PostAsync("/api/v1/assets", Body(bytes));
        var asset = await created.Json(HttpStatusCode.Created);
        if (metadata is not null)
            asset = await (await editor.Send(HttpMethod.Patch, $"/api/v1/assets/{asset["id"]}", JsonBody(metadata), created.ETag())).Json();
        return (editor, asset);
    }

    static string Url(JsonNode asset, string preset, string format) =>
        (string)asset["renditions"]!.AsArray().Single(r => (string?)r!["preset"] == preset && (string?)r["format"] == format)!["url"]!;

    [Fact]
    public async Task A_crop_keeps_the_focal_point_in_view()
    {
        // 400 × 100, red rising from left to right: a square crop of the right end is red, of the left end is not.
        var (editor, asset) = await Uploaded(Jpeg(400, 100), new { focalPoint = new { x = 0.95, y = 0.5 } });
        using var right = Image.NewFromBuffer(await editor.GetByteArrayAsync(Url(asset, "square-400", "jpg")));
        var etag = (await editor.GetAsync(Url(asset, "square-400", "jpg"))).ETag();

        var moved = await (await editor.Send(HttpMethod.Patch, $"/api/v1/assets/{asset["id"]}",
            JsonBody(new { focalPoint = new { x = 0.05, y = 0.5 } }), (await editor.GetAsync($"/api/v1/assets/{asset["id"]}")).ETag())).Json();
        using var left = Image.NewFromBuffer(await editor.GetByteArrayAsync(Url(moved, "square-400", "jpg")));

        Assert.Equal((400, 400), (right.Width, right.Height));
        Assert.True(right[0].Avg() > 200, $"the right end's red is {right[0].Avg()}");
        Assert.True(left[0].Avg() < 55, $"the left end's red is {left[0].Avg()}");
        Assert.NotEqual(Url(asset, "square-400", "jpg"), Url(moved, "square-400", "jpg")); // a new crop, a new URL
        Assert.NotEqual(etag, (await editor.GetAsync(Url(moved, "square-400", "jpg"))).ETag());
    }

    [Fact]
    public async Task Presets_give_their_sizes_and_a_cover_preset_fills_its_box()
    {
        var (editor, asset) = await Uploaded(Jpeg(400, 300));

        using var w320 = Image.NewFromBuffer(await editor.GetByteArrayAsync(Url(asset, "w320", "webp")));
        using var og = Image.NewFromBuffer(await editor.GetByteArrayAsync(Url(asset, "og-1200x630", "jpg")));

        Assert.Equal((320, 240), (w320.Width, w320.Height));
        Assert.Equal((1200, 630), (og.Width, og.Height));
        var listed = asset["renditions"]!.AsArray().Single(r => (string?)r!["preset"] == "w320" && (string?)r["format"] == "webp")!;
        Assert.Equal((320, 240), ((int)listed["width"]!, (int)listed["height"]!));
    }

    [Theory]
    [InlineData("w321.webp")]
    [InlineData("w640.png")]
    [InlineData("w640.svg")]
    public async Task Only_configured_presets_and_formats_are_rendered(string name)
    {
        var (editor, asset) = await Uploaded(Jpeg());

        var problem = await (await editor.GetAsync($"/media/{asset["id"]}/{name}")).Problem(HttpStatusCode.NotFound, NewsApi.Api.ProblemTypes.NotFound);

        Assert.Matches("w320, w640.*|webp, avif, jpg", (string?)problem["detail"]); // what there is
    }

    [Fact]
    public async Task A_rendition_is_stored_once_and_served_immutable_with_its_etag()
    {
        var (_, asset) = await Uploaded(Jpeg(), new { @public = true });
        var url = Url(asset, "w640", "avif");

        var first = await Client.GetAsync(url);
        var stored = Directory.GetFiles(Fixture.Factory.MediaFolder, "*.avif", SearchOption.AllDirectories);
        var second = await Client.GetAsync(url);
        var notModified = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, url) { Headers = { { "If-None-Match", first.ETag() } } });
        var unversioned = await Client.GetAsync(url.Split('?')[0]);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("image/avif", first.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=31536000, immutable", first.Headers.CacheControl?.ToString());
        Assert.Single(stored, f => f.Contains(asset["id"]!.ToString().Replace("-", ""), StringComparison.Ordinal));
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await second.Content.ReadAsByteArrayAsync());
        Assert.Equal(first.ETag(), second.ETag());
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal("public, max-age=60", unversioned.Headers.CacheControl?.ToString()); // no v: the crop may change
    }

    [Fact]
    public async Task The_public_sees_an_asset_only_once_it_is_marked_public()
    {
        var (editor, asset) = await Uploaded(Jpeg());
        var url = Url(asset, "w320", "webp");

        await (await Client.GetAsync(url)).Problem(HttpStatusCode.NotFound, NewsApi.Api.ProblemTypes.NotFound);
        await (await Client.GetAsync($"/api/v1/assets/{asset["id"]}")).Problem(HttpStatusCode.NotFound, NewsApi.Api.ProblemTypes.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await editor.GetAsync(url)).StatusCode);

        await editor.Send(HttpMethod.Patch, $"/api/v1/assets/{asset["id"]}", JsonBody(new { @public = true }),
            (await editor.GetAsync($"/api/v1/assets/{asset["id"]}")).ETag());

        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync(url)).StatusCode);
        Assert.Equal((string?)asset["id"], (string?)(await (await Client.GetAsync($"/api/v1/assets/{asset["id"]}")).Json())["id"]);
    }

    [Fact]
    public async Task An_expired_asset_is_no_longer_served_and_is_never_cached_past_its_expiry()
    {
        var (editor, asset) = await Uploaded(Jpeg(), new { @public = true, expiresAt = ApiFixture.Now.AddHours(1) });
        var url = Url(asset, "w320", "jpg");

        var before = await Client.GetAsync(url);
        Clock.Advance(TimeSpan.FromHours(2));

        Assert.Equal("public, max-age=3600", before.Headers.CacheControl?.ToString());
        await (await Client.GetAsync(url)).Problem(HttpStatusCode.Gone, NewsApi.Api.ProblemTypes.Gone);
        await (await editor.GetAsync(url)).Problem(HttpStatusCode.Gone, NewsApi.Api.ProblemTypes.Gone);
        await (await Client.GetAsync($"/api/v1/assets/{asset["id"]}")).Problem(HttpStatusCode.Gone, NewsApi.Api.ProblemTypes.Gone);
    }
}
