using System.Net;
using NewsApi.Tests.Infrastructure;

namespace NewsApi.Tests.Features.Caching;

/// <summary>
/// What a public read's stored answer is keyed on: the parameters the route declares, in any order, and the
/// representation Accept negotiates, not its spelling. A copy keeps the Last-Modified of the moment it was made, so
/// moving the clock between two reads shows whether the second was rendered again.
/// </summary>
public sealed class CacheKeyTests(ApiFixture fixture) : ApiTest(fixture)
{
    async Task<HttpResponseMessage> Get(string url, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null)
            request.Headers.TryAddWithoutValidation("Accept", accept);
        return await Client.SendAsync(request);
    }

    async Task<(HttpResponseMessage First, HttpResponseMessage Second)> TwoReads(string firstUrl, string? firstAccept, string secondUrl, string? secondAccept)
    {
        // The seed's invalidation comes by NOTIFY a moment after its write: let it land before the first read is stored.
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        var first = await Get(firstUrl, firstAccept);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Clock.Advance(TimeSpan.FromSeconds(5));
        var second = await Get(secondUrl, secondAccept);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        return (first, second);
    }

    [Theory]
    [InlineData("application/json", "*/*")]
    [InlineData("application/json", null)]
    [InlineData("application/json", "application/json, text/html;q=0.5")]
    [InlineData("application/ninjs+json", "application/ninjs+json; version=3, */*;q=0.1")]
    public async Task Accept_strings_that_negotiate_the_same_representation_share_one_stored_answer(string first, string? second)
    {
        await Given.Article("story").Save();

        var (miss, hit) = await TwoReads("/api/v1/articles/slug/story", first, "/api/v1/articles/slug/story", second);

        Assert.Equal(miss.Content.Headers.LastModified, hit.Content.Headers.LastModified);
        Assert.Equal(miss.Headers.ETag, hit.Headers.ETag);
        Assert.Equal(["Accept", "Accept-Language", "Authorization", "Accept-Encoding"], hit.Headers.Vary);
    }

    [Fact]
    public async Task Ninjs_and_json_are_stored_apart()
    {
        await Given.Article("story").Save();

        var (json, ninjs) = await TwoReads("/api/v1/articles/slug/story", "application/json", "/api/v1/articles/slug/story", "application/ninjs+json");

        Assert.NotEqual(json.Content.Headers.LastModified, ninjs.Content.Headers.LastModified);
        Assert.NotEqual(json.Headers.ETag, ninjs.Headers.ETag);
        Assert.StartsWith("application/ninjs+json", ninjs.Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task Reads_that_do_not_negotiate_ignore_accept()
    {
        var (first, second) = await TwoReads("/api/v1/sections", "application/json", "/api/v1/sections", "text/html, */*;q=0.8");

        Assert.Equal(first.Content.Headers.LastModified, second.Content.Headers.LastModified);
    }

    [Fact]
    public async Task The_order_and_case_of_declared_parameters_do_not_split_the_stored_answer()
    {
        await Given.Article("story").Save();

        var (miss, hit) = await TwoReads("/api/v1/articles?limit=5&sort=publishedAt", null, "/api/v1/articles?Sort=publishedAt&limit=5", null);

        Assert.Equal(miss.Content.Headers.LastModified, hit.Content.Headers.LastModified);
    }

    [Fact]
    public async Task Different_values_of_a_declared_parameter_are_stored_apart()
    {
        await Given.Article("story").Save();

        var (first, second) = await TwoReads("/api/v1/articles?limit=5", null, "/api/v1/articles?limit=6", null);

        Assert.NotEqual(first.Content.Headers.LastModified, second.Content.Headers.LastModified);
    }
}
