using Microsoft.EntityFrameworkCore;
using NewsApi.Demo;
using NewsApi.Tests.Infrastructure;

namespace NewsApi.Tests.Features.Demo;

public sealed class DemoContentTests(ApiFixture fixture) : ApiTest(fixture)
{
    async Task<int> Load()
    {
        await using var db = Fixture.NewDbContext();
        return await DemoContent.LoadAsync(db, Clock.GetUtcNow(), CancellationToken.None);
    }

    [Fact]
    public async Task The_sample_story_is_served_cleaned_with_its_structured_dateline()
    {
        await Load();

        var story = await (await Client.GetAsync($"/api/v1/articles/slug/{DemoStory.Slug}")).Json();

        Assert.Equal("心向“網”之:為何是烏鎮?", (string?)story["title"]);
        Assert.Equal("中新網", (string?)story["dateline"]!["agency"]);
        Assert.Equal("烏鎮", (string?)story["dateline"]!["place"]);
        Assert.Equal("2023-11-11", (string?)story["dateline"]!["date"]);
        Assert.Equal("中新網烏鎮11月11日電", (string?)story["dateline"]!["text"]);
        Assert.Equal("張煜歡", (string?)story["byline"]);
        Assert.Equal(["聚焦發展 共享普惠繁榮", "關注挑戰 共創和平安全", "增進文明 共倡平等包容"],
            story["toc"]!.AsArray().Select(t => (string)t!["text"]!));
        Assert.Equal("國內", (string?)story["section"]!["name"]);
        Assert.Equal(["2023-wuzhen-summit"], story["topics"]!.AsArray().Select(t => (string)t!["slug"]!));

        var text = (string)story["bodyText"]!;
        Assert.Contains("(下稱烏鎮峰會)", text);
        Assert.Contains("世界互聯網大會", text);
        Assert.DoesNotContain("(wǎng)", text);
        Assert.DoesNotContain("(huì )", text);
        Assert.DoesNotContain("(完)", text);
        Assert.DoesNotContain("</p>", text);
        Assert.DoesNotContain("?!", text);
        Assert.EndsWith("未完待續。", text);
        // The story has about 2,400 Han characters; pinyin letters, if left in, would add hundreds of words.
        Assert.InRange((int)story["charCount"]!, 2350, 2450);
    }

    [Fact]
    public async Task The_topic_and_the_featured_list_show_the_story()
    {
        await Load();

        var topic = await (await Client.GetAsync("/api/v1/topics/2023-wuzhen-summit")).Json();
        Assert.Equal("2023年世界互聯網大會烏鎮峰會", (string?)topic["title"]);
        Assert.Equal([DemoStory.Slug], topic["articles"]!.Slugs());

        var list = await (await Client.GetAsync("/api/v1/featured-lists/domestic")).Json();
        Assert.Equal("國內新聞精選", (string?)list["title"]);
        var entries = list["entries"]!.AsArray();
        Assert.Equal(10, entries.Count);
        Assert.Equal(DemoStory.Slug, (string?)entries[0]!["article"]!["slug"]);
        // The sample's times are Beijing time; the API speaks UTC.
        Assert.Equal(new DateTimeOffset(2025, 7, 1, 2, 51, 57, TimeSpan.Zero), (DateTimeOffset)entries[0]!["featuredAt"]!);
        Assert.Equal(new DateTimeOffset(2025, 6, 29, 11, 57, 36, TimeSpan.Zero), (DateTimeOffset)entries[9]!["featuredAt"]!);
        Assert.All(entries, e => Assert.False((bool)e!["backfill"]!));
    }

    [Fact]
    public async Task Loading_again_adds_nothing()
    {
        var first = await Load();
        var second = await Load();

        await using var db = Fixture.NewDbContext();
        Assert.True(first > 0);
        Assert.Equal(0, second);
        Assert.Equal(10, await db.Articles.CountAsync());
        Assert.Equal(10, await db.FeaturedListEntries.CountAsync());
        Assert.Equal(1, await db.TopicArticles.CountAsync());
    }
}
