using NewsApi.Tests.Infrastructure;

namespace NewsApi.Tests.Features.Tags;

public sealed class TagTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Tags_are_listed_in_slug_order_and_paged()
    {
        foreach (var (slug, name) in new[] { ("wuzhen", "烏鎮"), ("ai", "人工智能"), ("internet", "互聯網"), ("5g", "5G") })
            await Given.Tag(slug, name);

        var first = await (await Client.GetAsync("/api/v1/tags?limit=3")).Json();
        var second = await (await Client.GetAsync($"/api/v1/tags?limit=3&cursor={first["nextCursor"]}")).Json();

        Assert.Equal(["5g", "ai", "internet"], first.Slugs());
        Assert.Equal("人工智能", (string?)first["items"]![1]!["name"]);
        Assert.Equal(["wuzhen"], second.Slugs());
        Assert.Null(second["nextCursor"]);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("cursor=%%%", "cursor")]
    public async Task Bad_paging_is_a_validation_problem(string query, string parameter)
    {
        await (await Client.GetAsync($"/api/v1/tags?{query}")).Invalid(parameter);
    }
}
