using System.Net;
using NewsApi.Api;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Features.Revisions;

/// <summary>
/// Sections, topics, featured lists, tags and authors keep their revisions as articles do: every write is one, any can
/// be read and restored (with If-Match, as their writes), and a renamed one keeps answering its old slug with a 301.
/// </summary>
public sealed class ResourceRevisionTests(ApiFixture fixture) : ApiTest(fixture)
{
    public static TheoryData<string, string, string, string> Resources() => new()
    {
        // path, what a create sends, what a rename sends, the member that names it
        { "tags", """{"name":"烏鎮","slug":"wuzhen"}""", """{"name":"烏鎮峰會","slug":"wuzhen-summit"}""", "name" },
        { "authors", """{"name":"張煜歡","slug":"zhang"}""", """{"name":"張記者","slug":"zhang-yuhuan"}""", "name" },
        { "sections", """{"name":"國內","slug":"domestic"}""", """{"name":"國內新聞","slug":"china"}""", "name" },
        { "topics", """{"title":"烏鎮峰會","slug":"wuzhen","status":"published"}""", """{"title":"世界互聯網大會","slug":"wic"}""", "title" },
        { "featured-lists", """{"title":"國內精選","slug":"picks"}""", """{"title":"今日精選","slug":"today"}""", "title" },
    };

    [Theory]
    [MemberData(nameof(Resources))]
    public async Task Every_change_is_a_revision_that_can_be_read_and_restored_with_if_match(string path, string create, string rename, string name)
    {
        using var editor = await As(Role.Editor, "night-desk");
        var created = await editor.PostAsync($"/api/v1/{path}", Raw(create));
        var first = await created.Json(HttpStatusCode.Created);
        var (oldSlug, oldName) = ((string)first["slug"]!, (string)first[name]!);
        var renamed = await editor.Send(HttpMethod.Patch, $"/api/v1/{path}/{oldSlug}", Raw(rename, "application/merge-patch+json"), created.ETag());
        var newSlug = (string)(await renamed.Json())["slug"]!;
        var url = $"/api/v1/{path}/{newSlug}";

        var list = await (await editor.GetAsync($"{url}/revisions")).Json();
        Assert.Equal(["updated", "created"], list["items"]!.AsArray().Select(r => (string)r!["action"]!));
        Assert.Equal(new[] { name, "slug" }.Order(StringComparer.Ordinal), list["items"]![0]!["fields"]!.AsArray().Select(f => (string)f!));
        Assert.All(list["items"]!.AsArray(), r => Assert.Equal("night-desk", (string?)r!["actor"]));
        var one = await (await editor.GetAsync($"{url}/revisions/1")).Json();
        Assert.Equal((oldName, oldSlug), ((string?)one["content"]![name], (string?)one["content"]!["slug"]));

        await (await editor.Send(HttpMethod.Post, $"{url}/revisions/1/restore")).Problem(HttpStatusCode.PreconditionRequired, ProblemTypes.PreconditionRequired);
        await (await editor.Send(HttpMethod.Post, $"{url}/revisions/1/restore", ifMatch: created.ETag()))
            .Problem(HttpStatusCode.PreconditionFailed, ProblemTypes.PreconditionFailed);
        var restored = await editor.Send(HttpMethod.Post, $"{url}/revisions/1/restore", ifMatch: renamed.ETag());

        var back = await restored.Json();
        Assert.Equal((oldName, oldSlug), ((string?)back[name], (string?)back["slug"]));
        Assert.NotEqual(renamed.ETag(), restored.ETag());
        var after = await (await editor.GetAsync($"/api/v1/{path}/{oldSlug}/revisions")).Json();
        Assert.Equal(["restored-1", "updated", "created"], after["items"]!.AsArray().Select(r => (string)r!["action"]!));
    }

    [Theory]
    [MemberData(nameof(Resources))]
    public async Task A_renamed_resource_answers_its_old_slug_with_a_301_until_another_takes_it(string path, string create, string rename, string name)
    {
        using var editor = await As(Role.Editor);
        var created = await editor.PostAsync($"/api/v1/{path}", Raw(create));
        var first = await created.Json(HttpStatusCode.Created);
        var oldSlug = (string)first["slug"]!;
        var newSlug = (string)(await (await editor.Send(HttpMethod.Patch, $"/api/v1/{path}/{oldSlug}",
            Raw(rename, "application/merge-patch+json"), created.ETag())).Json())["slug"]!;

        var moved = await Client.GetAsync($"/api/v1/{path}/{oldSlug}");

        Assert.Equal(HttpStatusCode.MovedPermanently, moved.StatusCode);
        Assert.Equal($"/api/v1/{path}/{newSlug}", moved.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync(moved.Headers.Location)).StatusCode);
        var taken = await (await editor.PostAsync($"/api/v1/{path}", Raw(create))).Json(HttpStatusCode.Created);
        Assert.Equal(oldSlug, (string?)taken["slug"]);
        Assert.Equal((string?)first[name], (string?)(await (await editor.GetAsync($"/api/v1/{path}/{oldSlug}")).Json())[name]);
    }

    [Fact]
    public async Task An_unpublished_topics_old_slug_is_as_unknown_to_the_public_as_the_topic()
    {
        using var editor = await As(Role.Editor);
        var created = await editor.PostAsync("/api/v1/topics", JsonBody(new { title = "籌備中", slug = "draft-topic" }));
        await created.Json(HttpStatusCode.Created);
        await (await editor.Send(HttpMethod.Patch, "/api/v1/topics/draft-topic", Raw("""{"slug":"renamed"}""", "application/merge-patch+json"), created.ETag())).Json();

        await (await Client.GetAsync("/api/v1/topics/draft-topic")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        Assert.Equal(HttpStatusCode.MovedPermanently, (await editor.GetAsync("/api/v1/topics/draft-topic")).StatusCode);
    }

    [Fact]
    public async Task A_topics_revisions_keep_its_articles_in_order_and_a_restore_puts_them_back()
    {
        using var editor = await As(Role.Editor);
        var a = await Given.Article("a").PublishedAt(Clock.GetUtcNow().AddHours(-2)).Save();
        var b = await Given.Article("b").PublishedAt(Clock.GetUtcNow().AddHours(-1)).Save();
        var created = await editor.PostAsync("/api/v1/topics", JsonBody(new { title = "峰會", slug = "summit", status = "published" }));
        await created.Json(HttpStatusCode.Created);
        var ordered = await editor.Send(HttpMethod.Put, "/api/v1/topics/summit/articles", JsonBody(new { articles = new[] { a.Id, b.Id } }), created.ETag());
        await ordered.Json();
        var reordered = await editor.Send(HttpMethod.Put, "/api/v1/topics/summit/articles", JsonBody(new { articles = new[] { b.Id } }), ordered.ETag());
        await reordered.Json();

        var list = await (await editor.GetAsync("/api/v1/topics/summit/revisions")).Json();
        Assert.Equal(["articles"], list["items"]![0]!["fields"]!.AsArray().Select(f => (string)f!));
        var second = await (await editor.GetAsync("/api/v1/topics/summit/revisions/2")).Json();
        Assert.Equal([a.Id.ToString(), b.Id.ToString()], second["content"]!["articles"]!.AsArray().Select(x => (string)x!));

        await (await editor.Send(HttpMethod.Post, "/api/v1/topics/summit/revisions/2/restore", ifMatch: reordered.ETag())).Json();
        Assert.Equal(["a", "b"], (await (await Client.GetAsync("/api/v1/topics/summit")).Json())["articles"]!.Slugs());
    }

    [Fact]
    public async Task A_featured_lists_revisions_keep_its_entries_and_a_restore_features_them_again()
    {
        using var editor = await As(Role.Editor);
        var story = await Given.Article("story").PublishedAt(Clock.GetUtcNow().AddHours(-1)).Save();
        var created = await editor.PostAsync("/api/v1/featured-lists", JsonBody(new { title = "精選", slug = "picks" }));
        await created.Json(HttpStatusCode.Created);
        var added = await editor.Send(HttpMethod.Post, "/api/v1/featured-lists/picks/entries", JsonBody(new { article = story.Id, position = 1 }), created.ETag());
        var entry = (string)(await added.Json(HttpStatusCode.Created))["id"]!;
        Clock.Advance(TimeSpan.FromMinutes(1));
        var removed = await editor.Send(HttpMethod.Delete, $"/api/v1/featured-lists/picks/entries/{entry}", ifMatch: added.ETag());
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Empty((await (await Client.GetAsync("/api/v1/featured-lists/picks")).Json())["entries"]!.AsArray());

        var list = await (await editor.GetAsync("/api/v1/featured-lists/picks/revisions")).Json();
        Assert.Equal(["updated", "updated", "created"], list["items"]!.AsArray().Select(r => (string)r!["action"]!));
        Assert.Equal(["entries"], list["items"]![0]!["fields"]!.AsArray().Select(f => (string)f!));
        Clock.Advance(TimeSpan.FromMinutes(1));
        await (await editor.Send(HttpMethod.Post, "/api/v1/featured-lists/picks/revisions/2/restore", ifMatch: removed.ETag())).Json();

        var shown = await (await Client.GetAsync("/api/v1/featured-lists/picks")).Json();
        Assert.Equal([story.Id.ToString()], shown["entries"]!.AsArray().Select(e => (string)e!["article"]!["id"]!));
        // The list's history stays true: a minute after its removal, it was not on show.
        Assert.Empty((await (await Client.GetAsync($"/api/v1/featured-lists/picks?at={Uri.EscapeDataString(Clock.GetUtcNow().AddSeconds(-30).ToString("O"))}")).Json())["entries"]!.AsArray());
    }

    [Fact]
    public async Task Unknown_revisions_are_404s_and_the_public_cannot_read_revisions()
    {
        using var editor = await As(Role.Editor);
        await (await editor.PostAsync("/api/v1/tags", JsonBody(new { name = "烏鎮", slug = "wuzhen" }))).Json(HttpStatusCode.Created);

        await (await editor.GetAsync("/api/v1/tags/wuzhen/revisions/9")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await (await editor.GetAsync("/api/v1/tags/nothing/revisions")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await (await editor.Send(HttpMethod.Post, "/api/v1/tags/wuzhen/revisions/9/restore", ifMatch: "\"1\"")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await (await Client.GetAsync("/api/v1/tags/wuzhen/revisions")).Problem(HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
        using var previewer = await As(Role.Previewer);
        await (await previewer.GetAsync("/api/v1/tags/wuzhen/revisions/1")).Json();
        await (await previewer.Send(HttpMethod.Post, "/api/v1/tags/wuzhen/revisions/1/restore", ifMatch: "\"1\"")).Problem(HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
    }
}
