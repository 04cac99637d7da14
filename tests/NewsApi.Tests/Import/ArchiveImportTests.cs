using System.Net;
using System.Text.Json.Nodes;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NewsApi.Content;
using NewsApi.Data.Entities;
using NewsApi.Import;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Import.ImportTestData;

namespace NewsApi.Tests.Import;

/// <summary>
/// A newsroom moving twenty years of stories in keeps their history: an item's publishedAt, firstPublishedAt and
/// updatedAt are kept instead of now, lists and feeds order by them, and receivers hear nothing unless asked.
/// </summary>
public sealed class ArchiveImportTests(ApiFixture fixture) : ApiTest(fixture)
{
    static JsonObject Historic(string externalId, string status, string? publishedAt = null, string? firstPublishedAt = null,
        string? updatedAt = null, string section = "domestic", string title = "烏鎮峰會閉幕")
    {
        var item = JsonNode.Parse(Ndjson(Story(externalId, title: title, section: section, status: status)))!.AsObject();
        if (publishedAt is not null)
            item["publishedAt"] = publishedAt;
        if (firstPublishedAt is not null)
            item["firstPublishedAt"] = firstPublishedAt;
        if (updatedAt is not null)
            item["updatedAt"] = updatedAt;
        return item;
    }

    static string Lines(params JsonObject[] items) => string.Concat(items.Select(i => i.ToJsonString() + "\n"));

    async Task<Article> Stored(string externalId)
    {
        await using var db = Fixture.NewDbContext();
        return await db.Articles.AsNoTracking().SingleAsync(a => a.ExternalId == externalId);
    }

    async Task<List<string>> EventsOf(Guid id)
    {
        await using var db = Fixture.NewDbContext();
        return await db.OutboxEvents.AsNoTracking().Where(e => e.Subject == $"article:{id}").Select(e => e.Type).ToListAsync();
    }

    [Fact]
    public async Task An_archived_story_from_2005_keeps_its_times_and_an_old_published_one_takes_its_place_in_the_section_list_and_feed()
    {
        var domestic = await Given.Section("domestic", "國內");
        var recent = await Given.Article("recent").In(domestic).PublishedAt(Clock.GetUtcNow().AddDays(-1)).Save();
        using var editor = await As(Role.Editor);

        var (_, results, _) = await editor.Import(Body(Lines(
            Historic("cms:2005-archived", "archived", "2005-06-01T08:00:00Z", "2005-05-31T22:00:00Z", "2006-01-02T03:04:05Z", title: "二〇〇五年舊聞"),
            Historic("cms:2005-published", "published", "2005-06-02T16:00:00+08:00", updatedAt: "2005-06-03T16:00:00+08:00", title: "二〇〇五年要聞"))), "?createMissing=true");

        Assert.All(results, r => Assert.Equal("created", r.Outcome()));
        var archived = await Stored("cms:2005-archived");
        Assert.Equal(ArticleStatus.Archived, archived.Status);
        Assert.Equal(DateTimeOffset.Parse("2005-06-01T08:00:00Z"), archived.PublishedAt);
        Assert.Equal(DateTimeOffset.Parse("2005-05-31T22:00:00Z"), archived.FirstPublishedAt);
        Assert.Equal(DateTimeOffset.Parse("2005-05-31T22:00:00Z"), archived.FirstPublicAt);
        Assert.Equal(DateTimeOffset.Parse("2006-01-02T03:04:05Z"), archived.UpdatedAt);

        var old = await Stored("cms:2005-published");
        Assert.Equal(ArticleStatus.Published, old.Status);
        Assert.Equal(DateTimeOffset.Parse("2005-06-02T08:00:00Z"), old.PublishedAt);
        Assert.Equal(old.PublishedAt, old.FirstPublishedAt);
        Assert.Equal(DateTimeOffset.Parse("2005-06-03T08:00:00Z"), old.UpdatedAt);

        // After the newer story, not on top as an import published now would be; an archived story is not public.
        var list = await (await Client.GetAsync("/api/v1/articles?section=domestic")).Json();
        Assert.Equal([recent.Slug, old.Slug], list.Slugs());
        var publicOld = await (await Client.GetAsync($"/api/v1/articles/{old.Id}")).Json();
        Assert.Equal(DateTimeOffset.Parse("2005-06-02T08:00:00Z"), DateTimeOffset.Parse((string)publicOld["publishedAt"]!));
        var feed = JsonNode.Parse(await Client.GetStringAsync("/feeds/sections/domestic.json"))!;
        Assert.Equal([$"urn:newsapi:article:{recent.Id}", $"urn:newsapi:article:{old.Id}"],
            feed["items"]!.AsArray().Select(i => (string)i!["id"]!).ToList());
    }

    [Fact]
    public async Task An_unpublished_item_keeps_its_times_and_is_not_publicly_readable()
    {
        using var editor = await As(Role.Editor);

        var (_, results, _) = await editor.Import(Body(Lines(Historic("cms:gone", "unpublished", "2010-01-01T00:00:00Z"))), "?createMissing=true");

        Assert.Equal("created", results[0].Outcome());
        var article = await Stored("cms:gone");
        Assert.Equal(ArticleStatus.Unpublished, article.Status);
        Assert.Equal(DateTimeOffset.Parse("2010-01-01T00:00:00Z"), article.PublishedAt);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/v1/articles/{article.Id}")).StatusCode);
        Assert.Empty((await (await Client.GetAsync("/api/v1/articles?section=domestic")).Json()).Slugs());
    }

    [Fact]
    public async Task A_migrated_story_raises_no_event_without_notify_and_article_published_with_it()
    {
        using var editor = await As(Role.Editor);

        await editor.Import(Body(Lines(Historic("cms:quiet", "published", "2005-06-02T08:00:00Z"))), "?createMissing=true");
        await editor.Import(Body(Lines(Historic("cms:loud", "published", "2005-06-02T08:00:00Z"))), "?createMissing=true&notify=true");

        var quiet = await Stored("cms:quiet");
        Assert.Empty(await EventsOf(quiet.Id));
        // The change is still recorded for readers: the story is listed at once.
        Assert.Contains(quiet.Slug, (await (await Client.GetAsync("/api/v1/articles?section=domestic")).Json()).Slugs());
        Assert.Equal(["article.published"], await EventsOf((await Stored("cms:loud")).Id));

        // A quiet re-import that changes the story says nothing either.
        var changed = Historic("cms:quiet", "published", "2005-06-02T08:00:00Z", title: "改過的標題");
        var (_, results, _) = await editor.Import(Body(Lines(changed)));
        Assert.Equal("updated", results[0].Outcome());
        Assert.Empty(await EventsOf(quiet.Id));
        Assert.Equal("改過的標題", (string)(await (await Client.GetAsync($"/api/v1/articles/{quiet.Id}")).Json())["title"]!);
    }

    [Fact]
    public async Task A_quiet_migration_that_takes_a_live_story_down_still_tells_receivers()
    {
        using var editor = await As(Role.Editor);
        await editor.Import(Body(Lines(Historic("cms:live", "published", "2005-06-02T08:00:00Z"))), "?createMissing=true");

        var (_, results, _) = await editor.Import(Body(Lines(Historic("cms:live", "archived", "2005-06-02T08:00:00Z"))));

        Assert.Equal("updated", results[0].Outcome());
        var article = await Stored("cms:live");
        Assert.Equal(ArticleStatus.Archived, article.Status);
        Assert.Equal(["article.unpublished"], await EventsOf(article.Id));
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/v1/articles/{article.Id}")).StatusCode);
    }

    [Theory]
    [InlineData("published", "2026-03-02T00:00:00Z", null, null, "publishedAt", "scheduled")]
    [InlineData("archived", "2026-03-02T00:00:00Z", null, null, "publishedAt", "future")]
    [InlineData("published", "2005-06-02T08:00:00Z", "2005-06-03T00:00:00Z", null, "firstPublishedAt", "at or before publishedAt")]
    [InlineData("published", "2005-06-02T08:00:00Z", null, "2005-06-01T00:00:00Z", "updatedAt", "at or after publishedAt")]
    [InlineData("published", "2005-06-02T08:00:00Z", null, "2026-03-02T00:00:00Z", "updatedAt", "future")]
    [InlineData("published", "2005-06-02T08:00:00Z", "2026-03-02T00:00:00Z", null, "firstPublishedAt", "future")]
    [InlineData("draft", "2005-06-02T08:00:00Z", null, null, "publishedAt", "goes with status published")]
    [InlineData("archived", "0001-01-01T00:00:00Z", null, null, "publishedAt", "not a plausible time")]
    [InlineData("published", null, "2005-06-02T08:00:00Z", null, "firstPublishedAt", "goes with publishedAt")]
    [InlineData("archived", null, null, "2005-06-02T08:00:00Z", "updatedAt", "goes with publishedAt")]
    public async Task A_time_out_of_order_or_in_the_future_is_an_invalid_line_naming_the_member(
        string status, string? publishedAt, string? firstPublishedAt, string? updatedAt, string member, string message)
    {
        using var editor = await As(Role.Editor);

        var (_, results, summary) = await editor.Import(Body(Lines(Historic("cms:bad", status, publishedAt, firstPublishedAt, updatedAt))), "?createMissing=true");

        Assert.Equal("invalid", results[0].Outcome());
        var errors = results[0]["errors"]![member]!.AsArray().Select(e => (string)e!).ToList();
        Assert.Contains(errors, e => e.Contains(message));
        Assert.Equal(1, (int?)summary!["invalid"]);
        await using var db = Fixture.NewDbContext();
        Assert.False(await db.Articles.AnyAsync(a => a.ExternalId == "cms:bad"));
    }

    [Fact]
    public async Task A_key_that_may_not_publish_cannot_bring_history()
    {
        // Every key that may import may publish today; the rule is the checks', for the day an editor may not.
        using var scope = Fixture.Factory.Services.CreateScope();
        var checks = new ImportChecks(scope.ServiceProvider.GetRequiredService<IValidator<ArticleContent>>(), false, mayPublish: false, Clock);
        var item = new ImportItem("烏鎮峰會閉幕", ExternalId: "cms:x", Status: "archived", PublishedAt: DateTimeOffset.Parse("2005-06-02T08:00:00Z"),
            FirstPublishedAt: DateTimeOffset.Parse("2005-06-01T08:00:00Z"), UpdatedAt: DateTimeOffset.Parse("2005-06-03T08:00:00Z"));

        var errors = await checks.Of(item, CancellationToken.None);

        Assert.Contains("This key may not publish", errors["status"].Single());
        Assert.All(["publishedAt", "firstPublishedAt", "updatedAt"], m => Assert.Contains("may not publish", errors[m].Single()));
    }
}

/// <summary>What a webhook receiver hears of a migration: nothing without ?notify=true, article.published with it.</summary>
public sealed class ArchiveImportWebhookTests(ApiFixture fixture) : Webhooks.WebhookTest(fixture)
{
    [Fact]
    public async Task A_receiver_hears_of_migrated_stories_only_when_the_import_asks_to_notify()
    {
        using var admin = await HostClient(Role.Admin);
        using var editor = await HostClient(Role.Editor);
        await Register(admin, Receiver.Url(), "article.published", "article.updated", "article.unpublished");
        var story = Ndjson(Story("cms:quiet", status: "published")).Replace("\"status\":\"published\"", "\"status\":\"published\",\"publishedAt\":\"2005-06-02T08:00:00Z\"");

        await editor.Import(Body(story));
        await Dispatcher.RunOnceAsync(CancellationToken.None);
        Assert.Empty(Receiver.Requests);

        await editor.Import(Body(story.Replace("cms:quiet", "cms:loud")), "?notify=true");
        await Dispatcher.RunOnceAsync(CancellationToken.None);

        var received = Assert.Single(Receiver.Requests);
        Assert.Equal("article.published", received.Event);
        Assert.Equal(DateTimeOffset.Parse("2005-06-02T08:00:00Z"), DateTimeOffset.Parse((string)received.Json["data"]!["publishedAt"]!));
    }
}
