using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using NewsApi.Changes;
using NewsApi.Data.Entities;
using NewsApi.Tests.Feeds;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Features.Articles;

public sealed class NoticeTests(ApiFixture fixture) : ApiTest(fixture)
{
    const string Correction = "本文較早版本誤植峰會日期，現已更正。";
    const string EditorsNote = "本文為「烏鎮十年」系列報道之一。";

    async Task<HttpResponseMessage> Get(string path, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        return await Client.SendAsync(request);
    }

    [Fact]
    public async Task A_notice_is_shown_in_the_json_the_html_json_ld_ninjs_and_feeds()
    {
        var domestic = await Given.Section("domestic", "國內");
        var story = await Given.Article("wuzhen-story").In(domestic).Save();
        using var editor = await As(Role.Editor);
        Clock.Advance(TimeSpan.FromHours(1));
        var correctedAt = Clock.GetUtcNow();

        var added = await (await editor.PostAsync($"/api/v1/articles/{story.Id}/notices", JsonBody(new { type = "correction", text = Correction })))
            .Json(HttpStatusCode.Created);
        await (await editor.PostAsync($"/api/v1/articles/{story.Id}/notices", JsonBody(new { type = "editorsNote", text = EditorsNote })))
            .Json(HttpStatusCode.Created);

        Assert.Equal("correction", (string?)added["notices"]![0]!["type"]);
        var article = await (await Client.GetAsync($"/api/v1/articles/{story.Id}")).Json();
        Assert.Equal(["correction", "editorsNote"], article["notices"]!.AsArray().Select(n => (string)n!["type"]!));
        Assert.Equal(correctedAt, (DateTimeOffset)article["notices"]![0]!["at"]!);
        // The old member still answers, with the corrections alone in their old shape.
        Assert.Equal(Correction, (string?)article["corrections"]!.AsArray().Single()!["text"]);
        Assert.Null(article["corrections"]![0]!["type"]);
        var html = (string)article["bodyHtml"]!;
        Assert.StartsWith("<aside class=\"notices\"><p class=\"notice notice-editors-note\" data-notice=\"editorsNote\"><strong>編者按</strong>", html);
        Assert.Contains(EditorsNote, html);
        Assert.EndsWith($"<p class=\"notice notice-correction\" data-notice=\"correction\"><strong>更正</strong> <time datetime=\"{correctedAt:yyyy-MM-dd'T'HH:mm:ss'Z'}\">{correctedAt:yyyy-MM-dd}</time> {Correction}</p></aside>\n", html);

        var ld = JsonNode.Parse(await (await Get($"/api/v1/articles/{story.Id}", "application/ld+json")).Content.ReadAsStringAsync())!;
        SchemaOrg.AssertValid(ld);
        Assert.Equal("CorrectionComment", (string?)ld["correction"]![0]!["@type"]);
        Assert.Equal(Correction, (string?)ld["correction"]![0]!["text"]);
        Assert.Equal(correctedAt, (DateTimeOffset)ld["correction"]![0]!["datePublished"]!);
        Assert.Equal("Comment", (string?)ld["comment"]![0]!["@type"]);

        var ninjs = JsonNode.Parse(await (await Get($"/api/v1/articles/{story.Id}", "application/ninjs+json")).Content.ReadAsStringAsync())!;
        SharedSpecs.AssertValidNinjs(ninjs, "3.1");
        Assert.Contains(ninjs["descriptions"]!.AsArray(), d => (string?)d!["role"] == "correction" && (string?)d["value"] == Correction);
        Assert.Contains(Correction, (string?)ninjs["bodies"]![1]!["value"]);

        var feed = await (await Client.GetAsync("/feeds/sections/domestic.json")).Json();
        SharedSpecs.AssertValidJsonFeed(feed);
        var item = feed["items"]![0]!;
        Assert.Contains(Correction, (string?)item["content_html"]);
        Assert.True((DateTimeOffset)item["date_modified"]! >= correctedAt, "the item's updated time moves with the notice");
        Assert.Equal(story.PublishedAt, (DateTimeOffset)item["date_published"]!);
    }

    [Fact]
    public async Task A_notice_on_a_live_article_tells_webhook_receivers_article_corrected()
    {
        var live = await Given.Article("live").Save();
        var draft = await Given.Article("draft").WithStatus(ArticleStatus.Draft).Save();
        using var editor = await As(Role.Editor);

        await (await editor.PostAsync($"/api/v1/articles/{live.Id}/notices", JsonBody(new { type = "clarification", text = "澄清：數字為初步統計。" })))
            .Json(HttpStatusCode.Created);
        await (await editor.PostAsync($"/api/v1/articles/{draft.Id}/notices", JsonBody(new { type = "correction", text = "草稿更正" })))
            .Json(HttpStatusCode.Created);

        await using var db = Fixture.NewDbContext();
        var corrected = await db.OutboxEvents.Where(e => e.Type == EventTypes.ArticleCorrected).ToListAsync();
        var only = Assert.Single(corrected);
        Assert.Equal($"article:{live.Id}", only.Subject);
        Assert.Equal("clarification", (string?)only.Data["notices"]![0]!["type"]);
        Assert.Equal("澄清：數字為初步統計。", (string?)only.Data["notices"]![0]!["text"]);
        Assert.Contains(await db.OutboxEvents.Where(e => e.Subject == $"article:{live.Id}").Select(e => e.Type).ToListAsync(), t => t == EventTypes.ArticleUpdated);
        var revision = await db.ArticleRevisions.Where(r => r.ArticleId == live.Id).OrderByDescending(r => r.Number).FirstAsync();
        Assert.Equal("notice-added", revision.Action);
    }

    [Fact]
    public async Task Old_clients_write_corrections_as_before_and_an_edit_to_a_published_notice_is_audited()
    {
        var story = await Given.Article("story").Save();
        using var editor = await As(Role.Editor, "night-desk");
        await (await editor.PostAsync($"/api/v1/articles/{story.Id}/notices", JsonBody(new { type = "update", text = "更新：大會閉幕。" })))
            .Json(HttpStatusCode.Created);
        var read = await editor.GetAsync($"/api/v1/articles/{story.Id}");

        // corrections replaces the correction notices and leaves the others.
        var patched = await editor.Send(HttpMethod.Patch, $"/api/v1/articles/{story.Id}",
            Raw("""{"corrections":[{"at":"2023-11-12T08:00:00Z","text":"更正：日期為11月10日。"}]}""", "application/merge-patch+json"), read.ETag());
        var article = await patched.Json();
        Assert.Equal(["correction", "update"], article["notices"]!.AsArray().Select(n => (string)n!["type"]!));
        Assert.Equal("更正：日期為11月10日。", (string?)article["corrections"]![0]!["text"]);

        await using (var db = Fixture.NewDbContext())
            Assert.Empty(await db.AuditEntries.Where(e => e.Action == "editArticleNotice").ToListAsync());

        // The correction (the older notice, first) is reworded: the record of what readers were told changed.
        var reworded = await editor.Send(HttpMethod.Patch, $"/api/v1/articles/{story.Id}",
            Raw("""{"corrections":[{"at":"2023-11-12T08:00:00Z","text":"更正：日期為11月11日。"}]}""", "application/merge-patch+json"), patched.ETag());
        await reworded.Json();

        await using var after = Fixture.NewDbContext();
        var audit = await after.AuditEntries.SingleAsync(e => e.Action == "editArticleNotice");
        Assert.Equal($"article:{story.Id}/notices/1", audit.Target);
        Assert.Equal("night-desk", audit.Actor);
    }

    [Theory]
    [InlineData("""{"type":"erratum","text":"x"}""", "type")]
    [InlineData("""{"type":"correction","text":""}""", "text")]
    [InlineData("""{"type":"correction","text":"<b>更正</b>"}""", "text")]
    [InlineData("""{"type":"correction","text":"更正","at":"2999-01-01T00:00:00Z"}""", "at")]
    public async Task A_bad_notice_is_a_validation_problem(string json, string field)
    {
        var story = await Given.Article("story").Save();
        using var editor = await As(Role.Editor);

        await (await editor.PostAsync($"/api/v1/articles/{story.Id}/notices", Raw(json))).Invalid(field);
    }
}
