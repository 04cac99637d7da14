using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NewsApi.Data.Entities;
using NewsApi.Scheduling;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Features.Scheduling;

public sealed class SchedulerTests(ApiFixture fixture) : ApiTest(fixture)
{
    async Task<string> Scheduled(HttpClient editor, string slug, TimeSpan after)
    {
        var created = await (await editor.PostAsync("/api/v1/articles", Raw($$"""{"title":"定時稿件","slug":"{{slug}}"}"""))).Json(HttpStatusCode.Created);
        var id = (string)created["id"]!;
        await (await editor.PostAsync($"/api/v1/articles/{id}/publish", JsonBody(new { publishAt = Clock.GetUtcNow().Add(after) }))).Json();
        return id;
    }

    /// <summary>Waits for the background service, which runs on its own timer: no request makes it happen.</summary>
    async Task<Article> WaitFor(Guid id, Func<Article, bool> done)
    {
        for (var i = 0; i < 100; i++)
        {
            await using var db = Fixture.NewDbContext();
            var article = await db.Articles.AsNoTracking().SingleAsync(a => a.Id == id);
            if (done(article))
                return article;
            await Task.Delay(100);
        }
        throw new TimeoutException("The scheduler did not act within 10 seconds.");
    }

    [Fact]
    public async Task A_scheduled_article_goes_live_at_its_time_with_no_request()
    {
        using var editor = await As(Role.Editor);
        var id = Guid.Parse(await Scheduled(editor, "at-noon", TimeSpan.FromMinutes(10)));
        var due = Clock.GetUtcNow().AddMinutes(10);
        var search = "/api/v1/search?q=" + Uri.EscapeDataString("定時稿件");
        Assert.Empty((await (await Client.GetAsync(search)).Json()).Slugs());

        Clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(5));
        var article = await WaitFor(id, a => a.Status == ArticleStatus.Published);
        await SearchIndexed();
        Assert.Equal(["at-noon"], (await (await Client.GetAsync(search)).Json()).Slugs());

        Assert.Equal(due, article.PublishedAt);
        await using var db = Fixture.NewDbContext();
        var revision = await db.ArticleRevisions.OrderByDescending(r => r.Number).FirstAsync(r => r.ArticleId == id);
        Assert.Equal(("scheduler", "published"), (revision.Actor, revision.Action));
    }

    [Fact]
    public async Task Nothing_happens_before_its_time()
    {
        using var editor = await As(Role.Editor);
        var id = Guid.Parse(await Scheduled(editor, "tomorrow", TimeSpan.FromDays(1)));

        var done = await Fixture.Factory.Services.GetRequiredService<ScheduledPublisher>().RunDueAsync(CancellationToken.None);

        Assert.Equal(0, done);
        await using var db = Fixture.NewDbContext();
        Assert.Equal(ArticleStatus.Scheduled, (await db.Articles.SingleAsync(a => a.Id == id)).Status);
    }

    [Fact]
    public async Task Two_instances_on_one_database_make_one_transition_and_one_revision()
    {
        using var editor = await As(Role.Editor);
        var ids = new List<Guid>();
        for (var i = 0; i < 20; i++)
            ids.Add(Guid.Parse(await Scheduled(editor, $"due-{i}", TimeSpan.FromMinutes(1))));
        await using var second = new ApiFactory(Fixture.ConnectionString, Clock, settings: new() { ["Scheduler:Enabled"] = "false" });
        second.StartServer();
        Clock.Advance(TimeSpan.FromMinutes(1));

        var first = Fixture.Factory.Services.GetRequiredService<ScheduledPublisher>();
        var other = second.Services.GetRequiredService<ScheduledPublisher>();
        var runs = await Task.WhenAll(first.RunDueAsync(CancellationToken.None), other.RunDueAsync(CancellationToken.None), first.RunDueAsync(CancellationToken.None));

        // This host's own background loop runs too and may hold the last row for a moment.
        foreach (var id in ids)
            await WaitFor(id, a => a.Status == ArticleStatus.Published);
        await using var db = Fixture.NewDbContext();
        var published = await db.ArticleRevisions.Where(r => r.Action == "published").GroupBy(r => r.ArticleId).Select(g => g.Count()).ToListAsync();
        Assert.Equal(20, published.Count);
        Assert.All(published, count => Assert.Equal(1, count));
        Assert.True(runs.Sum() <= 20, $"{runs.Sum()} transitions were reported for 20 articles");
    }

    [Fact]
    public async Task A_scheduled_unpublish_and_an_embargo_end_happen_at_their_time()
    {
        using var editor = await As(Role.Editor);
        var down = await (await editor.PostAsync("/api/v1/articles", Raw("""{"title":"將下架","slug":"going-down"}"""))).Json(HttpStatusCode.Created);
        var downId = (string)down["id"]!;
        await (await editor.PostAsync($"/api/v1/articles/{downId}/publish", null)).Json();
        await (await editor.PostAsync($"/api/v1/articles/{downId}/unpublish", JsonBody(new { unpublishAt = Clock.GetUtcNow().AddMinutes(30) }))).Json();
        var embargoed = await (await editor.PostAsync("/api/v1/articles", JsonBody(new { title = "禁發稿", slug = "embargoed", embargoUntil = Clock.GetUtcNow().AddMinutes(30) }))).Json(HttpStatusCode.Created);
        await (await editor.PostAsync($"/api/v1/articles/{embargoed["id"]}/publish", null)).Json();
        Assert.Equal(["going-down"], (await (await Client.GetAsync("/api/v1/articles")).Json()).Slugs());

        Clock.Advance(TimeSpan.FromMinutes(31));
        await WaitFor(Guid.Parse(downId), a => a.Status == ArticleStatus.Unpublished);
        await WaitFor(Guid.Parse((string)embargoed["id"]!), a => a.EmbargoUntil == null);

        Assert.Equal(["embargoed"], (await (await Client.GetAsync("/api/v1/articles")).Json()).Slugs());
    }
}
