using System.Net;
using NetVips;
using Role = NewsApi.Data.Entities.Role;
using Image = NetVips.Image;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Features.Assets.TestImages;

namespace NewsApi.Tests.Features.Assets;

public sealed class UploadAssetTests(ApiFixture fixture) : ApiTest(fixture)
{
    const string Refused = "urn:newsapi:problem:media-refused";

    [Fact]
    public async Task A_photo_uploaded_as_the_body_is_described_by_its_bytes_and_the_same_file_in_a_form_is_the_same_asset()
    {
        using var editor = await As(Role.Editor);
        var photo = Jpeg(96, 64);

        var created = await editor.PostAsync("/api/v1/assets", Body(photo, "image/png"));

        var asset = await created.Json(HttpStatusCode.Created);
        Assert.Equal("image/jpeg", (string?)asset["contentType"]);
        Assert.Equal(96, (int)asset["width"]!);
        Assert.Equal(64, (int)asset["height"]!);
        Assert.Equal(photo.Length, (long)asset["bytes"]!);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(photo)), (string?)asset["sha256"]);
        Assert.Matches("^#[0-9a-f]{6}$", (string?)asset["dominantColor"]);
        Assert.Equal(28, ((string?)asset["blurHash"])!.Length); // 4×3 components
        Assert.Equal($"/api/v1/assets/{asset["id"]}", created.Headers.Location?.OriginalString);
        var w640 = asset["renditions"]!.AsArray().Single(r => (string?)r!["preset"] == "w640" && (string?)r["format"] == "webp")!;
        Assert.Equal(96, (int)w640["width"]!); // a width preset never enlarges
        Assert.StartsWith($"/media/{asset["id"]}/w640.webp?v=", (string?)w640["url"]);
        Assert.Contains(" 96w", (string?)asset["srcset"]!["webp"]);

        var again = await editor.PostAsync("/api/v1/assets", Form(photo, "another-name.png"));

        Assert.Equal((string?)asset["id"], (string?)(await again.Json(HttpStatusCode.OK))["id"]);
    }

    public static TheoryData<string, string> Kinds() => new()
    {
        { ".jpg", "image/jpeg" }, { ".png", "image/png" }, { ".webp", "image/webp" }, { ".avif", "image/avif" }, { ".gif", "image/gif" },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Each_kind_of_image_is_accepted_whatever_its_content_type_says(string suffix, string contentType)
    {
        using var editor = await As(Role.Editor);
        using var picture = Gradient(80, 40);

        var asset = await (await editor.PostAsync("/api/v1/assets", Body(Encode(picture, suffix), "text/plain"))).Json(HttpStatusCode.Created);

        Assert.Equal(contentType, (string?)asset["contentType"]);
        Assert.Equal(80, (int)asset["width"]!);
    }

    public static TheoryData<string, byte[], HttpStatusCode, string> Refusals() => new()
    {
        { "svg", "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"u8.ToArray(), HttpStatusCode.UnsupportedMediaType, "svg" },
        { "text", "Not a picture at all"u8.ToArray(), HttpStatusCode.UnsupportedMediaType, "file-type" },
        { "bomb", PngBomb(), HttpStatusCode.UnprocessableEntity, "pixel-limit" },
        { "truncated", Jpeg(200, 200)[..400], HttpStatusCode.UnprocessableEntity, "unreadable" },
        { "empty", [], HttpStatusCode.BadRequest, "empty" },
        { "svg after a BOM, a comment and a doctype", [0xEF, 0xBB, 0xBF, .. "<!-- logo --><!DOCTYPE svg><svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>"u8], HttpStatusCode.UnsupportedMediaType, "svg" },
        { "heic", HeicHead(), HttpStatusCode.UnsupportedMediaType, "file-type" },
        { "html behind a gif signature", [.. "GIF89a"u8, .. "<html><script>alert(1)</script></html>"u8], HttpStatusCode.UnprocessableEntity, "unreadable" },
        { "a jpeg behind a png signature", [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, .. Jpeg(64, 64)], HttpStatusCode.UnprocessableEntity, "unreadable" },
        { "gif bomb", GifBomb(), HttpStatusCode.UnprocessableEntity, "pixel-limit" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_file_that_breaks_a_rule_is_a_problem_naming_it_and_nothing_is_stored(string kind, byte[] bytes, HttpStatusCode status, string rule)
    {
        using var editor = await As(Role.Editor);

        var problem = await (await editor.PostAsync("/api/v1/assets", Body(bytes, "image/jpeg"))).Problem(status, Refused);

        Assert.Equal(rule, (string?)problem["rule"]);
        Assert.Empty((await (await editor.GetAsync("/api/v1/assets")).Json())["items"]!.AsArray());
        Assert.NotNull(kind);
    }

    [Fact]
    public async Task An_svg_named_and_typed_as_a_png_in_a_form_is_still_refused_as_svg()
    {
        using var editor = await As(Role.Editor);
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"u8.ToArray());
        file.Headers.ContentType = new("image/png");
        form.Add(file, "file", "photo.png");

        var problem = await (await editor.PostAsync("/api/v1/assets", form)).Problem(HttpStatusCode.UnsupportedMediaType, Refused);

        Assert.Equal("svg", (string?)problem["rule"]);
        Assert.Empty((await (await editor.GetAsync("/api/v1/assets")).Json())["items"]!.AsArray());
    }

    [Fact]
    public async Task A_photo_named_and_typed_as_an_svg_is_taken_as_the_jpeg_its_bytes_are()
    {
        using var editor = await As(Role.Editor);
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Jpeg(48, 32));
        file.Headers.ContentType = new("image/svg+xml");
        form.Add(file, "file", "logo.svg");

        var asset = await (await editor.PostAsync("/api/v1/assets", form)).Json(HttpStatusCode.Created);

        Assert.Equal("image/jpeg", (string?)asset["contentType"]);
    }

    [Fact]
    public async Task A_form_without_a_file_part_is_refused()
    {
        using var editor = await As(Role.Editor);
        using var form = new MultipartFormDataContent { { new StringContent("烏鎮"), "caption" } };

        var problem = await (await editor.PostAsync("/api/v1/assets", form)).Problem(HttpStatusCode.BadRequest, Refused);

        Assert.Equal("no-file", (string?)problem["rule"]);
    }

    [Fact]
    public async Task Only_editors_upload()
    {
        using var previewer = await As(Role.Previewer);

        Assert.Equal(HttpStatusCode.Unauthorized, (await Client.PostAsync("/api/v1/assets", Body(Jpeg()))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await previewer.PostAsync("/api/v1/assets", Body(Jpeg()))).StatusCode);
    }

    [Fact]
    public async Task Served_renditions_carry_no_exif_nor_gps_and_show_the_photo_the_right_way_up()
    {
        using var editor = await As(Role.Editor);
        using (var tagged = Image.NewFromBuffer(JpegWithGps(96, 64)))
            Assert.Contains(tagged.GetFields(), f => f.StartsWith("exif-ifd3-GPS", StringComparison.Ordinal)); // the test's premise

        var asset = await (await editor.PostAsync("/api/v1/assets", Body(JpegWithGps(96, 64)))).Json(HttpStatusCode.Created);

        Assert.Equal((64, 96), ((int)asset["width"]!, (int)asset["height"]!)); // orientation 6: a quarter turn
        foreach (var format in new[] { "jpg", "webp", "avif" })
        {
            var url = (string)asset["renditions"]!.AsArray().Single(r => (string?)r!["preset"] == "w320" && (string?)r["format"] == format)!["url"]!;
            var response = await editor.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var served = Image.NewFromBuffer(await response.Content.ReadAsByteArrayAsync());
            Assert.DoesNotContain(served.GetFields(), f => f.StartsWith("exif", StringComparison.Ordinal) || f.Contains("gps", StringComparison.OrdinalIgnoreCase)
                                                            || f is "xmp-data" or "iptc-data" or "orientation");
            Assert.Equal((64, 96), (served.Width, served.Height));
        }
    }
}
