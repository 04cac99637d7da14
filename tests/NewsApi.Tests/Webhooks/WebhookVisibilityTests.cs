using System.Net;
using Microsoft.Extensions.DependencyInjection;
using NewsApi.Data.Entities;
using NewsApi.Scheduling;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Webhooks;

/// <summary>Webhook events follow what the public can read, not the status field.</summary>
public sealed class WebhookVisibilityTests(ApiFixture fixture) : WebhookTest(fixture)
{
    static readonly string[] ArticleEvents = ["article.published", "article.updated", "article.unpublished", "article.killed"];

    async Task SchedulerRunsAt(DateTimeOffset at)
    {
        HostClock.Advance(at - HostClock.GetUtcNow());
        await Host.Services.GetRequiredService<ScheduledPublisher>().RunDueAsync(CancellationToken.None);
    }

    static async Task<string> Draft(HttpClient editor, string slug, DateTimeOffset? embargoUntil = null)
    {
        var created = await (await editor.PostAsync("/api/v1/articles", JsonBody(new { title = "烏鎮峰會閉幕", slug, embargoUntil }))).Json(HttpStatusCode.Created);
        return (string)created["id"]!;
    }

    static async Task Retitle(HttpClient editor, string id, string title)
    {
        var etag = (await editor.GetAsync($"/api/v1/articles/{id}")).ETag();
        await (await editor.Send(HttpMethod.Patch, $"/api/v1/articles/{id}", Raw($$"""{"title":"{{title}}"}""", "application/merge-patch+json"), etag)).Json();
    }

    [Fact]
    public async Task An_embargoed_publish_emits_nothing_until_the_embargo_ends_then_one_article_published()
    {
        using var admin = await HostClient(Role.Admin);
        using var editor = await HostClient(Role.Editor);
        await Register(admin, Receiver.Url(), ArticleEvents);
        var until = HostClock.GetUtcNow().AddHours(1);
        var id = await Draft(editor, "embargoed", until);
        await (await editor.PostAsync($"/api/v1/articles/{id}/publish", null)).Json();
        await Retitle(editor, id, "禁發期內修改");

        await Dispatcher.RunOnceAsync(CancellationToken.None);
        Assert.Empty(Receiver.Requests);

        await SchedulerRunsAt(until.AddSeconds(1));
        await Dispatcher.RunOnceAsync(CancellationToken.None);

        var received = Assert.Single(Receiver.Requests);
        Assert.Equal("article.published", received.Event);
        var data = received.Json["data"]!;
        Assert.Equal("禁發期內修改", (string?)data["title"]);
        Assert.Equal(until, DateTimeOffset.Parse((string)data["embargoUntil"]!));
    }

    [Fact]
    public async Task Edits_while_unpublished_or_embargoed_again_emit_nothing()
    {
        using var admin = await HostClient(Role.Admin);
        using var editor = await HostClient(Role.Editor);
        await Register(admin, Receiver.Url(), ArticleEvents);
        var id = await Draft(editor, "story");
        await (await editor.PostAsync($"/api/v1/articles/{id}/publish", null)).Json();
        await Retitle(editor, id, "公開時修改");
        await (await editor.PostAsync($"/api/v1/articles/{id}/unpublish", null)).Json();
        await Retitle(editor, id, "撤下後修改");
        await Dispatcher.RunOnceAsync(CancellationToken.None);

        Assert.Equal(["article.published", "article.updated", "article.unpublished"], Receiver.Requests.Select(r => r.Event));
        var published = Receiver.Requests[0].Json["data"]!;
        Assert.True(published.AsObject().ContainsKey("embargoUntil"));
        Assert.Null(published["embargoUntil"]);

        // Published again, then put back under embargo: the public loses it, and its edits are theirs no more.
        await (await editor.PostAsync($"/api/v1/articles/{id}/publish", null)).Json();
        var etag = (await editor.GetAsync($"/api/v1/articles/{id}")).ETag();
        var later = HostClock.GetUtcNow().AddHours(2);
        await (await editor.Send(HttpMethod.Patch, $"/api/v1/articles/{id}", Raw($$"""{"embargoUntil":"{{later:O}}"}""", "application/merge-patch+json"), etag)).Json();
        await Retitle(editor, id, "再次禁發時修改");
        await Dispatcher.RunOnceAsync(CancellationToken.None);

        Assert.Equal(["article.published", "article.updated", "article.unpublished", "article.published", "article.unpublished"],
            Receiver.Requests.Select(r => r.Event));
        Assert.Equal(later, DateTimeOffset.Parse((string)Receiver.Requests[^1].Json["data"]!["embargoUntil"]!));
    }

    [Fact]
    public async Task A_kill_is_announced_only_for_a_story_that_was_once_public()
    {
        using var admin = await HostClient(Role.Admin);
        using var editor = await HostClient(Role.Editor);
        await Register(admin, Receiver.Url(), ArticleEvents);
        var secret = await Draft(editor, "never-seen", HostClock.GetUtcNow().AddHours(1));
        await (await editor.PostAsync($"/api/v1/articles/{secret}/publish", null)).Json();
        await (await editor.PostAsync($"/api/v1/articles/{secret}/kill", JsonBody(new { reason = "法律原因撤稿" }))).Json();
        var seen = await Publish(editor, "seen");
        await (await editor.PostAsync($"/api/v1/articles/{seen}/unpublish", null)).Json();
        await (await editor.PostAsync($"/api/v1/articles/{seen}/kill", JsonBody(new { reason = "報道有誤" }))).Json();

        await Dispatcher.RunOnceAsync(CancellationToken.None);

        Assert.Equal(["article.published", "article.unpublished", "article.killed"], Receiver.Requests.Select(r => r.Event));
        Assert.All(Receiver.Requests, r => Assert.Equal($"article:{seen}", (string?)r.Json["subject"]));
        Assert.Equal("報道有誤", (string?)Receiver.Requests[^1].Json["data"]!["reason"]);
    }
}
