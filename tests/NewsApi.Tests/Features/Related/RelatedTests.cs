using System.Net;
using System.Text.Json.Nodes;
using NewsApi.Api;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Features.Related;

/// <summary>An article's related stories: the editors' choice first, in their order, then suggestions; public ones only.</summary>
public sealed class RelatedTests(ApiFixture fixture) : ApiTest(fixture)
{
    static async Task<JsonNode> Patch(HttpClient editor, Guid id, object body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var etag = (await editor.GetAsync($"/api/v1/articles/{id}")).Headers.ETag!.Tag;
        var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/articles/{id}") { Content = JsonBody(body) };
        patch.Headers.IfMatch.Add(new(etag));
        var response = await editor.SendAsync(patch);
        return expected == HttpStatusCode.OK ? await response.Json() : await response.Invalid("related");
    }

    async Task<Article> Story(string slug, DateTimeOffset publishedAt, string title = "烏鎮峰會落幕", string? summary = null, params Tag[] tags)
    {
        var article = Given.Article(slug).Titled(title).PublishedAt(publishedAt).Tagged(tags).Build();
        // Another story altogether: its own summary and no dateline (the builder's names 烏鎮 too).
        if (summary is not null)
            (article.Summary, article.Dateline) = (summary, null);
        await Given.Save(article);
        return article;
    }

    [Fact]
    public async Task The_editors_choice_comes_first_in_their_order_then_suggestions_closest_and_freshest_first()
    {
        var now = Clock.GetUtcNow();
        var wuzhen = await Given.Tag("wuzhen", "烏鎮");
        var source = await Story("source", now.AddHours(-1), "烏鎮峰會開幕", tags: wuzhen);
        var chosenBySlug = await Story("chosen-a", now.AddDays(-9));
        var chosenById = await Story("chosen-b", now.AddDays(-8));
        var killed = await Given.Article("killed").WithStatus(ArticleStatus.Killed).Save();
        var draft = await Given.Article("draft").WithStatus(ArticleStatus.Draft).Save();
        var embargoed = await Given.Article("embargoed").EmbargoedUntil(now.AddHours(2)).Save();
        var olderTagged = await Story("tagged-older", now.AddHours(-3), tags: wuzhen);
        var newerTagged = await Story("tagged-newer", now.AddHours(-2), tags: wuzhen);
        var inTopic = await Story("in-topic", now.AddDays(-5));
        await Story("unlike", now.AddMinutes(-5), "颱風登陸花蓮", "中央氣象署發布海上陸上颱風警報。");
        await Given.Topic("wuzhen-summit", "烏鎮峰會", TopicStatus.Published, source, inTopic);
        using var editor = await As(Role.Editor);

        var written = await Patch(editor, source.Id, new { related = new[] { "chosen-a", chosenById.Id.ToString(), killed.Id.ToString(), "draft", "embargoed" } });
        Assert.Equal([chosenBySlug.Id, chosenById.Id, killed.Id, draft.Id, embargoed.Id], written["related"]!.AsArray().Select(i => (Guid)i!).ToList());
        var revisions = await (await editor.GetAsync($"/api/v1/articles/{source.Id}/revisions")).Json();
        Assert.Contains("related", revisions["items"]![0]!["fields"]!.AsArray().Select(f => (string?)f));

        var related = await (await Client.GetAsync($"/api/v1/articles/{source.Id}/related")).Json();
        Assert.Equal(["chosen-a", "chosen-b", "in-topic", "tagged-newer", "tagged-older"], related.Slugs());
        Assert.Null(related["nextCursor"]);
        Assert.Equal(["chosen-a", "chosen-b", "in-topic"], (await (await Client.GetAsync($"/api/v1/articles/{source.Id}/related?limit=3")).Json()).Slugs());
        Assert.Equal(["chosen-a"], (await (await Client.GetAsync($"/api/v1/articles/{source.Id}/related?limit=1")).Json()).Slugs());
        // The public document does not name the editors' choice (it may name drafts).
        Assert.Null((await (await Client.GetAsync($"/api/v1/articles/{source.Id}")).Json())["related"]);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("51")]
    [InlineData("ten")]
    public async Task The_limit_is_from_1_to_50(string limit)
    {
        var source = await Given.Article("source").Save();
        await (await Client.GetAsync($"/api/v1/articles/{source.Id}/related?limit={limit}")).Invalid("limit");
        await (await Client.GetAsync($"/api/v1/articles/{source.Id}/related?limit=50")).Json();
    }

    [Fact]
    public async Task Related_names_existing_articles_at_most_twenty_each_once_never_the_article_itself()
    {
        var source = await Given.Article("source").Save();
        var other = await Given.Article("other").Save();
        using var editor = await As(Role.Editor);
        await Patch(editor, source.Id, new { related = new[] { "source" } }, HttpStatusCode.BadRequest);
        await Patch(editor, source.Id, new { related = new[] { source.Id.ToString() } }, HttpStatusCode.BadRequest);
        await Patch(editor, source.Id, new { related = new[] { "no-such-story" } }, HttpStatusCode.BadRequest);
        await Patch(editor, source.Id, new { related = new[] { "other", other.Id.ToString().ToUpperInvariant(), "other" } }, HttpStatusCode.BadRequest);
        await Patch(editor, source.Id, new { related = Enumerable.Repeat("other", 21).Select((s, i) => $"{s}-{i}").ToArray() }, HttpStatusCode.BadRequest);
        // null removes the member, as merge patch says.
        await Patch(editor, source.Id, new { related = new[] { "other" } });
        Assert.Null((await Patch(editor, source.Id, new { related = (string[]?)null }))["related"]);
    }

    [Fact]
    public async Task A_change_to_a_related_story_reaches_the_cached_answer()
    {
        var source = await Given.Article("source").Titled("烏鎮峰會開幕").Save();
        await Given.Article("chosen").Titled("互聯網之光博覽會").Save();
        using var editor = await As(Role.Editor);
        await Patch(editor, source.Id, new { related = new[] { "chosen" } });
        Assert.Equal("互聯網之光博覽會", (string?)(await (await Client.GetAsync($"/api/v1/articles/{source.Id}/related?limit=1")).Json())["items"]![0]!["title"]);

        var chosen = (await (await editor.GetAsync("/api/v1/articles/slug/chosen")).Json())["id"]!.GetValue<Guid>();
        await Patch(editor, chosen, new { title = "互聯網之光博覽會開幕" });
        Assert.Equal("互聯網之光博覽會開幕", (string?)(await (await Client.GetAsync($"/api/v1/articles/{source.Id}/related?limit=1")).Json())["items"]![0]!["title"]);

        await (await editor.PostAsync($"/api/v1/articles/{chosen}/unpublish", null)).Json();
        Assert.DoesNotContain("chosen", (await (await Client.GetAsync($"/api/v1/articles/{source.Id}/related")).Json()).Slugs());
    }

    [Fact]
    public async Task Only_a_public_article_has_related_stories()
    {
        var draft = await Given.Article("draft").WithStatus(ArticleStatus.Draft).Save();
        var killed = await Given.Article("killed").WithStatus(ArticleStatus.Killed).Save();
        await (await Client.GetAsync($"/api/v1/articles/{draft.Id}/related")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await (await Client.GetAsync($"/api/v1/articles/{killed.Id}/related")).Problem(HttpStatusCode.Gone, ProblemTypes.Gone);
        await (await Client.GetAsync($"/api/v1/articles/{Guid.NewGuid()}/related")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }
}
