using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NewsApi.Data.Entities;
using NewsApi.Scheduling;
using NewsApi.Tests.Infrastructure;

namespace NewsApi.Tests.Features.Scheduling;

/// <summary>
/// A featured entry's window opening or closing changes what the list shows with nobody writing to it: receivers hear
/// featured-list.changed at that time, once, however many instances run.
/// </summary>
public sealed class FeaturedWindowTests(ApiFixture fixture) : ApiTest(fixture)
{
    long _before;

    /// <summary>What is in place before the clock moves: creating the lists announced them already.</summary>
    async Task Arranged()
    {
        await using var db = Fixture.NewDbContext();
        _before = await db.OutboxEvents.MaxAsync(e => (long?)e.Id) ?? 0;
    }

    /// <summary>
    /// The events since <see cref="Arranged"/>, once at least <paramref name="expected"/> are there: the host's own loop
    /// wakes when the clock moves too, and may be committing the crossing it claimed.
    /// </summary>
    async Task<List<string>> Events(string type, int expected = 0)
    {
        for (var i = 0; ; i++)
        {
            await using var db = Fixture.NewDbContext();
            var events = await db.OutboxEvents.AsNoTracking().Where(e => e.Type == type && e.Id > _before).OrderBy(e => e.Id).Select(e => e.Subject).ToListAsync();
            if (events.Count >= expected || i == 50)
                return events;
            await Task.Delay(100);
        }
    }

    Task<int> Run(ApiFactory? host = null) =>
        (host ?? Fixture.Factory).Services.GetRequiredService<ScheduledPublisher>().RunDueAsync(CancellationToken.None);

    [Fact]
    public async Task An_entry_window_opening_and_closing_is_announced_at_each_time_once()
    {
        var now = Clock.GetUtcNow();
        var story = await Given.Article("story").PublishedAt(now.AddHours(-1)).Save();
        await Given.FeaturedList("picks", "精選", entries: Builders.Given.Entry(story, 1, now.AddMinutes(-5), visibleFrom: now.AddMinutes(10), visibleUntil: now.AddMinutes(20)));
        await Arranged();
        await Run();
        Assert.Empty(await Events("featured-list.changed"));

        Clock.Advance(TimeSpan.FromMinutes(10));
        await Run();
        Assert.Single(await Events("featured-list.changed", 1));
        await Run();
        Assert.Equal(["featured-list:picks"], await Events("featured-list.changed"));
        Assert.Single((await (await Client.GetAsync("/api/v1/featured-lists/picks")).Json())["entries"]!.AsArray());

        Clock.Advance(TimeSpan.FromMinutes(10));
        await Run();
        Assert.Equal(["featured-list:picks", "featured-list:picks"], await Events("featured-list.changed", 2));
        Assert.Empty((await (await Client.GetAsync("/api/v1/featured-lists/picks")).Json())["entries"]!.AsArray());
        await using var db = Fixture.NewDbContext();
        Assert.Equal(2, await db.AuditEntries.CountAsync(e => e.Actor == "scheduler" && e.Action == "featured-window" && e.Target == "/api/v1/featured-lists/picks"));
    }

    [Fact]
    public async Task Two_instances_announce_a_window_once()
    {
        var now = Clock.GetUtcNow();
        var lists = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            var story = await Given.Article($"story-{i}").PublishedAt(now.AddHours(-1)).Save();
            await Given.FeaturedList($"list-{i}", "精選", entries: Builders.Given.Entry(story, 1, now.AddMinutes(-5), visibleUntil: now.AddMinutes(1)));
            lists.Add($"featured-list:list-{i}");
        }
        await Arranged();
        await using var second = new ApiFactory(Fixture.ConnectionString, Clock, settings: new() { ["Scheduler:Enabled"] = "false" });
        second.StartServer();
        Clock.Advance(TimeSpan.FromMinutes(1));

        await Task.WhenAll(Run(), Run(second), Run());
        await Events("featured-list.changed", lists.Count);
        await Run();

        Assert.Equal(lists.Order(), (await Events("featured-list.changed")).Order());
    }

    [Fact]
    public async Task A_window_of_an_article_the_public_cannot_read_is_not_announced()
    {
        var now = Clock.GetUtcNow();
        var draft = await Given.Article("draft").WithStatus(ArticleStatus.Draft).Save();
        await Given.FeaturedList("picks", "精選", entries: Builders.Given.Entry(draft, 1, now.AddMinutes(-5), visibleFrom: now.AddMinutes(1)));
        await Arranged();

        Clock.Advance(TimeSpan.FromMinutes(1));
        await Run();

        Assert.Empty(await Events("featured-list.changed"));
    }
}
