using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NewsApi.Data.Entities;
using NewsApi.Scheduling;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Import.ImportTestData;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Reads;

/// <summary>
/// Never a leak. An article that stops being public leaves every public surface (<see cref="Surfaces"/>) at once,
/// whichever way it stops: read afresh through the service's own cache, which held the surface while it showed the
/// story, and revalidated with the ETag a CDN kept. One the scheduler makes public appears everywhere at its time, and
/// not a second before. Each run names every surface that is wrong, so one failure lists all the leaks.
/// </summary>
public sealed class LeakTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Theory]
    [InlineData("unpublished")]
    [InlineData("killed")]
    [InlineData("archived")]
    [InlineData("embargoed")]
    [InlineData("rescheduled")]
    [InlineData("imported as a draft")]
    [InlineData("imported as scheduled")]
    [InlineData("imported under embargo")]
    public async Task An_article_that_stops_being_public_leaves_every_public_surface_at_once(string transition)
    {
        var story = await Story.Place(Given, Clock.GetUtcNow());
        var shown = await Shown(story, "Before it was " + transition);

        await Take(story, transition);

        await Seen.Nowhere(Client, story, "Once " + transition, killed: transition == "killed", earlier: shown);
    }

    [Fact]
    public async Task A_scheduled_unpublish_takes_the_article_off_every_surface_at_its_time_and_not_before()
    {
        var story = await Story.Place(Given, Clock.GetUtcNow());
        var due = Clock.GetUtcNow().AddMinutes(10);
        using var editor = await As(Role.Editor);
        await (await editor.PostAsync($"/api/v1/articles/{story.Id}/unpublish", JsonBody(new { unpublishAt = due }))).Json();
        await Shown(story, "Once its unpublish was scheduled");

        await SchedulerRunsAt(due.AddSeconds(-1));
        var shown = await Shown(story, "A second before its unpublish time");

        await SchedulerRunsAt(due);
        await Settled(story, a => a.Status == ArticleStatus.Unpublished);
        await Seen.Nowhere(Client, story, "At its unpublish time", earlier: shown);
    }

    [Theory]
    [InlineData("publish")]
    [InlineData("embargo end")]
    public async Task A_scheduled_publish_or_embargo_end_puts_the_article_on_every_surface_at_its_time_and_not_before(string change)
    {
        var due = Clock.GetUtcNow().AddMinutes(10);
        var publish = change == "publish";
        var story = await Story.Place(Given, Clock.GetUtcNow(),
            publish ? a => a.WithStatus(ArticleStatus.Draft) : a => a.EmbargoedUntil(due));
        if (publish)
        {
            using var editor = await As(Role.Editor);
            await (await editor.PostAsync($"/api/v1/articles/{story.Id}/publish", JsonBody(new { publishAt = due }))).Json();
        }
        await Seen.Nowhere(Client, story, $"Before its {change}");

        await SchedulerRunsAt(due.AddSeconds(-1));
        await Seen.Nowhere(Client, story, $"A second before its {change} time");

        await SchedulerRunsAt(due);
        await Settled(story, publish ? a => a.Status == ArticleStatus.Published : a => a.EmbargoUntil is null);
        await Shown(story, $"At its {change} time");
    }

    /// <summary>
    /// Asserts the story shows on every surface, once the search index has caught up: it comes to search a moment after
    /// the rest (near-real-time), while leaving is at once everywhere, search included (<see cref="Seen.Nowhere"/> never waits).
    /// </summary>
    async Task<IReadOnlyList<Sighting>> Shown(Story story, string when)
    {
        await SearchIndexed();
        return await Seen.Everywhere(Client, story, when);
    }

    /// <summary>Makes the article stop being public, the way an editor or an import does.</summary>
    async Task Take(Story story, string transition)
    {
        using var editor = await As(Role.Editor);
        var article = $"/api/v1/articles/{story.Id}";
        var later = Clock.GetUtcNow().AddDays(1);
        switch (transition)
        {
            case "unpublished":
                await (await editor.PostAsync(article + "/unpublish", null)).Json();
                break;
            case "killed":
                await (await editor.PostAsync(article + "/kill", JsonBody(new { reason = "報道有誤，依法撤回。" }))).Json();
                break;
            case "archived":
                await (await editor.PostAsync(article + "/archive", null)).Json();
                break;
            case "embargoed":
                var etag = (await editor.GetAsync(article)).ETag();
                var patch = Raw($$"""{"embargoUntil":"{{later:O}}"}""", "application/merge-patch+json");
                await (await editor.Send(HttpMethod.Patch, article, patch, etag)).Json();
                break;
            case "rescheduled":
                await (await editor.PostAsync(article + "/unpublish", null)).Json();
                await (await editor.PostAsync(article + "/publish", JsonBody(new { publishAt = later }))).Json();
                break;
            case "imported as a draft":
                await Reimport(editor, Story.Imported(status: "draft"));
                break;
            case "imported as scheduled":
                await Reimport(editor, Story.Imported(status: "scheduled", publishAt: later));
                break;
            case "imported under embargo":
                await Reimport(editor, Story.Imported(embargoUntil: later));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(transition), transition, "not a transition these tests know");
        }
    }

    static async Task Reimport(HttpClient editor, object item)
    {
        var (_, results, _) = await editor.Import(Body(Ndjson(item)));
        Assert.Equal("updated", Assert.Single(results).Outcome());
    }

    /// <summary>Moves the clock to <paramref name="at"/> and has the scheduler make what is due, as its loop would.</summary>
    async Task SchedulerRunsAt(DateTimeOffset at)
    {
        Clock.Advance(at - Clock.GetUtcNow());
        await Fixture.Factory.Services.GetRequiredService<ScheduledPublisher>().RunDueAsync(CancellationToken.None);
    }

    /// <summary>Waits until the scheduler's change is committed: this host's own loop may have taken the row first.</summary>
    async Task Settled(Story story, Func<Article, bool> done)
    {
        for (var i = 0; i < 100; i++)
        {
            await using var db = Fixture.NewDbContext();
            if (done(await db.Articles.AsNoTracking().SingleAsync(a => a.Id == story.Id)))
                return;
            await Task.Delay(50);
        }
        throw new TimeoutException("The scheduler did not make the change within 5 seconds.");
    }
}
