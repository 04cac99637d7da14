using System.Net;
using System.Text.Json.Nodes;
using NewsApi.Data.Entities;
using NewsApi.Tests.Builders;
using NewsApi.Tests.Infrastructure;

namespace NewsApi.Tests.Features.PreviewLinks;

/// <summary>With a key, ?at= a later time shows lists as the public will see them then, scheduled stories included.</summary>
public sealed class ScheduledPreviewTests(ApiFixture fixture) : ApiTest(fixture)
{
    static string Stamp(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("yyyy-MM-ddTHH:mm:ssZ"));

    /// <summary>
    /// Tomorrow morning's stories: live now, scheduled for tomorrow 06:00, scheduled for next week, embargoed until
    /// tomorrow noon, coming down tonight, and a draft.
    /// </summary>
    async Task<DateTimeOffset> Tomorrow(Section? section = null)
    {
        var now = Clock.GetUtcNow();
        await Given.Article("live").In(section).Save();
        var scheduled = Given.Article("tomorrow-0600").In(section).WithStatus(ArticleStatus.Scheduled).Build();
        scheduled.PublishAt = now.AddHours(22);
        await Given.Save(scheduled);
        var nextWeek = Given.Article("next-week").In(section).WithStatus(ArticleStatus.Scheduled).Build();
        nextWeek.PublishAt = now.AddDays(7);
        await Given.Save(nextWeek);
        await Given.Article("embargoed").In(section).PublishedAt(now.AddHours(-2)).EmbargoedUntil(now.AddHours(28)).Save();
        var tonight = Given.Article("down-tonight").In(section).Build();
        tonight.UnpublishAt = now.AddHours(14);
        await Given.Save(tonight);
        await Given.Article("draft").In(section).WithStatus(ArticleStatus.Draft).Save();
        return now.AddHours(24);
    }

    static List<string> EntrySlugs(JsonNode list) => list["entries"]!.AsArray().Select(e => (string)e!["article"]!["slug"]!).ToList();

    [Fact]
    public async Task An_editor_sees_tomorrows_article_list_with_the_stories_scheduled_for_it()
    {
        var at = await Tomorrow();
        using var editor = await As(Role.Editor);

        Assert.Equal(["live", "down-tonight"], (await (await editor.GetAsync("/api/v1/articles")).Json()).Slugs().Order().Reverse().ToList());
        var ahead = await (await editor.GetAsync($"/api/v1/articles?at={Stamp(at)}")).Json();
        // The scheduled story is placed at its publishAt, newest first.
        Assert.Equal(["tomorrow-0600", "live"], ahead.Slugs());
        Assert.Equal("scheduled", (string?)ahead["items"]![0]!["status"]);

        // Paged one at a time, the cursor carries the scheduled story's time.
        var first = await (await editor.GetAsync($"/api/v1/articles?at={Stamp(at)}&limit=1")).Json();
        var second = await (await editor.GetAsync($"/api/v1/articles?at={Stamp(at)}&limit=1&cursor={Uri.EscapeDataString((string)first["nextCursor"]!)}")).Json();
        Assert.Equal(["tomorrow-0600", "live"], first.Slugs().Concat(second.Slugs()).ToList());

        Assert.Equal(["tomorrow-0600", "live", "embargoed"], (await (await editor.GetAsync($"/api/v1/articles?at={Stamp(at.AddHours(6))}")).Json()).Slugs());
    }

    [Fact]
    public async Task A_previewer_sees_a_topic_page_and_a_featured_list_as_they_will_stand()
    {
        var section = await Given.Section("domestic", "國內");
        var at = await Tomorrow(section);
        using var previewer = await As(Role.Previewer);
        await using (var db = Fixture.NewDbContext())
        {
            var ids = db.Articles.Where(a => a.Slug == "live" || a.Slug == "tomorrow-0600" || a.Slug == "draft" || a.Slug == "down-tonight")
                .OrderBy(a => a.Slug).ToList();
            await Given.Topic("wuzhen", "烏鎮峰會", TopicStatus.Published, [.. ids]);
            // One chosen entry (tomorrow's story); the rest back-filled from the section.
            await Given.FeaturedList("domestic", "國內新聞精選", section, maxItems: 3,
                Given.Entry(ids.Single(a => a.Slug == "tomorrow-0600"), 1, Clock.GetUtcNow().AddHours(-1)));
        }

        var topic = await (await previewer.GetAsync($"/api/v1/topics/wuzhen?at={Stamp(at)}")).Json();
        Assert.Equal(["live", "tomorrow-0600"], topic["articles"]!["items"]!.AsArray().Select(i => (string)i!["slug"]!).Order().ToList());

        var list = await (await previewer.GetAsync($"/api/v1/featured-lists/domestic?at={Stamp(at.AddHours(6))}")).Json();
        Assert.Equal(["tomorrow-0600", "live", "embargoed"], EntrySlugs(list));
        Assert.Equal(["live", "down-tonight"], EntrySlugs(await (await Client.GetAsync("/api/v1/featured-lists/domestic")).Json()).Order().Reverse().ToList());
    }

    [Theory]
    [InlineData("/api/v1/articles?at=2026-03-02T08:00:00Z")]
    [InlineData("/api/v1/articles?at=2026-02-01T08:00:00Z")]
    [InlineData("/api/v1/topics/wuzhen?at=2026-03-02T08:00:00Z")]
    [InlineData("/api/v1/featured-lists/domestic?at=2026-03-02T08:00:00Z")]
    public async Task The_public_cannot_look_ahead(string url)
    {
        await Given.Topic("wuzhen", "烏鎮峰會");
        await Given.FeaturedList("domestic", "國內新聞精選");
        var refused = await Client.GetAsync(url);
        await refused.Invalid("at");
        Assert.Contains("no-store", refused.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task At_and_status_do_not_combine()
    {
        using var editor = await As(Role.Editor);
        await (await editor.GetAsync("/api/v1/articles?status=draft&at=2026-03-02T08:00:00Z")).Invalid("at");
    }
}
