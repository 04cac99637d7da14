using System.Net;
using NewsApi.Api;
using NewsApi.Tests.Infrastructure;

namespace NewsApi.Tests.Features.Caching;

/// <summary>
/// A public read takes only the query parameters its route declares: anything else is a 400 naming it, so junk
/// variants can neither bypass the stored answers nor push them out.
/// </summary>
public sealed class UndeclaredParameterTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Theory]
    [InlineData("/api/v1/articles?limt=5", "limt")]
    [InlineData("/api/v1/articles?limit=5&_=1733100000", "_")]
    [InlineData("/api/v1/articles/slug/story?cachebuster=1", "cachebuster")]
    [InlineData("/api/v1/sections?x=1", "x")]
    [InlineData("/api/v1/search?q=烏鎮&utm_source=feed", "utm_source")]
    [InlineData("/feeds/sections/domestic.rss?page=2", "page")]
    [InlineData("/sitemap.xml?v=2", "v")]
    [InlineData("/sitemap-news.xml?format=json", "format")]
    public async Task An_undeclared_query_parameter_is_a_400_naming_it(string url, string parameter)
    {
        await Given.Article("story").In(await Given.Section("domestic", "國內")).Save();

        var response = await Client.GetAsync(url);

        var problem = await response.Invalid(parameter);
        Assert.Contains(parameter, (string)problem["detail"]!);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
    }

    [Fact]
    public async Task A_stored_answer_is_never_served_to_a_request_with_an_undeclared_parameter()
    {
        await Client.GetAsync("/api/v1/sections");

        var response = await Client.GetAsync("/api/v1/sections?x=1");

        await response.Invalid("x");
    }

    [Theory]
    [InlineData("/api/v1/articles?section=domestic&limit=5&sort=-publishedAt&fields=title&include=section")]
    [InlineData("/api/v1/articles?LIMIT=5")]
    [InlineData("/api/v1/search?q=烏鎮&limit=5")]
    [InlineData("/api/v1/featured-lists/domestic?at=2026-01-01")]
    public async Task Declared_parameters_are_accepted_in_any_case(string url)
    {
        await Given.Article("story").In(await Given.Section("domestic", "國內")).Save();

        var response = await Client.GetAsync(url);

        Assert.NotEqual(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Writes_are_not_checked_here()
    {
        var response = await Client.PostAsync("/api/v1/articles?x=1", Requests.Raw("""{"title":"烏鎮"}"""));

        await response.Problem(HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
    }
}
