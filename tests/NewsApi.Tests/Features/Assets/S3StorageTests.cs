using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Features.Assets.TestImages;
using static NewsApi.Tests.Infrastructure.Requests;
using Image = NetVips.Image;
using Role = NewsApi.Data.Entities.Role;

namespace NewsApi.Tests.Features.Assets;

/// <summary>
/// Media:Storage=S3 against a real S3-compatible server on loopback (s3rver): originals and renditions in one bucket,
/// every step of an asset's life (upload, rendition, serving, delete) through the object store and none on disk.
/// </summary>
public sealed class S3StorageTests(ApiFixture fixture) : ApiTest(fixture), IAsyncLifetime
{
    const string Bucket = "newsapi-media";
    S3Server _s3 = null!;

    async Task IAsyncLifetime.InitializeAsync()
    {
        await Fixture.ResetAsync();
        _s3 = await S3Server.StartAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        Client.Dispose();
        await _s3.DisposeAsync();
    }

    ApiFactory Instance()
    {
        var instance = new ApiFactory(Fixture.ConnectionString, Clock, settings: new()
        {
            ["Scheduler:Enabled"] = "false", ["Webhooks:Enabled"] = "false",
            ["Media:Storage"] = "S3", ["Media:S3:ServiceUrl"] = _s3.ServiceUrl, ["Media:S3:Bucket"] = Bucket,
            ["Media:S3:AccessKey"] = S3Server.AccessKey, ["Media:S3:SecretKey"] = S3Server.SecretKey, ["Media:S3:CreateBucket"] = "true",
        });
        instance.StartServer();
        return instance;
    }

    AmazonS3Client Store() => new(new Amazon.Runtime.BasicAWSCredentials(S3Server.AccessKey, S3Server.SecretKey),
        new AmazonS3Config { ServiceURL = _s3.ServiceUrl, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });

    [Fact]
    public async Task An_object_read_from_the_store_lets_go_of_its_response_when_its_stream_is_disposed()
    {
        using var store = new NewsApi.Media.S3MediaStore(new NewsApi.Media.S3StorageOptions
        {
            ServiceUrl = _s3.ServiceUrl, Bucket = Bucket, AccessKey = S3Server.AccessKey, SecretKey = S3Server.SecretKey,
        });
        await store.EnsureBucketAsync(CancellationToken.None);
        await store.PutAsync("renditions/one.webp", new MemoryStream([1, 2, 3]), "image/webp", CancellationToken.None);

        var stream = await store.OpenAsync("renditions/one.webp", CancellationToken.None);
        var response = Assert.IsType<NewsApi.Media.S3ObjectStream>(stream).Response; // the stream owns the GetObject response
        using var read = new MemoryStream();
        await stream.CopyToAsync(read);
        await stream.DisposeAsync();

        Assert.Equal([1, 2, 3], read.ToArray());
        Assert.Null(response.ResponseStream); // what GetObjectResponse.Dispose leaves: its HTTP response is released
    }

    [Fact]
    public async Task An_asset_is_uploaded_rendered_served_and_deleted_through_the_object_store()
    {
        await using var instance = Instance();
        using var editor = await As(Role.Editor, instance);
        var photo = JpegWithGps(640, 400);
        var sha = Convert.ToHexStringLower(SHA256.HashData(photo));

        var created = await editor.PostAsync("/api/v1/assets", Form(photo));
        var asset = await created.Json(HttpStatusCode.Created);
        var id = (string)asset["id"]!;
        using var store = Store();
        Assert.Equal([$"originals/{sha}"], await _s3.KeysAsync(Bucket));
        using (var original = await store.GetObjectAsync(Bucket, $"originals/{sha}"))
        using (var bytes = new MemoryStream())
        {
            await original.ResponseStream.CopyToAsync(bytes);
            Assert.Equal(photo, bytes.ToArray()); // the original is kept as it came, byte for byte
            Assert.Equal("image/jpeg", original.Headers.ContentType);
        }

        var url = (string)asset["renditions"]!.AsArray().Single(r => (string?)r!["preset"] == "w320" && (string?)r["format"] == "webp")!["url"]!;
        var first = await editor.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using (var served = Image.NewFromBuffer(await first.Content.ReadAsByteArrayAsync()))
        {
            Assert.Equal((320, 512), (served.Width, served.Height)); // orientation 6 applied: 400 × 640 as shown
            Assert.DoesNotContain(served.GetFields(), f => f.StartsWith("exif", StringComparison.Ordinal));
        }
        var renditionKey = Assert.Single(await _s3.KeysAsync(Bucket), k => k.StartsWith($"renditions/{id.Replace("-", "")}/w320.", StringComparison.Ordinal));
        Assert.EndsWith(".webp", renditionKey);

        // What is stored is what is served: replace the stored rendition and the next answer is the replacement.
        using var marker = Gradient(32, 16);
        var replacement = marker.WriteToBuffer(".webp");
        await store.PutObjectAsync(new PutObjectRequest
        {
            BucketName = Bucket, Key = renditionKey, InputStream = new MemoryStream(replacement), ContentType = "image/webp",
            UseChunkEncoding = false,
        });
        var second = await editor.GetAsync(url);
        Assert.Equal(replacement, await second.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/webp", second.Content.Headers.ContentType?.MediaType);
        Assert.Equal(first.ETag(), second.ETag());
        Assert.False(Directory.Exists(instance.MediaFolder) && Directory.EnumerateFiles(instance.MediaFolder, "*", SearchOption.AllDirectories).Any(),
            "nothing is written to the local media folder when the store is S3");

        var etag = (await editor.GetAsync($"/api/v1/assets/{id}")).ETag();
        var deleted = await editor.Send(HttpMethod.Delete, $"/api/v1/assets/{id}", null, etag);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty(await _s3.KeysAsync(Bucket));
        await (await editor.GetAsync(url)).Problem(HttpStatusCode.NotFound, NewsApi.Api.ProblemTypes.NotFound);
    }

    [Fact]
    public async Task A_large_original_reaches_the_store_whole_and_its_renditions_are_made_from_it()
    {
        await using var instance = Instance();
        using var editor = await As(Role.Editor, instance);
        // 4–8 MB: many times any buffer on the way, so a part lost or repeated would change the hash.
        var photo = NoiseJpegOfSize(4_000_000, 8_000_000);

        var asset = await (await editor.PostAsync("/api/v1/assets", Body(photo, "image/jpeg"))).Json(HttpStatusCode.Created);

        using var store = Store();
        var sha = Convert.ToHexStringLower(SHA256.HashData(photo));
        using (var original = await store.GetObjectAsync(Bucket, $"originals/{sha}"))
        {
            Assert.Equal(photo.Length, original.ContentLength);
            Assert.Equal(sha, Convert.ToHexStringLower(await SHA256.HashDataAsync(original.ResponseStream)));
        }
        var url = (string)asset["renditions"]!.AsArray().Single(r => (string?)r!["preset"] == "og-1200x630" && (string?)r["format"] == "jpg")!["url"]!;
        using var og = Image.NewFromBuffer(await editor.GetByteArrayAsync(url));
        Assert.Equal((1200, 630), (og.Width, og.Height));
    }

    [Fact]
    public async Task The_same_file_uploaded_twice_is_one_object_in_the_store()
    {
        await using var instance = Instance();
        using var editor = await As(Role.Editor, instance);
        var photo = Jpeg(120, 80);

        var once = await (await editor.PostAsync("/api/v1/assets", Body(photo))).Json(HttpStatusCode.Created);
        var twice = await (await editor.PostAsync("/api/v1/assets", Form(photo))).Json(HttpStatusCode.OK);

        Assert.Equal((string?)once["id"], (string?)twice["id"]);
        Assert.Single(await _s3.KeysAsync(Bucket));
    }
}
