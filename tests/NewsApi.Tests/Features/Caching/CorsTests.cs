using System.Net;
using NewsApi.Tests.Infrastructure;

namespace NewsApi.Tests.Features.Caching;

public sealed class CorsTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task A_frontend_on_another_origin_may_read_and_see_the_caching_headers()
    {
        await Given.Article("story").Save();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/articles");
        request.Headers.Add("Origin", "https://www.example.com");

        var response = await Client.SendAsync(request);

        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("ETag", response.Headers.GetValues("Access-Control-Expose-Headers").Single());
    }

    [Fact]
    public async Task A_preflight_for_a_write_with_a_key_and_if_match_is_allowed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/articles/01a21c06-4d64-7965-8828-83d0b2c9493e");
        request.Headers.Add("Origin", "https://newsroom.example.com");
        request.Headers.Add("Access-Control-Request-Method", "PATCH");
        request.Headers.Add("Access-Control-Request-Headers", "authorization, if-match, content-type");

        var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Contains("PATCH", response.Headers.GetValues("Access-Control-Allow-Methods").Single());
        Assert.Contains("If-Match", response.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.OrdinalIgnoreCase);
    }
}
