using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Data.Entities;
using NewsApi.Tests.Builders;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Features.Articles;

public sealed class WorkflowTests(ApiFixture fixture) : ApiTest(fixture)
{
    static readonly System.Text.Json.JsonSerializerOptions Web = new(System.Text.Json.JsonSerializerDefaults.Web);

    async Task<string> Draft(HttpClient editor, string slug, object? extra = null)
    {
        var body = JsonNode.Parse($$"""{"title":"烏鎮峰會 {{slug}}","slug":"{{slug}}"}""")!.AsObject();
        if (extra is not null)
            foreach (var (k, v) in System.Text.Json.JsonSerializer.SerializeToNode(extra, Web)!.AsObject().ToList())
                body[k] = v?.DeepClone();
        var created = await (await editor.PostAsync("/api/v1/articles", Raw(body.ToJsonString()))).Json(HttpStatusCode.Created);
        return (string)created["id"]!;
    }

    [Fact]
    public async Task Publishing_makes_a_draft_public()
    {
        using var editor = await As(Role.Editor);
        var id = await Draft(editor, "story");

        var published = await (await editor.PostAsync($"/api/v1/articles/{id}/publish", null)).Json();

        Assert.Equal("published", (string?)published["status"]);
        Assert.Equal(Clock.GetUtcNow(), (DateTimeOffset)published["publishedAt"]!);
        Assert.Equal(Clock.GetUtcNow(), (DateTimeOffset)published["firstPublishedAt"]!);
        await (await Client.GetAsync($"/api/v1/articles/{id}")).Json();
        Assert.Equal(["story"], (await (await Client.GetAsync("/api/v1/articles")).Json()).Slugs());
        await (await editor.PostAsync($"/api/v1/articles/{id}/publish", null)).Problem(HttpStatusCode.Conflict, ProblemTypes.Conflict);
    }

    [Fact]
    public async Task Publishing_with_a_future_time_schedules_it()
    {
        using var editor = await As(Role.Editor);
        var id = await Draft(editor, "later");
        var at = Clock.GetUtcNow().AddHours(2);

        var scheduled = await (await editor.PostAsync($"/api/v1/articles/{id}/publish", JsonBody(new { publishAt = at }))).Json();

        Assert.Equal("scheduled", (string?)scheduled["status"]);
        Assert.Equal(at, (DateTimeOffset)scheduled["publishAt"]!);
        await (await Client.GetAsync($"/api/v1/articles/{id}")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Fact]
    public async Task Unpublishing_and_archiving_hide_an_article_and_publishing_brings_it_back()
    {
        using var editor = await As(Role.Editor);
        var id = await Draft(editor, "story");
        await (await editor.PostAsync($"/api/v1/articles/{id}/publish", null)).Json();
        var firstPublished = Clock.GetUtcNow();

        Assert.Equal("unpublished", (string?)(await (await editor.PostAsync($"/api/v1/articles/{id}/unpublish", null)).Json())["status"]);
        await (await Client.GetAsync($"/api/v1/articles/{id}")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await (await editor.PostAsync($"/api/v1/articles/{id}/unpublish", null)).Problem(HttpStatusCode.Conflict, ProblemTypes.Conflict);
        Assert.Equal("archived", (string?)(await (await editor.PostAsync($"/api/v1/articles/{id}/archive", null)).Json())["status"]);
        await (await Client.GetAsync("/api/v1/articles/slug/story")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);

        Clock.Advance(TimeSpan.FromHours(1));
        var back = await (await editor.PostAsync($"/api/v1/articles/{id}/publish", null)).Json();
        Assert.Equal(firstPublished, (DateTimeOffset)back["firstPublishedAt"]!);
        Assert.Equal(Clock.GetUtcNow(), (DateTimeOffset)back["publishedAt"]!);
        await (await Client.GetAsync($"/api/v1/articles/{id}")).Json();
    }

    [Fact]
    public async Task A_killed_article_is_gone_for_everyone_and_leaves_topics_and_featured_lists()
    {
        using var editor = await As(Role.Editor);
        var id = await Draft(editor, "withdrawn");
        await (await editor.PostAsync($"/api/v1/articles/{id}/publish", null)).Json();
        var article = new Article { Id = Guid.Parse(id), Slug = "withdrawn", Title = "x" };
        await Given.Topic("summit", "烏鎮峰會", TopicStatus.Published, article);
        await Given.FeaturedList("domestic", "國內新聞精選", entries: [Given.Entry(article, 1, Clock.GetUtcNow().AddMinutes(-1))]);

        await (await editor.PostAsync($"/api/v1/articles/{id}/kill", JsonBody(new { reason = "法律原因撤稿" }))).Json();

        foreach (var client in new[] { Client, editor })
        {
            var gone = await (await client.GetAsync($"/api/v1/articles/{id}")).Problem(HttpStatusCode.Gone, ProblemTypes.Gone);
            Assert.Contains("法律原因撤稿", (string?)gone["detail"]);
            await (await client.GetAsync("/api/v1/articles/slug/withdrawn")).Problem(HttpStatusCode.Gone, ProblemTypes.Gone);
        }
        Assert.Empty((await (await Client.GetAsync("/api/v1/articles")).Json()).Slugs());
        Assert.Empty((await (await Client.GetAsync("/api/v1/topics/summit")).Json())["articles"]!.Slugs());
        Assert.Empty((await (await Client.GetAsync("/api/v1/featured-lists/domestic")).Json())["entries"]!.AsArray());
        await (await editor.PostAsync($"/api/v1/articles/{id}/publish", null)).Problem(HttpStatusCode.Conflict, ProblemTypes.Conflict);
        await (await editor.PostAsync($"/api/v1/articles/{id}/kill", JsonBody(new { reason = "again" }))).Problem(HttpStatusCode.Conflict, ProblemTypes.Conflict);
    }

    [Fact]
    public async Task Killing_needs_a_reason()
    {
        using var editor = await As(Role.Editor);
        var id = await Draft(editor, "story");

        await (await editor.PostAsync($"/api/v1/articles/{id}/kill", JsonBody(new { reason = "" }))).Invalid("reason");
        await (await editor.PostAsync($"/api/v1/articles/{id}/kill", JsonBody(new { }))).Invalid("reason");
    }

    [Fact]
    public async Task An_embargoed_article_stays_hidden_from_the_public_until_its_time()
    {
        using var editor = await As(Role.Editor);
        using var previewer = await As(Role.Previewer);
        var until = Clock.GetUtcNow().AddHours(3);
        var id = await Draft(editor, "embargoed", new { embargoUntil = until });
        await (await editor.PostAsync($"/api/v1/articles/{id}/publish", null)).Json();

        await (await Client.GetAsync($"/api/v1/articles/{id}")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        Assert.Empty((await (await Client.GetAsync("/api/v1/articles")).Json()).Slugs());
        Assert.Equal(until, (DateTimeOffset)(await (await previewer.GetAsync($"/api/v1/articles/{id}")).Json())["embargoUntil"]!);

        Clock.Advance(TimeSpan.FromHours(3));
        await (await Client.GetAsync($"/api/v1/articles/{id}")).Json();
    }

    [Fact]
    public async Task A_stale_if_match_on_a_workflow_step_is_refused()
    {
        using var editor = await As(Role.Editor);
        var id = await Draft(editor, "story");

        await (await editor.Send(HttpMethod.Post, $"/api/v1/articles/{id}/publish", null, "\"1\"")).Problem(HttpStatusCode.PreconditionFailed, ProblemTypes.PreconditionFailed);

        await using var db = Fixture.NewDbContext();
        Assert.Equal(ArticleStatus.Draft, (await db.Articles.SingleAsync()).Status);
    }

    [Fact]
    public async Task Steps_on_unknown_articles_are_404s()
    {
        using var editor = await As(Role.Editor);

        await (await editor.PostAsync($"/api/v1/articles/{Guid.CreateVersion7()}/publish", null)).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }
}
