using System.Net;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Features.Assets.TestImages;
using Role = NewsApi.Data.Entities.Role;

namespace NewsApi.Tests.Features.Assets;

/// <summary>
/// Media:MaxUploadBytes: an upload over it is a 413 problem naming the setting and the rule size-limit, whether its
/// length was announced (Content-Length) or only counted as it arrived (chunked), raw or in a form; nothing is kept.
/// </summary>
public sealed class UploadLimitTests(ApiFixture fixture) : ApiTest(fixture)
{
    // Above the API's 64 KiB default for other bodies, so a pass proves the upload's own limit is the one applied.
    const long Max = 100_000;

    ApiFactory Instance()
    {
        var instance = new ApiFactory(Fixture.ConnectionString, Clock, settings: new()
        {
            ["Scheduler:Enabled"] = "false", ["Webhooks:Enabled"] = "false", ["Media:MaxUploadBytes"] = Max.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        instance.StartServer();
        return instance;
    }

    /// <summary>The same bytes, sent with their length or chunked without one.</summary>
    static HttpContent Sent(byte[] photo, bool form, bool chunked)
    {
        HttpContent file = chunked ? new StreamContent(new MemoryStream(photo)) : new ByteArrayContent(photo);
        file.Headers.ContentType = new("image/jpeg");
        if (!form)
            return file;
        var multipart = new MultipartFormDataContent { { file, "file", "photo.jpg" } };
        return multipart;
    }

    static IEnumerable<string> Uploads() =>
        Directory.EnumerateFiles(Path.GetTempPath(), "newsapi-upload-*");

    public static TheoryData<bool, bool> Ways() => new() { { false, false }, { false, true }, { true, false }, { true, true } };

    [Theory]
    [MemberData(nameof(Ways))]
    public async Task An_upload_over_the_limit_is_a_413_problem_naming_the_rule_and_nothing_is_stored(bool form, bool chunked)
    {
        await using var instance = Instance();
        using var editor = await As(Role.Editor, instance);
        var photo = NoiseJpegOfSize(2 * Max, 3 * Max);
        var temporaryBefore = Uploads().ToHashSet();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/assets") { Content = Sent(photo, form, chunked) };
        request.Headers.TransferEncodingChunked = chunked;

        var response = await editor.SendAsync(request);

        Assert.Equal(chunked, request.Content.Headers.ContentLength is null);
        var problem = await response.Problem(HttpStatusCode.RequestEntityTooLarge, NewsApi.Api.ProblemTypes.PayloadTooLarge);
        Assert.Equal("size-limit", (string?)problem["rule"]);
        Assert.Equal("Media:MaxUploadBytes", (string?)problem["limit"]);
        Assert.Equal(Max, (long?)problem["max"]);
        Assert.Empty((await (await editor.GetAsync("/api/v1/assets")).Json())["items"]!.AsArray());
        Assert.False(Directory.Exists(instance.MediaFolder) && Directory.EnumerateFiles(instance.MediaFolder, "*", SearchOption.AllDirectories).Any(),
            "an upload over the limit left a file in the store");
        Assert.Empty(Uploads().Except(temporaryBefore)); // the part received before the limit is deleted too
    }

    [Theory]
    [MemberData(nameof(Ways))]
    public async Task An_upload_under_the_limit_is_taken_however_it_is_sent(bool form, bool chunked)
    {
        await using var instance = Instance();
        using var editor = await As(Role.Editor, instance);
        var photo = NoiseJpegOfSize(70_000, Max - 2_000); // over the API's general limit (64 KiB), under the upload's
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/assets") { Content = Sent(photo, form, chunked) };
        request.Headers.TransferEncodingChunked = chunked;

        var asset = await (await editor.SendAsync(request)).Json(HttpStatusCode.Created);

        Assert.Equal(photo.Length, (long)asset["bytes"]!);
    }
}
