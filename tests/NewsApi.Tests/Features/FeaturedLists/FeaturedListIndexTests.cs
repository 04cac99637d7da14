using NewsApi.Tests.Infrastructure;

namespace NewsApi.Tests.Features.FeaturedLists;

public sealed class FeaturedListIndexTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Featured_lists_are_listed_in_slug_order_page_by_page_with_their_section()
    {
        var domestic = await Given.Section("domestic", "國內");
        await Given.FeaturedList("domestic", "國內新聞精選", domestic, maxItems: 8);
        await Given.FeaturedList("homepage", "首頁精選");
        await Given.FeaturedList("world", "國際新聞精選");

        var first = await (await Client.GetAsync("/api/v1/featured-lists?limit=2")).Json();
        var second = await (await Client.GetAsync($"/api/v1/featured-lists?limit=2&cursor={Uri.EscapeDataString((string)first["nextCursor"]!)}")).Json();

        Assert.Equal(["domestic", "homepage"], first.Slugs());
        Assert.Equal(["world"], second.Slugs());
        Assert.Null(second["nextCursor"]);
        var list = first["items"]![0]!;
        Assert.Equal("國內新聞精選", (string?)list["title"]);
        Assert.Equal("domestic", (string?)list["section"]);
        Assert.Equal(8, (int?)list["maxItems"]);
        Assert.Null(first["items"]![1]!["section"]);
        Assert.Null(list["entries"]);
    }
}
