using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Import.ImportTestData;

namespace NewsApi.Tests.Import;

public sealed class ImportArticlesTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Each_line_is_created_updated_unchanged_or_invalid_and_a_bad_line_never_stops_the_good_ones()
    {
        using var editor = await As(Role.Editor, "wire-import");
        await Given.Section("domestic", "國內");
        await Given.Tag("wuzhen", "烏鎮");
        var first = await editor.Import(Body(Ndjson(Story("a-1", section: "domestic", tags: ["wuzhen"]), Story("a-2", title: "第二篇"))));
        Assert.Equal(["created", "created"], first.Results.Select(r => r.Outcome()));

        var (_, results, summary) = await editor.Import(Body(Ndjson(
            Story("a-1", section: "domestic", tags: ["wuzhen"]),             // identical
            Story("a-2", title: "第二篇（更新）"),                              // changed
            "{\"externalId\":\"a-3\",\"title\":\"x\",\"colour\":\"red\"}",   // unknown member
            "not json",
            Story("a-4", title: "", tags: ["no-such-tag"]),                   // invalid content and reference
            Story("a-5", title: "第五篇"))));

        Assert.Equal(["unchanged", "updated", "invalid", "invalid", "invalid", "created"], results.Select(r => r.Outcome()));
        Assert.Equal([1, 2, 3, 4, 5, 6], results.Select(r => (int)r["line"]!));
        Assert.Equal(first.Results[0]["id"]!.ToString(), results[0]["id"]!.ToString());
        Assert.Contains("colour", results[2]["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal("a-3", (string?)results[2]["externalId"]);
        Assert.Contains("title", results[4]["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(6, (int)summary!["total"]!);
        Assert.Equal((1, 1, 1, 3), ((int)summary["created"]!, (int)summary["updated"]!, (int)summary["unchanged"]!, (int)summary["invalid"]!));
        Assert.True((bool)summary["committed"]!);

        await using var db = Fixture.NewDbContext();
        var a1 = await db.Articles.Include(a => a.Tags).SingleAsync(a => a.ExternalId == "a-1");
        Assert.Single(a1.Tags);
        Assert.Equal(1, await db.ArticleRevisions.CountAsync(r => r.ArticleId == a1.Id));
        var a2 = await db.Articles.SingleAsync(a => a.ExternalId == "a-2");
        Assert.Equal("第二篇（更新）", a2.Title);
        var revisions = await db.ArticleRevisions.Where(r => r.ArticleId == a2.Id).OrderBy(r => r.Number).ToListAsync();
        Assert.Equal(["created", "updated"], revisions.Select(r => r.Action));
        Assert.Equal("wire-import", revisions[1].Actor);
        Assert.Equal(["title"], revisions[1].Fields);
        Assert.Equal(3, await db.Articles.CountAsync());
    }

    [Fact]
    public async Task Unchanged_items_write_nothing_even_when_the_article_was_not_created_by_an_import()
    {
        using var editor = await As(Role.Editor);
        var created = await (await editor.PostAsync("/api/v1/articles", Requests.Raw(Ndjson(Story("by-hand")).Trim()))).Json(HttpStatusCode.Created);
        await using var before = Fixture.NewDbContext();
        var updatedAt = (await before.Articles.SingleAsync()).UpdatedAt;
        Clock.Advance(TimeSpan.FromMinutes(5));

        var (_, results, _) = await editor.Import(Body(Ndjson(Story("by-hand"))));

        Assert.Equal("unchanged", results[0].Outcome());
        Assert.Equal((string)created["id"]!, (string)results[0]["id"]!);
        await using var db = Fixture.NewDbContext();
        Assert.Equal(updatedAt, (await db.Articles.SingleAsync()).UpdatedAt);
        Assert.Equal(1, await db.ArticleRevisions.CountAsync());
    }

    [Fact]
    public async Task A_json_array_is_imported_like_ndjson_with_positions_as_line_numbers()
    {
        using var editor = await As(Role.Editor);

        var (_, results, _) = await editor.Import(Requests.JsonBody(new object[] { Story("j-1"), Story("j-2", title: "") }));

        Assert.Equal(["created", "invalid"], results.Select(r => r.Outcome()));
        Assert.Equal([1, 2], results.Select(r => (int)r["line"]!));
    }

    [Fact]
    public async Task Create_missing_makes_sections_tags_and_authors_and_without_it_they_are_errors()
    {
        using var editor = await As(Role.Editor);
        var item = new { externalId = "m-1", title = "新稿", section = "world", tags = new[] { "summit", "ai" }, authors = new[] { "wang-mou" } };

        var refused = await editor.Import(Body(Ndjson(item)));
        Assert.Equal("invalid", refused.Results[0].Outcome());
        Assert.Equal(["authors", "section", "tags"], refused.Results[0]["errors"]!.AsObject().Select(e => e.Key).Order());

        var (_, results, _) = await editor.Import(Body(Ndjson(item)), "?createMissing=true");
        Assert.Equal("created", results[0].Outcome());
        var article = await (await editor.GetAsync($"/api/v1/articles/{results[0]["id"]}")).Json();
        Assert.Equal(["summit", "ai"], article["tags"]!.AsArray().Select(t => (string)(t!["slug"] ?? t)!));
    }

    [Fact]
    public async Task Items_may_be_published_or_scheduled_and_topics_named_by_slug()
    {
        using var editor = await As(Role.Editor);
        await Given.Topic("2023-wuzhen-summit", "2023烏鎮峰會");
        var later = ApiFixture.Now.AddDays(1).ToString("O");

        var (_, results, _) = await editor.Import(Body(Ndjson(
            Story("s-1", status: "published"),
            Story("s-2", status: "scheduled", publishAt: later),
            Story("s-3", status: "scheduled"),
            new { externalId = "s-4", title = "專題稿", topics = new[] { "2023-wuzhen-summit" } })));

        Assert.Equal(["created", "created", "invalid", "created"], results.Select(r => r.Outcome()));
        Assert.Equal("published", (string?)(await (await Client.GetAsync($"/api/v1/articles/{results[0]["id"]}")).Json())["status"]);
        await using var db = Fixture.NewDbContext();
        var scheduled = await db.Articles.SingleAsync(a => a.ExternalId == "s-2");
        Assert.Equal(ArticleStatus.Scheduled, scheduled.Status);
        Assert.Equal(1, await db.TopicArticles.CountAsync());

        var again = await editor.Import(Body(Ndjson(Story("s-1", status: "published"), Story("s-2", status: "scheduled", publishAt: later))));
        Assert.Equal(["unchanged", "unchanged"], again.Results.Select(r => r.Outcome()));
    }

    [Fact]
    public async Task Atomic_imports_nothing_when_one_item_is_invalid_and_everything_when_none_is()
    {
        using var editor = await As(Role.Editor);

        var (_, results, summary) = await editor.Import(Body(Ndjson(Story("t-1"), Story("t-2", title: ""))), "?atomic=true");

        Assert.Equal(["created", "invalid"], results.Select(r => r.Outcome()));
        Assert.False((bool)summary!["committed"]!);
        Assert.True((bool)summary["atomic"]!);
        await using (var db = Fixture.NewDbContext())
            Assert.Equal(0, await db.Articles.CountAsync());

        var ok = await editor.Import(Body(Ndjson(Story("t-1"), Story("t-2", title: "二"))), "?atomic=true");
        Assert.True((bool)ok.Summary!["committed"]!);
        await using (var db = Fixture.NewDbContext())
            Assert.Equal(2, await db.Articles.CountAsync());
    }

    [Fact]
    public async Task A_dry_run_reports_outcomes_and_writes_nothing()
    {
        using var editor = await As(Role.Editor);
        await editor.Import(Body(Ndjson(Story("d-1"))));

        var (_, results, summary) = await editor.Import(Body(Ndjson(Story("d-1", title: "改"), Story("d-2"), Story("d-3", tags: ["new-tag"]))), "?dryRun=true&createMissing=true");

        Assert.Equal(["updated", "created", "created"], results.Select(r => r.Outcome()));
        Assert.True((bool)summary!["dryRun"]!);
        Assert.False((bool)summary["committed"]!);
        await using var db = Fixture.NewDbContext();
        Assert.Equal(["烏鎮峰會閉幕"], await db.Articles.Select(a => a.Title).ToListAsync());
        Assert.Equal(0, await db.Tags.CountAsync());
        Assert.Equal(1, await db.ArticleRevisions.CountAsync());
    }

    [Fact]
    public async Task The_same_story_twice_in_one_file_is_created_then_updated()
    {
        using var editor = await As(Role.Editor);

        var (_, results, _) = await editor.Import(Body(Ndjson(Story("twice"), Story("twice", title: "第二版"))));

        Assert.Equal(["created", "updated"], results.Select(r => r.Outcome()));
        await using var db = Fixture.NewDbContext();
        Assert.Equal("第二版", (await db.Articles.SingleAsync()).Title);
    }

    [Fact]
    public async Task An_idempotency_key_replays_the_first_result_and_refuses_another_body()
    {
        using var editor = await As(Role.Editor);
        var body = Ndjson(Story("i-1"), Story("i-2"));

        var first = await editor.Import(Body(body), idempotencyKey: "key-123");
        var replay = await editor.Import(Body(body), idempotencyKey: "key-123");

        Assert.Equal(["created", "created"], replay.Results.Select(r => r.Outcome()));
        Assert.Equal(first.Results.Select(r => r.ToJsonString()), replay.Results.Select(r => r.ToJsonString()));
        Assert.Equal("true", replay.Response.Headers.GetValues("Idempotency-Replayed").Single());
        await using (var db = Fixture.NewDbContext())
            Assert.Equal(2, await db.ArticleRevisions.CountAsync());

        var other = await editor.Import(Body(Ndjson(Story("i-3"))), idempotencyKey: "key-123", expected: HttpStatusCode.UnprocessableEntity);
        await other.Response.Problem(HttpStatusCode.UnprocessableEntity, "urn:newsapi:problem:idempotency-key-reused");
    }

    [Fact]
    public async Task A_key_whose_first_request_still_runs_is_a_conflict_and_expired_keys_import_again()
    {
        using var editor = await As(Role.Editor);
        await using (var db = Fixture.NewDbContext())
        {
            var owner = (await db.ApiKeys.SingleAsync(k => k.Role == Role.Editor)).Id;
            db.IdempotencyRecords.Add(new IdempotencyRecord { Owner = owner, Key = "running", CreatedAt = Clock.GetUtcNow(), ExpiresAt = Clock.GetUtcNow().AddMinutes(5) });
            await db.SaveChangesAsync();
        }

        var busy = await editor.Import(Body(Ndjson(Story("r-1"))), idempotencyKey: "running", expected: HttpStatusCode.Conflict);
        await busy.Response.Problem(HttpStatusCode.Conflict, ProblemTypes.Conflict);

        await editor.Import(Body(Ndjson(Story("r-1"))), idempotencyKey: "once");
        Clock.Advance(TimeSpan.FromHours(25));
        var after = await editor.Import(Body(Ndjson(Story("r-1", title: "改"))), idempotencyKey: "once");
        Assert.Equal("updated", after.Results[0].Outcome());
    }

    [Fact]
    public async Task Imports_need_an_editor_key()
    {
        await Client.Import(Body(Ndjson(Story("x"))), expected: HttpStatusCode.Unauthorized);
        using var previewer = await As(Role.Previewer);
        await previewer.Import(Body(Ndjson(Story("x"))), expected: HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_unknown_media_type_is_415_and_an_item_without_external_id_is_invalid()
    {
        using var editor = await As(Role.Editor);
        var wrong = await editor.Import(Body("<xml/>", "application/xml"), expected: HttpStatusCode.UnsupportedMediaType);
        await wrong.Response.Problem(HttpStatusCode.UnsupportedMediaType, ProblemTypes.UnsupportedMediaType);

        var (_, results, _) = await editor.Import(Body(Ndjson(new { title = "無來源編號" })));
        Assert.Equal(["externalId"], results[0]["errors"]!.AsObject().Select(e => e.Key));
    }
}
