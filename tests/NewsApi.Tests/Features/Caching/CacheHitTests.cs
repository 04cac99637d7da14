using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Features.Caching;

/// <summary>
/// What a public read served from this service's own copy promises. A copy keeps the Last-Modified of the moment it
/// was made, so moving the clock between two reads shows whether the second one was rendered again.
/// </summary>
public sealed class CacheHitTests(ApiFixture fixture) : ApiTest(fixture)
{
    async Task<HttpResponseMessage> Send(HttpMethod method, string url, Action<HttpRequestHeaders>? headers = null)
    {
        using var request = new HttpRequestMessage(method, url);
        headers?.Invoke(request.Headers);
        return await Client.SendAsync(request);
    }

    /// <summary>What a cache downstream may still count as fresh: max-age less the Age it was told (RFC 9111 §4.2.3).</summary>
    static double FreshnessLeft(HttpResponseMessage response) =>
        response.Headers.CacheControl!.MaxAge!.Value.TotalSeconds - (response.Headers.Age?.TotalSeconds ?? 0);

    [Theory]
    [InlineData("/api/v1/articles/slug/story")]
    [InlineData("/api/v1/sections")]
    public async Task A_hit_serves_the_bytes_and_validators_of_the_miss_that_stored_it(string url)
    {
        await Given.Article("story").In(await Given.Section("domestic", "國內")).Save();
        var miss = await Client.GetAsync(url);
        Clock.Advance(TimeSpan.FromSeconds(5));

        var hit = await Client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, hit.StatusCode);
        Assert.Equal(miss.Content.Headers.LastModified, hit.Content.Headers.LastModified);
        Assert.Equal(await miss.Content.ReadAsByteArrayAsync(), await hit.Content.ReadAsByteArrayAsync());
        Assert.Equal(miss.Headers.ETag, hit.Headers.ETag);
        Assert.Equal(miss.Content.Headers.ContentType, hit.Content.Headers.ContentType);
        Assert.Equal(miss.Content.Headers.ContentLength, hit.Content.Headers.ContentLength);
        Assert.Equal(url.StartsWith("/api/v1/", StringComparison.Ordinal) ? ["Accept", "Accept-Language", "Authorization", "Accept-Encoding"]
            : ["Accept", "Authorization", "Accept-Encoding"], hit.Headers.Vary);
    }

    [Fact]
    public async Task An_instance_keeps_what_it_read_after_its_own_change_when_that_change_comes_back_to_it()
    {
        await Given.Article("story").Save();
        var miss = await Client.GetAsync("/api/v1/articles/slug/story");
        Clock.Advance(TimeSpan.FromSeconds(50));
        var own = Fixture.Factory.Services.GetRequiredService<NewsApi.Changes.Invalidations>().Instance;

        await Invalidated(own); // as the service's own change, applied at its commit, reaches it again by NOTIFY
        await Task.Delay(500);
        var hit = await Client.GetAsync("/api/v1/articles/slug/story");
        await Invalidated(Guid.NewGuid()); // another instance's change
        var evicted = System.Diagnostics.Stopwatch.StartNew();
        HttpResponseMessage again;
        while (FreshnessLeft(again = await Client.GetAsync("/api/v1/articles/slug/story")) != 60 && evicted.Elapsed < TimeSpan.FromSeconds(3))
            await Task.Delay(50);

        Assert.Equal(60, FreshnessLeft(miss));
        Assert.Equal(10, FreshnessLeft(hit));
        Assert.Equal(60, FreshnessLeft(again));
    }

    /// <summary>A committed invalidation of everything, as the instance <paramref name="origin"/> records one.</summary>
    async Task Invalidated(Guid origin)
    {
        await using var db = Fixture.NewDbContext();
        await db.Database.ExecuteSqlAsync($"INSERT INTO cache_invalidations (tags, at, origin) VALUES ({new[] { "all" }}, now(), {origin})");
    }

    [Fact]
    public async Task If_none_match_on_a_hit_is_304_without_a_body()
    {
        await Given.Article("story").Save();
        var miss = await Client.GetAsync("/api/v1/articles/slug/story");
        Clock.Advance(TimeSpan.FromSeconds(5));

        var again = await Send(HttpMethod.Get, "/api/v1/articles/slug/story", h => h.IfNoneMatch.Add(new EntityTagHeaderValue("\"other\"")));
        var notModified = await Send(HttpMethod.Get, "/api/v1/articles/slug/story", h => h.IfNoneMatch.Add(miss.Headers.ETag!));

        Assert.Equal(miss.Content.Headers.LastModified, again.Content.Headers.LastModified);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        Assert.Equal(miss.Headers.ETag, notModified.Headers.ETag);
        Assert.Equal(55, FreshnessLeft(notModified));
    }

    [Fact]
    public async Task A_conditional_read_that_misses_still_stores_the_answer_for_the_next()
    {
        await Given.Article("story").Save();
        var first = await Client.GetAsync("/api/v1/articles/slug/story");
        await Fixture.Factory.Services.GetRequiredService<NewsApi.Changes.ICacheEvictor>().EvictAsync(["all"]);

        var revalidated = await Send(HttpMethod.Get, "/api/v1/articles/slug/story", h => h.IfNoneMatch.Add(first.Headers.ETag!));
        Clock.Advance(TimeSpan.FromSeconds(5));
        var next = await Client.GetAsync("/api/v1/articles/slug/story");

        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        Assert.Equal(first.Headers.ETag, next.Headers.ETag);
        Assert.Equal(first.Content.Headers.LastModified, next.Content.Headers.LastModified);
    }

    [Fact]
    public async Task A_hit_tells_caches_only_the_lifetime_it_has_left()
    {
        await Given.Article("story").Save();
        var miss = await Client.GetAsync("/api/v1/articles/slug/story");
        Clock.Advance(TimeSpan.FromSeconds(50));

        var hit = await Client.GetAsync("/api/v1/articles/slug/story");

        Assert.Equal(miss.Content.Headers.LastModified, hit.Content.Headers.LastModified);
        Assert.Equal(60, FreshnessLeft(miss));
        Assert.Equal(10, FreshnessLeft(hit));
        Assert.Contains("stale-while-revalidate=30", hit.Headers.CacheControl!.ToString());
    }

    [Fact]
    public async Task A_hit_never_lets_a_cache_keep_it_past_the_next_scheduled_change()
    {
        using var editor = await As(Role.Editor);
        var live = await Given.Article("live").Save();
        await (await editor.PostAsync($"/api/v1/articles/{live.Id}/unpublish", JsonBody(new { unpublishAt = Clock.GetUtcNow().AddSeconds(60) }))).Json();
        var miss = await Client.GetAsync("/api/v1/articles/slug/live");
        Clock.Advance(TimeSpan.FromSeconds(50));

        var hit = await Client.GetAsync("/api/v1/articles/slug/live");

        Assert.Equal(miss.Content.Headers.LastModified, hit.Content.Headers.LastModified);
        Assert.Equal(60, FreshnessLeft(miss));
        Assert.Equal(10, FreshnessLeft(hit));
        Assert.Contains("stale-while-revalidate=0", hit.Headers.CacheControl!.ToString());
    }

    [Fact]
    public async Task Head_on_a_hit_gives_the_headers_of_the_stored_answer_without_its_body()
    {
        await Given.Article("story").Save();
        var miss = await Client.GetAsync("/api/v1/articles/slug/story");
        Clock.Advance(TimeSpan.FromSeconds(5));

        var head = await Send(HttpMethod.Head, "/api/v1/articles/slug/story");

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(miss.Headers.ETag, head.Headers.ETag);
        Assert.Equal(miss.Content.Headers.LastModified, head.Content.Headers.LastModified);
        Assert.Equal(miss.Content.Headers.ContentLength, head.Content.Headers.ContentLength);
        Assert.Equal(55, FreshnessLeft(head));
    }

    [Fact]
    public async Task Head_on_a_miss_stores_the_answer_that_a_get_then_receives()
    {
        await Given.Article("story").Save();
        var head = await Send(HttpMethod.Head, "/api/v1/articles/slug/story");
        Clock.Advance(TimeSpan.FromSeconds(5));

        var get = await Client.GetAsync("/api/v1/articles/slug/story");

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(head.Content.Headers.LastModified, get.Content.Headers.LastModified);
        Assert.Equal(head.Headers.ETag, get.Headers.ETag);
        Assert.Equal(head.Content.Headers.ContentLength, (await get.Content.ReadAsByteArrayAsync()).Length);
    }

    [Fact]
    public async Task A_hit_is_compressed_for_a_client_that_accepts_it()
    {
        await Given.Article("story").Save();
        var plain = await Client.GetAsync("/api/v1/articles/slug/story");

        var compressed = await Send(HttpMethod.Get, "/api/v1/articles/slug/story", h => h.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip")));

        Assert.Equal(["gzip"], compressed.Content.Headers.ContentEncoding);
        await using var gzip = new GZipStream(await compressed.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        using var unpacked = new MemoryStream();
        await gzip.CopyToAsync(unpacked);
        Assert.Equal(await plain.Content.ReadAsByteArrayAsync(), unpacked.ToArray());
        Assert.Equal(plain.Headers.ETag, compressed.Headers.ETag);
    }

    [Fact]
    public async Task Reads_that_arrive_together_get_one_answer()
    {
        await Given.Article("story").Save();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Client.GetAsync("/api/v1/articles/slug/story")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Single(responses.Select(r => r.Headers.ETag!.Tag).Distinct());
    }
}
