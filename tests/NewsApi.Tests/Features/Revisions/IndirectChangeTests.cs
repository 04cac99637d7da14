using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Import.ImportTestData;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Features.Revisions;

/// <summary>
/// A resource changed by a write to something else — an import creating the section, tag or author a story names, a
/// kill or delete taking an article out of a topic or featured list — is recorded as its own endpoints would record
/// it: a revision by that write's actor, an audit entry, an event.
/// </summary>
public sealed class IndirectChangeTests(ApiFixture fixture) : ApiTest(fixture)
{
    static async Task<List<JsonNode>> Revisions(HttpClient client, string url) =>
        (await (await client.GetAsync($"{url}/revisions")).Json())["items"]!.AsArray().Select(r => r!).ToList();

    /// <summary>The log as an admin reads it; a request's own entry is written just after its answer, so this waits for it.</summary>
    static async Task<List<JsonNode>> Log(HttpClient admin, string query, Func<List<JsonNode>, bool> done)
    {
        for (var i = 0; ; i++)
        {
            var items = (await (await admin.GetAsync($"/api/v1/audit?{query}")).Json())["items"]!.AsArray().Select(e => e!).ToList();
            if (done(items) || i == 50)
                return items;
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task An_import_that_creates_missing_sections_tags_and_authors_records_a_revision_an_audit_entry_and_an_event_for_each()
    {
        using var editor = await As(Role.Editor, "wire-desk");
        using var admin = await As(Role.Admin);
        var story = new
        {
            externalId = "cns-1", title = "烏鎮峰會閉幕", section = "local", tags = new[] { "wuzhen" }, authors = new[] { "zhang" },
            body = new object[] { new { type = "paragraph", text = "2023年世界互聯網大會烏鎮峰會正式落下帷幕。" } },
        };

        var (_, results, _) = await editor.Import(Body(Ndjson(story)), "?createMissing=true");
        Assert.Equal("created", results[0].Outcome());

        foreach (var url in new[] { "/api/v1/sections/local", "/api/v1/tags/wuzhen", "/api/v1/authors/zhang" })
        {
            var revision = Assert.Single(await Revisions(editor, url));
            Assert.Equal(("created", "wire-desk"), ((string?)revision["action"], (string?)revision["actor"]));
            var first = await (await editor.GetAsync($"{url}/revisions/1")).Json();
            Assert.Equal(url.Split('/')[^1], (string?)first["content"]!["slug"]);
        }
        var log = await Log(admin, "actor=wire-desk", items => items.Count >= 5);
        Assert.Equal(["/api/v1/authors/zhang", "/api/v1/sections/local", "/api/v1/tags/wuzhen"],
            log.Where(e => (string?)e["action"] == "importArticles:created" && !((string)e["target"]!).StartsWith("/api/v1/articles/", StringComparison.Ordinal))
                .Select(e => (string)e["target"]!).Order(StringComparer.Ordinal));

        await using var db = Fixture.NewDbContext();
        var events = await db.OutboxEvents.AsNoTracking().Select(e => e.Subject).ToListAsync();
        Assert.Contains("section:local", events);
        Assert.Contains("tag:wuzhen", events);
        Assert.Contains("author:zhang", events);
    }

    [Fact]
    public async Task A_dry_run_or_a_batch_refused_whole_leaves_no_revision_of_what_it_would_have_created()
    {
        using var editor = await As(Role.Editor, "wire-desk");
        var bad = new { externalId = "cns-2", title = "", tags = new[] { "nowhere" } };
        await editor.Import(Body(Ndjson(Story("cns-1", tags: ["wuzhen"]))), "?createMissing=true&dryRun=true");
        await editor.Import(Body(Ndjson(Story("cns-1", tags: ["summit"]), bad)), "?createMissing=true&atomic=true");

        await using var db = Fixture.NewDbContext();
        Assert.Empty(await db.ResourceRevisions.AsNoTracking().ToListAsync());
        Assert.Empty(await db.Tags.AsNoTracking().ToListAsync());
    }

    [Fact]
    public async Task An_import_that_moves_a_story_between_topics_is_a_revision_an_audit_entry_an_event_and_a_new_etag_of_each_topic()
    {
        using var editor = await As(Role.Editor, "day-desk");
        using var admin = await As(Role.Admin);
        foreach (var (title, slug) in new[] { ("烏鎮峰會", "summit"), ("數字經濟", "digital") })
            await (await editor.PostAsync("/api/v1/topics", JsonBody(new { title, slug, status = "published" }))).Json(HttpStatusCode.Created);
        using var wire = await As(Role.Editor, "wire-desk");
        var story = new { externalId = "cns-1", title = "烏鎮峰會閉幕", topics = new[] { "summit" } };
        var id = (string)(await wire.Import(Body(Ndjson(story)))).Results[0]["id"]!;
        var read = await editor.GetAsync("/api/v1/topics/digital");

        var (_, results, _) = await wire.Import(Body(Ndjson(story with { topics = new[] { "digital" } })));
        Assert.Equal("updated", results[0].Outcome());

        // It joined one topic on the first import, and left it for the other on the second: each step is the topic's.
        var summit = await Revisions(editor, "/api/v1/topics/summit");
        Assert.Equal([("updated", "wire-desk"), ("updated", "wire-desk"), ("created", "day-desk")],
            summit.Select(r => ((string)r["action"]!, (string)r["actor"]!)));
        Assert.Equal(["articles"], summit[0]["fields"]!.AsArray().Select(f => (string)f!));
        var joined = await (await editor.GetAsync($"/api/v1/topics/summit/revisions/{(int)summit[1]["number"]!}")).Json();
        Assert.Equal([id], joined["content"]!["articles"]!.AsArray().Select(a => (string)a!));
        var digital = await Revisions(editor, "/api/v1/topics/digital");
        Assert.Equal(("updated", "wire-desk"), ((string?)digital[0]["action"], (string?)digital[0]["actor"]));
        var now = await (await editor.GetAsync($"/api/v1/topics/digital/revisions/{(int)digital[0]["number"]!}")).Json();
        Assert.Equal([id], now["content"]!["articles"]!.AsArray().Select(a => (string)a!));

        // A write made against what was read before the story joined is refused, instead of taking it back out.
        await (await editor.Send(HttpMethod.Put, "/api/v1/topics/digital/articles", JsonBody(new { articles = Array.Empty<string>() }), read.ETag()))
            .Problem(HttpStatusCode.PreconditionFailed, ProblemTypes.PreconditionFailed);

        var log = await Log(admin, "actor=wire-desk", items => items.Count(e => (string?)e["action"] == "importArticles:updated") >= 3);
        Assert.Equal(["/api/v1/topics/digital", "/api/v1/topics/summit", "/api/v1/topics/summit"],
            log.Where(e => (string?)e["action"] == "importArticles:updated" && ((string)e["target"]!).StartsWith("/api/v1/topics/", StringComparison.Ordinal))
                .Select(e => (string)e["target"]!).Order(StringComparer.Ordinal));
        await using var db = Fixture.NewDbContext();
        var events = await db.OutboxEvents.AsNoTracking().Where(e => e.Type == "topic.changed").Select(e => e.Subject).ToListAsync();
        // Each one's create, then each import that changed it.
        Assert.Equal((3, 2), (events.Count(e => e == "topic:summit"), events.Count(e => e == "topic:digital")));
    }

    [Theory]
    [InlineData("kill", "article-killed")]
    [InlineData("delete", "article-deleted")]
    public async Task Taking_an_article_out_of_a_topic_and_a_list_by_a_kill_or_delete_is_a_revision_and_an_audit_entry_of_each_by_its_actor(string how, string action)
    {
        using var admin = await As(Role.Admin);
        var story = await Given.Article("story").WithStatus(how == "kill" ? ArticleStatus.Published : ArticleStatus.Draft).Save();
        var other = await Given.Article("other").WithStatus(ArticleStatus.Published).Save();
        using var editor = await As(Role.Editor, "day-desk");
        var topic = await editor.PostAsync("/api/v1/topics", JsonBody(new { title = "烏鎮峰會", slug = "summit", status = "published" }));
        await topic.Json(HttpStatusCode.Created);
        var members = await editor.Send(HttpMethod.Put, "/api/v1/topics/summit/articles", JsonBody(new { articles = new[] { story.Id, other.Id } }), topic.ETag());
        await members.Json();
        var list = await editor.PostAsync("/api/v1/featured-lists", JsonBody(new { title = "國內精選", slug = "picks" }));
        await list.Json(HttpStatusCode.Created);
        var entry = await editor.Send(HttpMethod.Post, "/api/v1/featured-lists/picks/entries", JsonBody(new { article = story.Id, position = 1 }), list.ETag());
        await entry.Json(HttpStatusCode.Created);

        using var night = await As(Role.Editor, "night-desk");
        var article = await night.GetAsync($"/api/v1/articles/{story.Id}");
        var taken = how == "kill"
            ? await night.PostAsync($"/api/v1/articles/{story.Id}/kill", JsonBody(new { reason = "錯誤報道" }))
            : await night.Send(HttpMethod.Delete, $"/api/v1/articles/{story.Id}", ifMatch: article.ETag());
        Assert.True(taken.IsSuccessStatusCode, $"{how}: {(int)taken.StatusCode}");

        var topicRevisions = await Revisions(editor, "/api/v1/topics/summit");
        Assert.Equal((action, "night-desk"), ((string?)topicRevisions[0]["action"], (string?)topicRevisions[0]["actor"]));
        Assert.Equal(["articles"], topicRevisions[0]["fields"]!.AsArray().Select(f => (string)f!));
        var topicNow = await (await editor.GetAsync($"/api/v1/topics/summit/revisions/{(int)topicRevisions[0]["number"]!}")).Json();
        Assert.Equal([other.Id.ToString()], topicNow["content"]!["articles"]!.AsArray().Select(a => (string)a!));

        var listRevisions = await Revisions(editor, "/api/v1/featured-lists/picks");
        Assert.Equal((action, "night-desk"), ((string?)listRevisions[0]["action"], (string?)listRevisions[0]["actor"]));
        Assert.Equal(["entries"], listRevisions[0]["fields"]!.AsArray().Select(f => (string)f!));

        // A write made against what was read before the article left is refused, instead of putting it back.
        await (await editor.Send(HttpMethod.Put, "/api/v1/topics/summit/articles", JsonBody(new { articles = new[] { other.Id } }), members.ETag()))
            .Problem(HttpStatusCode.PreconditionFailed, ProblemTypes.PreconditionFailed);

        var log = await Log(admin, "actor=night-desk", items => items.Count(e => (string?)e["action"] == action) >= 2);
        Assert.Equal(["/api/v1/featured-lists/picks", "/api/v1/topics/summit"],
            log.Where(e => (string?)e["action"] == action).Select(e => (string)e["target"]!).Order(StringComparer.Ordinal));
    }
    [Fact]
    public async Task Deleting_a_tag_is_a_revision_and_an_audit_entry_of_each_article_it_leaves_by_its_actor_and_an_update_of_the_live_ones()
    {
        using var admin = await As(Role.Admin);
        using var editor = await As(Role.Editor, "day-desk");
        var tag = await editor.PostAsync("/api/v1/tags", JsonBody(new { name = "烏鎮", slug = "wuzhen" }));
        await tag.Json(HttpStatusCode.Created);
        var created = await editor.PostAsync("/api/v1/articles", JsonBody(new { title = "烏鎮峰會閉幕", slug = "summit", tags = new[] { "wuzhen" } }));
        var id = (string)(await created.Json(HttpStatusCode.Created))["id"]!;
        await (await editor.PostAsync($"/api/v1/articles/{id}/publish", null)).Json();
        var before = await editor.GetAsync($"/api/v1/articles/{id}");

        using var night = await As(Role.Editor, "night-desk");
        Assert.Equal(HttpStatusCode.NoContent, (await night.Send(HttpMethod.Delete, "/api/v1/tags/wuzhen", ifMatch: tag.ETag())).StatusCode);

        var revisions = await Revisions(editor, $"/api/v1/articles/{id}");
        Assert.Equal(("tag-deleted", "night-desk"), ((string?)revisions[0]["action"], (string?)revisions[0]["actor"]));
        var last = await (await editor.GetAsync($"/api/v1/articles/{id}/revisions/{(int)revisions[0]["number"]!}")).Json();
        Assert.Empty(last["content"]!["tags"]!.AsArray());
        var after = await editor.GetAsync($"/api/v1/articles/{id}");
        Assert.NotEqual(before.ETag(), after.ETag());

        await using var db = Fixture.NewDbContext();
        var events = await db.OutboxEvents.AsNoTracking().Where(e => e.Subject == $"article:{id}").Select(e => e.Type).ToListAsync();
        Assert.Equal(["article.published", "article.updated"], events.Order(StringComparer.Ordinal));
        var page = await (await Client.GetAsync("/api/v1/articles/slug/summit")).Json();
        Assert.Empty(page["tags"]!.AsArray());
        var log = await Log(admin, "actor=night-desk", items => items.Any(e => (string?)e["action"] == "tag-deleted"));
        Assert.Equal([$"/api/v1/articles/{id}"], log.Where(e => (string?)e["action"] == "tag-deleted").Select(e => (string)e["target"]!));
    }
    [Fact]
    public async Task Deleting_a_section_a_list_back_fills_from_is_a_revision_of_that_list_by_its_actor_and_a_new_etag()
    {
        using var editor = await As(Role.Editor, "day-desk");
        var section = await editor.PostAsync("/api/v1/sections", JsonBody(new { name = "本地", slug = "local" }));
        await section.Json(HttpStatusCode.Created);
        var list = await editor.PostAsync("/api/v1/featured-lists", JsonBody(new { title = "本地精選", slug = "picks", section = "local" }));
        await list.Json(HttpStatusCode.Created);

        using var night = await As(Role.Editor, "night-desk");
        Assert.Equal(HttpStatusCode.NoContent, (await night.Send(HttpMethod.Delete, "/api/v1/sections/local", ifMatch: section.ETag())).StatusCode);

        var revisions = await Revisions(editor, "/api/v1/featured-lists/picks");
        Assert.Equal(("section-deleted", "night-desk"), ((string?)revisions[0]["action"], (string?)revisions[0]["actor"]));
        Assert.Equal(["section"], revisions[0]["fields"]!.AsArray().Select(f => (string)f!));
        await using var db = Fixture.NewDbContext();
        Assert.Equal(2, await db.OutboxEvents.AsNoTracking().CountAsync(e => e.Subject == "featured-list:picks"));
        // A write made against what was read before the section went is refused, instead of putting it back.
        await (await editor.Send(HttpMethod.Put, "/api/v1/featured-lists/picks", JsonBody(new { title = "本地精選", slug = "picks" }), list.ETag()))
            .Problem(HttpStatusCode.PreconditionFailed, ProblemTypes.PreconditionFailed);
    }
    [Fact]
    public async Task Deleting_a_section_with_move_to_is_a_revision_and_an_audit_entry_of_each_sub_section_and_list_it_moves_by_its_actor()
    {
        using var admin = await As(Role.Admin);
        using var editor = await As(Role.Editor, "day-desk");
        foreach (var (name, slug, parent) in new[] { ("本地", "local", (string?)null), ("國內", "china", null), ("浙江", "zhejiang", "local") })
            await (await editor.PostAsync("/api/v1/sections", JsonBody(new { name, slug, parent }))).Json(HttpStatusCode.Created);
        var child = await editor.GetAsync("/api/v1/sections/zhejiang");
        await (await editor.PostAsync("/api/v1/featured-lists", JsonBody(new { title = "本地精選", slug = "picks", section = "local" }))).Json(HttpStatusCode.Created);
        var local = await editor.GetAsync("/api/v1/sections/local");

        using var night = await As(Role.Editor, "night-desk");
        Assert.Equal(HttpStatusCode.NoContent,
            (await night.Send(HttpMethod.Delete, "/api/v1/sections/local?moveTo=china", ifMatch: local.ETag())).StatusCode);

        var moved = await Revisions(editor, "/api/v1/sections/zhejiang");
        Assert.Equal(("section-deleted", "night-desk"), ((string?)moved[0]["action"], (string?)moved[0]["actor"]));
        Assert.Equal(["parent"], moved[0]["fields"]!.AsArray().Select(f => (string)f!));
        var now = await (await editor.GetAsync($"/api/v1/sections/zhejiang/revisions/{(int)moved[0]["number"]!}")).Json();
        Assert.Equal("china", (string?)now["content"]!["parent"]);
        Assert.NotEqual(child.ETag(), (await editor.GetAsync("/api/v1/sections/zhejiang")).ETag());

        var list = await Revisions(editor, "/api/v1/featured-lists/picks");
        Assert.Equal(("section-deleted", "night-desk"), ((string?)list[0]["action"], (string?)list[0]["actor"]));
        Assert.Equal(["section"], list[0]["fields"]!.AsArray().Select(f => (string)f!));

        await using var db = Fixture.NewDbContext();
        var events = await db.OutboxEvents.AsNoTracking().Select(e => e.Subject).ToListAsync();
        Assert.Equal(2, events.Count(e => e == "section:zhejiang"));
        Assert.Equal(2, events.Count(e => e == "featured-list:picks"));
        var log = await Log(admin, "actor=night-desk", items => items.Count(e => (string?)e["action"] == "section-deleted") >= 2);
        Assert.Equal(["/api/v1/featured-lists/picks", "/api/v1/sections/zhejiang"],
            log.Where(e => (string?)e["action"] == "section-deleted").Select(e => (string)e["target"]!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Deleting_a_section_with_move_to_is_a_revision_an_audit_entry_and_a_new_etag_of_each_article_it_moves_and_an_update_of_the_live_ones()
    {
        using var editor = await As(Role.Editor, "day-desk");
        using var admin = await As(Role.Admin);
        foreach (var (name, slug) in new[] { ("本地", "local"), ("國內", "china") })
            await (await editor.PostAsync("/api/v1/sections", JsonBody(new { name, slug }))).Json(HttpStatusCode.Created);
        var live = (string)(await (await editor.PostAsync("/api/v1/articles", JsonBody(new { title = "烏鎮峰會閉幕", slug = "summit", section = "local" })))
            .Json(HttpStatusCode.Created))["id"]!;
        await (await editor.PostAsync($"/api/v1/articles/{live}/publish", null)).Json();
        var draft = (string)(await (await editor.PostAsync("/api/v1/articles", JsonBody(new { title = "峰會花絮", slug = "notes", section = "local" })))
            .Json(HttpStatusCode.Created))["id"]!;
        var before = await editor.GetAsync($"/api/v1/articles/{live}");
        var local = await editor.GetAsync("/api/v1/sections/local");

        using var night = await As(Role.Editor, "night-desk");
        Assert.Equal(HttpStatusCode.NoContent,
            (await night.Send(HttpMethod.Delete, "/api/v1/sections/local?moveTo=china", ifMatch: local.ETag())).StatusCode);

        foreach (var id in new[] { live, draft })
        {
            var revisions = await Revisions(editor, $"/api/v1/articles/{id}");
            Assert.Equal(("section-deleted", "night-desk"), ((string?)revisions[0]["action"], (string?)revisions[0]["actor"]));
            Assert.Equal(["section"], revisions[0]["fields"]!.AsArray().Select(f => (string)f!));
            var last = await (await editor.GetAsync($"/api/v1/articles/{id}/revisions/{(int)revisions[0]["number"]!}")).Json();
            Assert.Equal("china", (string?)last["content"]!["section"]);
        }
        Assert.NotEqual(before.ETag(), (await editor.GetAsync($"/api/v1/articles/{live}")).ETag());
        Assert.Equal("china", (string?)(await (await Client.GetAsync("/api/v1/articles/slug/summit")).Json())["section"]!["slug"]);

        var log = await Log(admin, "actor=night-desk", items => items.Count(e => (string?)e["action"] == "section-deleted") >= 2);
        Assert.Equal(new[] { live, draft }.Select(id => $"/api/v1/articles/{id}").Order(StringComparer.Ordinal),
            log.Where(e => (string?)e["action"] == "section-deleted").Select(e => (string)e["target"]!).Order(StringComparer.Ordinal));
        await using var db = Fixture.NewDbContext();
        Assert.Equal(["article.published", "article.updated"],
            (await db.OutboxEvents.AsNoTracking().Where(e => e.Subject == $"article:{live}").Select(e => e.Type).ToListAsync()).Order(StringComparer.Ordinal));
        // The public never saw the draft: its move is nobody's news.
        Assert.False(await db.OutboxEvents.AsNoTracking().AnyAsync(e => e.Subject == $"article:{draft}"));
    }
}
