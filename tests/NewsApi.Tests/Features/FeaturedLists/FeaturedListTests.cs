using System.Net;
using System.Text.Json.Nodes;
using NewsApi.Api;
using NewsApi.Data.Entities;
using NewsApi.Tests.Builders;
using NewsApi.Tests.Infrastructure;

namespace NewsApi.Tests.Features.FeaturedLists;

public sealed class FeaturedListTests(ApiFixture fixture) : ApiTest(fixture)
{
    static List<string> EntrySlugs(JsonNode list) =>
        list["entries"]!.AsArray().Select(e => (string)e!["article"]!["slug"]!).ToList();

    [Fact]
    public async Task Visible_entries_come_pinned_first_then_by_position()
    {
        var now = Clock.GetUtcNow();
        var a = await Given.Article("a").Save();
        var b = await Given.Article("b").Save();
        var c = await Given.Article("c").Save();
        await Given.FeaturedList("domestic", "國內新聞精選", entries:
        [
            Given.Entry(a, 1, now.AddHours(-3)),
            Given.Entry(b, 2, now.AddHours(-2)),
            Given.Entry(c, 3, now.AddHours(-1), pinned: true),
        ]);

        var list = await (await Client.GetAsync("/api/v1/featured-lists/domestic")).Json();

        Assert.Equal("國內新聞精選", (string?)list["title"]);
        Assert.Equal(["c", "a", "b"], EntrySlugs(list));
        Assert.True((bool)list["entries"]![0]!["pinned"]!);
        Assert.Equal(now.AddHours(-3), (DateTimeOffset)list["entries"]![1]!["featuredAt"]!);
    }

    [Fact]
    public async Task Entries_outside_their_window_or_with_hidden_articles_are_left_out()
    {
        var now = Clock.GetUtcNow();
        var live = await Given.Article("live").Save();
        var expired = await Given.Article("expired").Save();
        var later = await Given.Article("later").Save();
        var removed = await Given.Article("removed").Save();
        var draft = await Given.Article("draft").WithStatus(ArticleStatus.Draft).Save();
        var embargoed = await Given.Article("embargoed").EmbargoedUntil(now.AddHours(1)).Save();
        await Given.FeaturedList("domestic", "國內新聞精選", entries:
        [
            Given.Entry(live, 1, now.AddHours(-5), visibleUntil: now.AddHours(2)),
            Given.Entry(expired, 2, now.AddHours(-5), visibleUntil: now),
            Given.Entry(later, 3, now.AddHours(-5), visibleFrom: now.AddHours(1)),
            Given.Entry(removed, 4, now.AddHours(-5), removedAt: now.AddMinutes(-1)),
            Given.Entry(draft, 5, now.AddHours(-5)),
            Given.Entry(embargoed, 6, now.AddHours(-5)),
        ]);

        Assert.Equal(["live"], EntrySlugs(await (await Client.GetAsync("/api/v1/featured-lists/domestic")).Json()));

        Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(["later", "embargoed"], EntrySlugs(await (await Client.GetAsync("/api/v1/featured-lists/domestic")).Json()));
    }

    [Fact]
    public async Task At_shows_the_list_as_it_stood_then()
    {
        var now = Clock.GetUtcNow();
        var first = await Given.Article("first").PublishedAt(now.AddDays(-3)).Save();
        var second = await Given.Article("second").PublishedAt(now.AddDays(-3)).Save();
        var third = await Given.Article("third").PublishedAt(now.AddHours(-1)).Save();
        await Given.FeaturedList("domestic", "國內新聞精選", entries:
        [
            Given.Entry(first, 1, now.AddDays(-2), removedAt: now.AddDays(-1)),
            Given.Entry(second, 2, now.AddDays(-2), visibleUntil: now.AddHours(-12)),
            Given.Entry(third, 1, now.AddMinutes(-30)),
        ]);

        var twoDaysAgo = now.AddDays(-2).AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ");
        var then = await (await Client.GetAsync($"/api/v1/featured-lists/domestic?at={twoDaysAgo}")).Json();
        Assert.Equal(["first", "second"], EntrySlugs(then));
        Assert.Equal(DateTimeOffset.Parse(twoDaysAgo), (DateTimeOffset)then["at"]!);

        var dayAgo = now.AddHours(-18).ToString("yyyy-MM-ddTHH:mm:ssZ");
        Assert.Equal(["second"], EntrySlugs(await (await Client.GetAsync($"/api/v1/featured-lists/domestic?at={dayAgo}")).Json()));

        Assert.Equal(["third"], EntrySlugs(await (await Client.GetAsync("/api/v1/featured-lists/domestic")).Json()));
    }

    [Fact]
    public async Task At_does_not_show_articles_before_they_went_live()
    {
        var now = Clock.GetUtcNow();
        var story = await Given.Article("story").PublishedAt(now.AddHours(-1)).Save();
        await Given.FeaturedList("domestic", "國內新聞精選", entries: [Given.Entry(story, 1, now.AddDays(-1))]);

        var before = await (await Client.GetAsync($"/api/v1/featured-lists/domestic?at={now.AddHours(-2):yyyy-MM-ddTHH:mm:ssZ}")).Json();

        Assert.Empty(EntrySlugs(before));
    }

    [Fact]
    public async Task At_most_max_items_entries_are_shown_and_a_section_fills_the_rest()
    {
        var now = Clock.GetUtcNow();
        var domestic = await Given.Section("domestic", "國內");
        var zhejiang = await Given.Section("zhejiang", "浙江", parent: domestic);
        var featured = await Given.Article("featured").In(domestic).PublishedAt(now.AddHours(-5)).Save();
        await Given.Article("fill-newest").In(zhejiang).PublishedAt(now.AddHours(-1)).Save();
        await Given.Article("fill-older").In(domestic).PublishedAt(now.AddHours(-2)).Save();
        await Given.Article("fill-oldest").In(domestic).PublishedAt(now.AddHours(-3)).Save();
        await Given.Article("elsewhere").PublishedAt(now.AddMinutes(-1)).Save();
        await Given.FeaturedList("domestic", "國內新聞精選", domestic, maxItems: 3, entries: [Given.Entry(featured, 1, now.AddHours(-4))]);

        var list = await (await Client.GetAsync("/api/v1/featured-lists/domestic")).Json();

        Assert.Equal(["featured", "fill-newest", "fill-older"], EntrySlugs(list));
        Assert.Equal([false, true, true], list["entries"]!.AsArray().Select(e => (bool)e!["backfill"]!));
        Assert.Equal("domestic", (string?)list["section"]);
    }

    [Fact]
    public async Task Unknown_lists_are_problem_404s()
    {
        await (await Client.GetAsync("/api/v1/featured-lists/nothing")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Theory]
    [InlineData("at=yesterday")]
    [InlineData("at=2026-13-01")]
    [InlineData("at=2030-01-01T00:00:00Z")]
    public async Task A_bad_or_future_at_is_a_validation_problem(string query)
    {
        await Given.FeaturedList("domestic", "國內新聞精選");

        await (await Client.GetAsync($"/api/v1/featured-lists/domestic?{query}")).Invalid("at");
    }
}
