using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Features.FeaturedLists;

public sealed class WriteFeaturedListTests(ApiFixture fixture) : ApiTest(fixture)
{
    static List<string> EntrySlugs(JsonNode list) =>
        list["entries"]!.AsArray().Select(e => (string)e!["article"]!["slug"]!).ToList();

    static string Stamp(DateTimeOffset t) => t.ToString("yyyy-MM-ddTHH:mm:ssZ");

    async Task<string> ETagOf(string slug) => (await Client.GetAsync($"/api/v1/featured-lists/{slug}")).ETag();

    [Fact]
    public async Task Creating_gives_a_pinyin_slug_and_an_empty_list_filled_from_its_section()
    {
        using var editor = await As(Role.Editor);
        var domestic = await Given.Section("domestic", "國內");
        await Given.Article("fill").In(domestic).Save();

        var response = await editor.PostAsync("/api/v1/featured-lists", JsonBody(new { title = "國內新聞精選", section = "domestic", maxItems = 5 }));

        var list = await response.Json(HttpStatusCode.Created);
        Assert.Equal("guo-nei-xin-wen-jing-xuan", (string?)list["slug"]);
        Assert.Equal(5, (int?)list["maxItems"]);
        Assert.Equal(["fill"], EntrySlugs(list));
        Assert.Equal(response.ETag().Version(), (await ETagOf("guo-nei-xin-wen-jing-xuan")).Version());
    }

    [Theory]
    [InlineData("""{"title":""}""", "title")]
    [InlineData("""{"title":"精選","maxItems":0}""", "maxItems")]
    [InlineData("""{"title":"精選","maxItems":101}""", "maxItems")]
    [InlineData("""{"title":"精選","section":"nowhere"}""", "section")]
    [InlineData("""{"title":"精選","slug":"jing xuan"}""", "slug")]
    [InlineData("""{"title":"精選","id":"01a21c06-4d64-7965-8828-83d0b2c9493e"}""", "id")]
    [InlineData("""{"title":"精選","version":1}""", "version")]
    [InlineData("""{"title":"精選","entries":[]}""", "entries")]
    [InlineData("""{"title":"精選","createdAt":"2020-01-01T00:00:00Z"}""", "createdAt")]
    public async Task Invalid_or_mass_assigning_creates_are_refused_and_create_nothing(string json, string field)
    {
        using var editor = await As(Role.Editor);
        await Given.Section("domestic", "國內");

        await (await editor.PostAsync("/api/v1/featured-lists", Raw(json))).Invalid(field);

        await using var db = Fixture.NewDbContext();
        Assert.Equal(0, await db.FeaturedLists.CountAsync());
    }

    [Fact]
    public async Task Writes_need_an_editor_key()
    {
        var story = await Given.Article("story").Save();
        await Given.FeaturedList("domestic", "國內新聞精選");
        using var previewer = await As(Role.Previewer);

        await (await Client.PostAsync("/api/v1/featured-lists", JsonBody(new { title = "精選" }))).Problem(HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
        await (await previewer.Send(HttpMethod.Post, "/api/v1/featured-lists/domestic/entries", JsonBody(new { article = story.Id, position = 1 }), await ETagOf("domestic")))
            .Problem(HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
    }

    [Fact]
    public async Task Changing_the_list_needs_if_match()
    {
        using var editor = await As(Role.Editor);
        await Given.FeaturedList("domestic", "國內新聞精選", maxItems: 3);
        var etag = await ETagOf("domestic");

        await (await editor.Send(HttpMethod.Put, "/api/v1/featured-lists/domestic", JsonBody(new { title = "精選" }))).Problem(HttpStatusCode.PreconditionRequired, ProblemTypes.PreconditionRequired);
        await (await editor.Send(HttpMethod.Put, "/api/v1/featured-lists/domestic", JsonBody(new { title = "精選" }), "\"1\"")).Problem(HttpStatusCode.PreconditionFailed, ProblemTypes.PreconditionFailed);
        var replaced = await editor.Send(HttpMethod.Put, "/api/v1/featured-lists/domestic", JsonBody(new { title = "精選" }), etag);
        var list = await replaced.Json();
        Assert.Equal("精選", (string?)list["title"]);
        Assert.Equal(10, (int?)list["maxItems"]);

        var patched = await (await editor.Send(HttpMethod.Patch, "/api/v1/featured-lists/domestic", Raw("""{"maxItems":4,"slug":"china"}""", "application/merge-patch+json"), replaced.ETag())).Json();
        Assert.Equal(4, (int?)patched["maxItems"]);
        Assert.Equal("精選", (string?)patched["title"]);
        Assert.Equal("china", (string?)patched["slug"]);
    }

    [Fact]
    public async Task Featuring_an_article_shows_it_and_changes_the_lists_etag()
    {
        using var editor = await As(Role.Editor);
        var story = await Given.Article("story").Save();
        await Given.FeaturedList("domestic", "國內新聞精選");
        var etag = await ETagOf("domestic");

        await (await editor.Send(HttpMethod.Post, "/api/v1/featured-lists/domestic/entries", JsonBody(new { article = story.Id, position = 1 })))
            .Problem(HttpStatusCode.PreconditionRequired, ProblemTypes.PreconditionRequired);
        var response = await editor.Send(HttpMethod.Post, "/api/v1/featured-lists/domestic/entries", JsonBody(new { article = story.Id, position = 1, pinned = true }), etag);

        var entry = await response.Json(HttpStatusCode.Created);
        Assert.Equal(story.Id, (Guid)entry["article"]!);
        Assert.Equal(Clock.GetUtcNow(), (DateTimeOffset)entry["featuredAt"]!);
        Assert.NotEqual(etag, response.ETag());
        var list = await (await Client.GetAsync("/api/v1/featured-lists/domestic")).Json();
        Assert.Equal(["story"], EntrySlugs(list));
        Assert.Equal((string?)entry["id"], (string?)list["entries"]![0]!["id"]);
        await (await editor.Send(HttpMethod.Post, "/api/v1/featured-lists/domestic/entries", JsonBody(new { article = story.Id, position = 2 }), etag))
            .Problem(HttpStatusCode.PreconditionFailed, ProblemTypes.PreconditionFailed);
        await (await editor.Send(HttpMethod.Post, "/api/v1/featured-lists/domestic/entries", JsonBody(new { article = story.Id, position = 2 }), response.ETag()))
            .Problem(HttpStatusCode.Conflict, ProblemTypes.Conflict);
    }

    [Theory]
    [InlineData("""{"article":"01a21c06-4d64-7965-8828-83d0b2c9493e","position":1}""", "article")]
    [InlineData("""{"article":"KILLED","position":1}""", "article")]
    [InlineData("""{"position":1}""", "article")]
    [InlineData("""{"article":"STORY","position":0}""", "position")]
    [InlineData("""{"article":"STORY"}""", "position")]
    [InlineData("""{"article":"STORY","position":1,"visibleFrom":"2026-03-02T00:00:00Z","visibleUntil":"2026-03-01T12:00:00Z"}""", "visibleUntil")]
    [InlineData("""{"article":"STORY","position":1,"visibleUntil":"2026-03-01T07:00:00Z"}""", "visibleUntil")]
    [InlineData("""{"article":"STORY","position":1,"featuredAt":"2026-02-01T00:00:00Z"}""", "featuredAt")]
    [InlineData("""{"article":"STORY","position":1,"removedAt":"2026-03-05T00:00:00Z"}""", "removedAt")]
    [InlineData("""{"article":"STORY","position":1,"id":"01a21c06-4d64-7965-8828-83d0b2c9493e"}""", "id")]
    public async Task Invalid_entries_are_refused_and_change_nothing(string json, string field)
    {
        using var editor = await As(Role.Editor);
        var story = await Given.Article("story").Save();
        var killed = await Given.Article("killed").WithStatus(ArticleStatus.Killed).Save();
        await Given.FeaturedList("domestic", "國內新聞精選");
        var etag = await ETagOf("domestic");

        await (await editor.Send(HttpMethod.Post, "/api/v1/featured-lists/domestic/entries",
            Raw(json.Replace("STORY", story.Id.ToString()).Replace("KILLED", killed.Id.ToString())), etag)).Invalid(field);

        Assert.Equal(etag, await ETagOf("domestic"));
        await using var db = Fixture.NewDbContext();
        Assert.Equal(0, await db.FeaturedListEntries.CountAsync());
    }

    [Fact]
    public async Task Entries_show_only_inside_their_visibility_window()
    {
        using var editor = await As(Role.Editor);
        var now = Clock.GetUtcNow();
        var story = await Given.Article("story").Save();
        var later = await Given.Article("later").Save();
        await Given.FeaturedList("domestic", "國內新聞精選");

        var first = await editor.Send(HttpMethod.Post, "/api/v1/featured-lists/domestic/entries",
            JsonBody(new { article = story.Id, position = 1, visibleUntil = now.AddHours(2) }), await ETagOf("domestic"));
        await first.Json(HttpStatusCode.Created);
        await (await editor.Send(HttpMethod.Post, "/api/v1/featured-lists/domestic/entries",
            JsonBody(new { article = later.Id, position = 2, visibleFrom = now.AddHours(1) }), first.ETag())).Json(HttpStatusCode.Created);

        Assert.Equal(["story"], EntrySlugs(await (await Client.GetAsync("/api/v1/featured-lists/domestic")).Json()));
        Clock.Advance(TimeSpan.FromMinutes(90));
        Assert.Equal(["story", "later"], EntrySlugs(await (await Client.GetAsync("/api/v1/featured-lists/domestic")).Json()));
        Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(["later"], EntrySlugs(await (await Client.GetAsync("/api/v1/featured-lists/domestic")).Json()));
    }

    [Fact]
    public async Task Removing_an_entry_keeps_it_in_the_history_shown_by_at()
    {
        using var editor = await As(Role.Editor);
        var start = Clock.GetUtcNow();
        var story = await Given.Article("story").PublishedAt(start.AddDays(-1)).Save();
        await Given.FeaturedList("domestic", "國內新聞精選");
        var added = await editor.Send(HttpMethod.Post, "/api/v1/featured-lists/domestic/entries", JsonBody(new { article = story.Id, position = 1 }), await ETagOf("domestic"));
        var entryId = (string)(await added.Json(HttpStatusCode.Created))["id"]!;
        Clock.Advance(TimeSpan.FromHours(1));

        await (await editor.DeleteAsync($"/api/v1/featured-lists/domestic/entries/{entryId}")).Problem(HttpStatusCode.PreconditionRequired, ProblemTypes.PreconditionRequired);
        var removed = await editor.Send(HttpMethod.Delete, $"/api/v1/featured-lists/domestic/entries/{entryId}", null, added.ETag());
        Clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.NotEqual(added.ETag(), removed.ETag());
        Assert.Empty(EntrySlugs(await (await Client.GetAsync("/api/v1/featured-lists/domestic")).Json()));
        Assert.Equal(["story"], EntrySlugs(await (await Client.GetAsync($"/api/v1/featured-lists/domestic?at={Stamp(start.AddMinutes(30))}")).Json()));
        await using var db = Fixture.NewDbContext();
        Assert.NotNull((await db.FeaturedListEntries.SingleAsync()).RemovedAt);
        await (await editor.Send(HttpMethod.Delete, $"/api/v1/featured-lists/domestic/entries/{entryId}", null, removed.ETag()))
            .Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Fact]
    public async Task Patching_an_entry_on_show_changes_it_from_now_and_keeps_the_past()
    {
        using var editor = await As(Role.Editor);
        var start = Clock.GetUtcNow();
        var a = await Given.Article("a").PublishedAt(start.AddDays(-1)).Save();
        var b = await Given.Article("b").PublishedAt(start.AddDays(-1)).Save();
        await Given.FeaturedList("domestic", "國內新聞精選");
        var first = await editor.Send(HttpMethod.Post, "/api/v1/featured-lists/domestic/entries", JsonBody(new { article = a.Id, position = 1 }), await ETagOf("domestic"));
        var entryId = (string)(await first.Json(HttpStatusCode.Created))["id"]!;
        var second = await editor.Send(HttpMethod.Post, "/api/v1/featured-lists/domestic/entries", JsonBody(new { article = b.Id, position = 2 }), first.ETag());
        await second.Json(HttpStatusCode.Created);
        Clock.Advance(TimeSpan.FromHours(1));

        var patch = () => Raw("""{"position":3}""", "application/merge-patch+json");
        await (await editor.Send(HttpMethod.Patch, $"/api/v1/featured-lists/domestic/entries/{entryId}", patch(), first.ETag()))
            .Problem(HttpStatusCode.PreconditionFailed, ProblemTypes.PreconditionFailed);
        var patched = await editor.Send(HttpMethod.Patch, $"/api/v1/featured-lists/domestic/entries/{entryId}", patch(), second.ETag());
        Clock.Advance(TimeSpan.FromMinutes(1));

        var entry = await patched.Json();
        Assert.Equal(entryId, (string?)entry["id"]);
        Assert.Equal(3, (int?)entry["position"]);
        Assert.Equal(["b", "a"], EntrySlugs(await (await Client.GetAsync("/api/v1/featured-lists/domestic")).Json()));
        Assert.Equal(["a", "b"], EntrySlugs(await (await Client.GetAsync($"/api/v1/featured-lists/domestic?at={Stamp(start.AddMinutes(30))}")).Json()));
        await (await editor.Send(HttpMethod.Patch, $"/api/v1/featured-lists/domestic/entries/{entryId}",
            Raw("""{"visibleFrom":"2026-03-03T00:00:00Z","visibleUntil":"2026-03-02T00:00:00Z"}""", "application/merge-patch+json"), patched.ETag())).Invalid("visibleUntil");
        await (await editor.Send(HttpMethod.Patch, $"/api/v1/featured-lists/domestic/entries/{entryId}",
            Raw("""{"article":"01a21c06-4d64-7965-8828-83d0b2c9493e"}""", "application/merge-patch+json"), patched.ETag())).Invalid("article");
        await (await editor.Send(HttpMethod.Patch, $"/api/v1/featured-lists/domestic/entries/{Guid.CreateVersion7()}", patch(), patched.ETag()))
            .Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Fact]
    public async Task Previewers_see_entries_of_drafts_marked_but_never_killed_ones_and_the_public_sees_neither()
    {
        using var editor = await As(Role.Editor);
        var live = await Given.Article("live").Save();
        var draft = await Given.Article("draft").WithStatus(ArticleStatus.Draft).Save();
        var embargoed = await Given.Article("embargoed").EmbargoedUntil(Clock.GetUtcNow().AddHours(1)).Save();
        await Given.FeaturedList("domestic", "國內新聞精選");
        var etag = await ETagOf("domestic");
        foreach (var (article, position) in new[] { (live, 1), (draft, 2), (embargoed, 3) })
        {
            var added = await editor.Send(HttpMethod.Post, "/api/v1/featured-lists/domestic/entries", JsonBody(new { article = article.Id, position }), etag);
            await added.Json(HttpStatusCode.Created);
            etag = added.ETag();
        }
        await using (var db = Fixture.NewDbContext())
            await db.Articles.Where(a => a.Id == draft.Id).ExecuteUpdateAsync(u => u.SetProperty(a => a.Status, ArticleStatus.Killed));
        var scheduled = await Given.Article("scheduled").WithStatus(ArticleStatus.Scheduled).Save();
        await (await editor.Send(HttpMethod.Post, "/api/v1/featured-lists/domestic/entries", JsonBody(new { article = scheduled.Id, position = 4 }), etag)).Json(HttpStatusCode.Created);
        using var previewer = await As(Role.Previewer);

        var preview = await (await previewer.GetAsync("/api/v1/featured-lists/domestic")).Json();
        Assert.Equal(["live", "embargoed", "scheduled"], EntrySlugs(preview));
        Assert.Equal(["published", "published", "scheduled"], preview["entries"]!.AsArray().Select(e => (string)e!["article"]!["status"]!));

        Assert.Equal(["live"], EntrySlugs(await (await Client.GetAsync("/api/v1/featured-lists/domestic")).Json()));
    }

    [Fact]
    public async Task Deleting_a_list_needs_if_match()
    {
        using var editor = await As(Role.Editor);
        await Given.FeaturedList("domestic", "國內新聞精選");

        await (await editor.DeleteAsync("/api/v1/featured-lists/domestic")).Problem(HttpStatusCode.PreconditionRequired, ProblemTypes.PreconditionRequired);
        await (await editor.Send(HttpMethod.Delete, "/api/v1/featured-lists/domestic", null, "\"1\"")).Problem(HttpStatusCode.PreconditionFailed, ProblemTypes.PreconditionFailed);
        Assert.Equal(HttpStatusCode.NoContent, (await editor.Send(HttpMethod.Delete, "/api/v1/featured-lists/domestic", null, await ETagOf("domestic"))).StatusCode);
        await (await Client.GetAsync("/api/v1/featured-lists/domestic")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Fact]
    public async Task Parallel_creates_of_one_slug_give_one_201_and_409s()
    {
        using var editor = await As(Role.Editor);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => editor.PostAsync("/api/v1/featured-lists", JsonBody(new { title = "精選", slug = "race" }))));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        foreach (var conflict in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
            await conflict.Problem(HttpStatusCode.Conflict, ProblemTypes.Conflict);
    }
}
