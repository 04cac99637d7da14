using System.Net;
using Microsoft.Extensions.DependencyInjection;
using NewsApi.Api;
using NewsApi.Data.Entities;
using NewsApi.Scheduling;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Features.Articles;

/// <summary>A kill is a 410 only where the public once read the story; its text is withdrawn from previewers too.</summary>
public sealed class KillVisibilityTests(ApiFixture fixture) : ApiTest(fixture)
{
    static async Task<string> Published(HttpClient editor, string slug, DateTimeOffset? embargoUntil = null)
    {
        var created = await (await editor.PostAsync("/api/v1/articles", JsonBody(new { title = "烏鎮峰會閉幕", slug, embargoUntil }))).Json(HttpStatusCode.Created);
        var id = (string)created["id"]!;
        await (await editor.PostAsync($"/api/v1/articles/{id}/publish", null)).Json();
        return id;
    }

    static async Task Kill(HttpClient editor, string id) =>
        await (await editor.PostAsync($"/api/v1/articles/{id}/kill", JsonBody(new { reason = "法律原因撤稿" }))).Json();

    [Fact]
    public async Task A_killed_story_the_public_never_saw_is_not_found_and_one_it_saw_is_gone()
    {
        using var editor = await As(Role.Editor);
        var secret = await Published(editor, "under-embargo", Clock.GetUtcNow().AddHours(1));
        var seen = await Published(editor, "was-public");
        await Kill(editor, secret);
        await Kill(editor, seen);

        var notFound = await (await Client.GetAsync($"/api/v1/articles/{secret}")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        Assert.DoesNotContain("法律原因撤稿", notFound.ToJsonString());
        await (await Client.GetAsync("/api/v1/articles/slug/under-embargo")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);

        var gone = await (await Client.GetAsync($"/api/v1/articles/{seen}")).Problem(HttpStatusCode.Gone, ProblemTypes.Gone);
        Assert.Contains("法律原因撤稿", (string?)gone["detail"]);
        await (await Client.GetAsync("/api/v1/articles/slug/was-public")).Problem(HttpStatusCode.Gone, ProblemTypes.Gone);
    }

    [Fact]
    public async Task An_embargo_that_ended_before_the_kill_makes_the_kill_a_410()
    {
        using var editor = await As(Role.Editor);
        var id = await Published(editor, "lifted", Clock.GetUtcNow().AddMinutes(10));
        Clock.Advance(TimeSpan.FromMinutes(11));
        await Fixture.Factory.Services.GetRequiredService<ScheduledPublisher>().RunDueAsync(CancellationToken.None);
        // The host's own scheduler loop wakes with the clock too and may hold the change: wait until it is committed.
        for (var i = 0; i < 50 && (await (await editor.GetAsync($"/api/v1/articles/{id}")).Json())["embargoUntil"] is not null; i++)
            await Task.Delay(100);
        await Kill(editor, id);

        await (await Client.GetAsync($"/api/v1/articles/{id}")).Problem(HttpStatusCode.Gone, ProblemTypes.Gone);
    }

    [Fact]
    public async Task Previewers_cannot_read_a_killed_articles_revisions_but_editors_can()
    {
        using var editor = await As(Role.Editor);
        using var previewer = await As(Role.Previewer);
        var id = await Published(editor, "withdrawn");
        await (await previewer.GetAsync($"/api/v1/articles/{id}/revisions/1")).Json();

        await Kill(editor, id);

        var gone = await (await previewer.GetAsync($"/api/v1/articles/{id}/revisions/1")).Problem(HttpStatusCode.Gone, ProblemTypes.Gone);
        Assert.DoesNotContain("烏鎮峰會閉幕", gone.ToJsonString());
        var read = await (await editor.GetAsync($"/api/v1/articles/{id}/revisions/1")).Json();
        Assert.Equal("烏鎮峰會閉幕", (string?)read["content"]!["title"]);
        // The list says who changed what, never the text: it stays readable.
        await (await previewer.GetAsync($"/api/v1/articles/{id}/revisions")).Json();
    }
}
