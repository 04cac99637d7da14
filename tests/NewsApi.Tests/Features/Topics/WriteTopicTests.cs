using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Features.Topics;

public sealed class WriteTopicTests(ApiFixture fixture) : ApiTest(fixture)
{
    static List<string> ArticleSlugs(JsonNode topic) => topic["articles"]!.Slugs();

    [Fact]
    public async Task Creating_gives_a_draft_with_a_pinyin_slug_hidden_from_the_public()
    {
        using var editor = await As(Role.Editor);

        var response = await editor.PostAsync("/api/v1/topics", JsonBody(new
        {
            title = "烏鎮峰會", description = "2023年世界互聯網大會", coverImage = new { url = "https://example.com/wuzhen.jpg", alt = "烏鎮" },
        }));

        var topic = await response.Json(HttpStatusCode.Created);
        Assert.Equal("wu-zhen-feng-hui", (string?)topic["slug"]);
        Assert.Equal("draft", (string?)topic["status"]);
        Assert.Equal("/api/v1/topics/wu-zhen-feng-hui", response.Headers.Location?.OriginalString);
        await (await Client.GetAsync("/api/v1/topics/wu-zhen-feng-hui")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        Assert.Equal(response.ETag().Version(), (await editor.GetAsync("/api/v1/topics/wu-zhen-feng-hui")).ETag().Version());
    }

    [Theory]
    [InlineData("""{"title":""}""", "title")]
    [InlineData("""{"title":"<em>峰會</em>"}""", "title")]
    [InlineData("""{"title":"峰會","status":"live"}""", "status")]
    [InlineData("""{"title":"峰會","status":7}""", "status")]
    [InlineData("""{"title":"峰會","coverImage":{"url":"javascript:alert(1)"}}""", "coverImage.url")]
    [InlineData("""{"title":"峰會","slug":"Feng Hui"}""", "slug")]
    [InlineData("""{"title":"峰會","id":"01a21c06-4d64-7965-8828-83d0b2c9493e"}""", "id")]
    [InlineData("""{"title":"峰會","version":1}""", "version")]
    [InlineData("""{"title":"峰會","updatedAt":"2020-01-01T00:00:00Z"}""", "updatedAt")]
    [InlineData("""{"title":"峰會","articles":[]}""", "articles")]
    public async Task Invalid_or_mass_assigning_creates_are_refused_and_create_nothing(string json, string field)
    {
        using var editor = await As(Role.Editor);

        await (await editor.PostAsync("/api/v1/topics", Raw(json))).Invalid(field);

        await using var db = Fixture.NewDbContext();
        Assert.Equal(0, await db.Topics.CountAsync());
    }

    [Fact]
    public async Task Writes_need_an_editor_key()
    {
        await Given.Topic("summit", "烏鎮峰會");
        using var previewer = await As(Role.Previewer);

        await (await Client.PostAsync("/api/v1/topics", JsonBody(new { title = "峰會" }))).Problem(HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
        await (await Client.Send(HttpMethod.Put, "/api/v1/topics/summit/articles", JsonBody(new { articles = Array.Empty<Guid>() }), "\"1\""))
            .Problem(HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
        await (await previewer.PostAsync("/api/v1/topics", JsonBody(new { title = "峰會" }))).Problem(HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
    }

    [Fact]
    public async Task Publishing_by_patch_needs_if_match_and_makes_the_topic_public()
    {
        using var editor = await As(Role.Editor);
        await Given.Topic("summit", "烏鎮峰會", TopicStatus.Draft);
        var etag = (await editor.GetAsync("/api/v1/topics/summit")).ETag();
        var patch = () => Raw("""{"status":"published","description":"十年"}""", "application/merge-patch+json");

        await (await editor.Send(HttpMethod.Patch, "/api/v1/topics/summit", patch())).Problem(HttpStatusCode.PreconditionRequired, ProblemTypes.PreconditionRequired);
        await (await editor.Send(HttpMethod.Patch, "/api/v1/topics/summit", patch(), "\"1\"")).Problem(HttpStatusCode.PreconditionFailed, ProblemTypes.PreconditionFailed);
        var published = await editor.Send(HttpMethod.Patch, "/api/v1/topics/summit", patch(), etag);

        Assert.Equal("published", (string?)(await published.Json())["status"]);
        var read = await (await Client.GetAsync("/api/v1/topics/summit")).Json();
        Assert.Equal("十年", (string?)read["description"]);
        Assert.Equal("烏鎮峰會", (string?)read["title"]);
    }

    [Fact]
    public async Task Replacing_clears_what_is_left_out_but_keeps_slug_and_status()
    {
        using var editor = await As(Role.Editor);
        var a = await Given.Article("a").Save();
        await Given.Topic("summit", "烏鎮峰會", TopicStatus.Published, a);
        var etag = (await editor.GetAsync("/api/v1/topics/summit")).ETag();
        await (await editor.Send(HttpMethod.Patch, "/api/v1/topics/summit", Raw("""{"description":"十年"}""", "application/merge-patch+json"), etag)).Json();
        etag = (await editor.GetAsync("/api/v1/topics/summit")).ETag();

        var replaced = await (await editor.Send(HttpMethod.Put, "/api/v1/topics/summit", JsonBody(new { title = "新標題" }), etag)).Json();

        Assert.Equal("新標題", (string?)replaced["title"]);
        Assert.Null(replaced["description"]);
        Assert.Equal("published", (string?)replaced["status"]);
        Assert.Equal("summit", (string?)replaced["slug"]);
        Assert.Equal(["a"], ArticleSlugs(replaced));
    }

    [Fact]
    public async Task Putting_the_articles_sets_membership_and_order_and_changes_the_etag()
    {
        using var editor = await As(Role.Editor);
        var a = await Given.Article("a").Save();
        var b = await Given.Article("b").Save();
        var c = await Given.Article("c").Save();
        await Given.Topic("summit", "烏鎮峰會", TopicStatus.Published, a, b);
        var etag = (await Client.GetAsync("/api/v1/topics/summit")).ETag();

        var response = await editor.Send(HttpMethod.Put, "/api/v1/topics/summit/articles", JsonBody(new { articles = new[] { c.Id, a.Id } }), etag);

        Assert.Equal(["c", "a"], ArticleSlugs(await response.Json()));
        Assert.NotEqual(etag, response.ETag());
        Assert.Equal(["c", "a"], ArticleSlugs(await (await Client.GetAsync("/api/v1/topics/summit")).Json()));
        Assert.Equal(response.ETag().Version(), (await Client.GetAsync("/api/v1/topics/summit")).ETag().Version());
        await (await editor.Send(HttpMethod.Put, "/api/v1/topics/summit/articles", JsonBody(new { articles = new[] { b.Id } }), etag))
            .Problem(HttpStatusCode.PreconditionFailed, ProblemTypes.PreconditionFailed);
        await (await editor.Send(HttpMethod.Put, "/api/v1/topics/summit/articles", JsonBody(new { articles = new[] { b.Id } })))
            .Problem(HttpStatusCode.PreconditionRequired, ProblemTypes.PreconditionRequired);
    }

    [Fact]
    public async Task Unknown_killed_repeated_or_too_many_articles_are_refused()
    {
        using var editor = await As(Role.Editor);
        var a = await Given.Article("a").Save();
        var killed = await Given.Article("killed").WithStatus(ArticleStatus.Killed).Save();
        await Given.Topic("summit", "烏鎮峰會");
        var etag = (await Client.GetAsync("/api/v1/topics/summit")).ETag();

        foreach (var ids in new[] { new[] { a.Id, Guid.CreateVersion7() }, [killed.Id], [a.Id, a.Id], Enumerable.Range(0, 501).Select(_ => Guid.CreateVersion7()).ToArray() })
            await (await editor.Send(HttpMethod.Put, "/api/v1/topics/summit/articles", JsonBody(new { articles = ids }), etag)).Invalid("articles");
        await (await editor.Send(HttpMethod.Put, "/api/v1/topics/summit/articles", Raw("""{"articles":["not-a-guid"]}"""), etag)).Invalid("articles[0]");
        await (await editor.Send(HttpMethod.Post, "/api/v1/topics/summit/articles", JsonBody(new { article = killed.Id }), etag)).Invalid("article");
        await (await editor.Send(HttpMethod.Post, "/api/v1/topics/summit/articles", JsonBody(new { article = a.Id, position = 0 }), etag)).Invalid("position");

        Assert.Equal(etag, (await Client.GetAsync("/api/v1/topics/summit")).ETag());
    }

    [Fact]
    public async Task Adding_one_article_inserts_it_at_its_position_and_removing_takes_it_off()
    {
        using var editor = await As(Role.Editor);
        var a = await Given.Article("a").Save();
        var b = await Given.Article("b").Save();
        var c = await Given.Article("c").Save();
        var d = await Given.Article("d").Save();
        await Given.Topic("summit", "烏鎮峰會", TopicStatus.Published, a, b);
        var etag = (await Client.GetAsync("/api/v1/topics/summit")).ETag();

        var second = await editor.Send(HttpMethod.Post, "/api/v1/topics/summit/articles", JsonBody(new { article = c.Id, position = 2 }), etag);
        Assert.Equal(["a", "c", "b"], ArticleSlugs(await second.Json()));
        var last = await editor.Send(HttpMethod.Post, "/api/v1/topics/summit/articles", JsonBody(new { article = d.Id }), second.ETag());
        Assert.Equal(["a", "c", "b", "d"], ArticleSlugs(await last.Json()));
        await (await editor.Send(HttpMethod.Post, "/api/v1/topics/summit/articles", JsonBody(new { article = a.Id }), last.ETag()))
            .Problem(HttpStatusCode.Conflict, ProblemTypes.Conflict);

        await (await editor.Send(HttpMethod.Delete, $"/api/v1/topics/summit/articles/{c.Id}", null, second.ETag()))
            .Problem(HttpStatusCode.PreconditionFailed, ProblemTypes.PreconditionFailed);
        var removed = await editor.Send(HttpMethod.Delete, $"/api/v1/topics/summit/articles/{c.Id}", null, last.ETag());
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.NotEqual(last.ETag(), removed.ETag());
        Assert.Equal(["a", "b", "d"], ArticleSlugs(await (await Client.GetAsync("/api/v1/topics/summit")).Json()));
        await (await editor.Send(HttpMethod.Delete, $"/api/v1/topics/summit/articles/{c.Id}", null, removed.ETag()))
            .Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await (await Client.GetAsync($"/api/v1/articles/{c.Id}")).Json();
    }

    [Fact]
    public async Task Two_editors_adding_against_the_same_etag_one_wins()
    {
        using var editor = await As(Role.Editor);
        var a = await Given.Article("a").Save();
        var b = await Given.Article("b").Save();
        await Given.Topic("summit", "烏鎮峰會");
        var etag = (await Client.GetAsync("/api/v1/topics/summit")).ETag();

        var results = await Task.WhenAll(
            editor.Send(HttpMethod.Post, "/api/v1/topics/summit/articles", JsonBody(new { article = a.Id }), etag),
            editor.Send(HttpMethod.Post, "/api/v1/topics/summit/articles", JsonBody(new { article = b.Id }), etag));

        Assert.Single(results, r => r.StatusCode == HttpStatusCode.OK);
        await results.Single(r => r.StatusCode != HttpStatusCode.OK).Problem(HttpStatusCode.PreconditionFailed, ProblemTypes.PreconditionFailed);
        Assert.Single(ArticleSlugs(await (await Client.GetAsync("/api/v1/topics/summit")).Json()));
    }

    [Fact]
    public async Task Previewers_see_draft_topics_and_non_public_articles_marked_but_never_killed_ones()
    {
        var now = Clock.GetUtcNow();
        var live = await Given.Article("live").Save();
        var draft = await Given.Article("draft").WithStatus(ArticleStatus.Draft).Save();
        var scheduled = await Given.Article("scheduled").WithStatus(ArticleStatus.Scheduled).Save();
        var embargoed = await Given.Article("embargoed").EmbargoedUntil(now.AddHours(1)).Save();
        var killed = await Given.Article("killed").WithStatus(ArticleStatus.Killed).Save();
        await Given.Topic("summit", "烏鎮峰會", TopicStatus.Published, live, draft, scheduled, embargoed, killed);
        await Given.Topic("upcoming", "草稿專題", TopicStatus.Draft, live);
        using var previewer = await As(Role.Previewer);

        var preview = await (await previewer.GetAsync("/api/v1/topics/summit")).Json();
        Assert.Equal(["live", "draft", "scheduled", "embargoed"], ArticleSlugs(preview));
        Assert.Equal(["published", "draft", "scheduled", "published"], preview["articles"]!["items"]!.AsArray().Select(a => (string)a!["status"]!));
        Assert.Equal("draft", (string?)(await (await previewer.GetAsync("/api/v1/topics/upcoming")).Json())["status"]);

        Assert.Equal(["live"], ArticleSlugs(await (await Client.GetAsync("/api/v1/topics/summit")).Json()));
        await (await Client.GetAsync("/api/v1/topics/upcoming")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Fact]
    public async Task Deleting_a_topic_needs_if_match_and_leaves_its_articles()
    {
        using var editor = await As(Role.Editor);
        var a = await Given.Article("a").Save();
        await Given.Topic("summit", "烏鎮峰會", TopicStatus.Published, a);

        await (await editor.DeleteAsync("/api/v1/topics/summit")).Problem(HttpStatusCode.PreconditionRequired, ProblemTypes.PreconditionRequired);
        await (await editor.Send(HttpMethod.Delete, "/api/v1/topics/summit", null, "\"1\"")).Problem(HttpStatusCode.PreconditionFailed, ProblemTypes.PreconditionFailed);
        Assert.Equal(HttpStatusCode.NoContent, (await editor.Send(HttpMethod.Delete, "/api/v1/topics/summit", null, (await Client.GetAsync("/api/v1/topics/summit")).ETag())).StatusCode);

        await (await Client.GetAsync("/api/v1/topics/summit")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await (await Client.GetAsync($"/api/v1/articles/{a.Id}")).Json();
    }

    [Fact]
    public async Task Parallel_creates_of_one_slug_give_one_201_and_409s()
    {
        using var editor = await As(Role.Editor);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => editor.PostAsync("/api/v1/topics", JsonBody(new { title = "峰會", slug = "race" }))));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        foreach (var conflict in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
            await conflict.Problem(HttpStatusCode.Conflict, ProblemTypes.Conflict);
    }
}
