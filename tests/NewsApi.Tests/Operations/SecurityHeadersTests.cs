using System.Net;
using Microsoft.AspNetCore.Hosting;
using NewsApi.Api;
using NewsApi.Tests.Infrastructure;

namespace NewsApi.Tests.Operations;

/// <summary>
/// Headers on every answer, whoever produced it: no content-type sniffing, no server banner; Swagger UI's pages under
/// a Content-Security-Policy, and Swagger UI forgetting the key on reload unless the operator asks otherwise.
/// </summary>
public sealed class SecurityHeadersTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Theory]
    [InlineData("/api/v1/articles", HttpStatusCode.OK)]
    [InlineData("/api/v1/articles/slug/no-such-story", HttpStatusCode.NotFound)]
    [InlineData("/api/v1/articles?limit=0", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/api-keys", HttpStatusCode.Unauthorized)]
    [InlineData("/no/such/path", HttpStatusCode.NotFound)]
    [InlineData("/health/live", HttpStatusCode.OK)]
    [InlineData("/sitemap.xml", HttpStatusCode.OK)]
    [InlineData("/swagger/index.html", HttpStatusCode.OK)]
    [InlineData("/swagger/v1/swagger.json", HttpStatusCode.OK)]
    [InlineData(ApiFactory.CrashPath, HttpStatusCode.InternalServerError)]
    public async Task Every_answer_forbids_sniffing_and_names_no_server(string path, HttpStatusCode status)
    {
        var response = await Client.GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
        Assert.False(response.Headers.Contains("Server"), $"Server: {string.Join(", ", response.Headers.Server)}");
    }

    [Fact]
    public async Task An_answer_from_the_cache_carries_the_headers_once()
    {
        await Client.GetAsync("/api/v1/articles");

        var hit = await Client.GetAsync("/api/v1/articles");

        Assert.Equal(["nosniff"], hit.Headers.GetValues("X-Content-Type-Options"));
        Assert.False(hit.Headers.Contains("Server"));
    }

    [Theory]
    [InlineData("/swagger")]
    [InlineData("/swagger/index.html")]
    [InlineData("/swagger/index.js")]
    public async Task Swagger_UI_pages_carry_a_content_security_policy(string path)
    {
        var response = await Client.GetAsync(path);

        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(SecurityHeaders.SwaggerPolicy, policy);
        Assert.Contains("default-src 'none'", policy);
        Assert.Contains("script-src 'self';", policy); // no inline or foreign script
        Assert.Contains("frame-ancestors 'none'", policy);
    }

    [Fact]
    public async Task The_api_s_json_carries_no_page_policy()
    {
        var response = await Client.GetAsync("/api/v1/articles");

        Assert.False(response.Headers.Contains("Content-Security-Policy"));
    }

    [Fact]
    public async Task Swagger_UI_does_not_keep_the_key_across_reloads_by_default()
    {
        var script = await Client.GetStringAsync("/swagger/index.js");

        Assert.Contains("\"persistAuthorization\":false", script.Replace(" ", ""));
    }

    [Fact]
    public async Task An_operator_can_have_Swagger_UI_keep_the_key()
    {
        await using var site = Fixture.Factory.WithWebHostBuilder(b => b.UseSetting("SwaggerUi:PersistAuthorization", "true"));
        using var client = site.CreateClient();

        var script = await client.GetStringAsync("/swagger/index.js");

        Assert.Contains("\"persistAuthorization\":true", script.Replace(" ", ""));
    }
}
