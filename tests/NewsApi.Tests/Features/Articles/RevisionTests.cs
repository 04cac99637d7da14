using System.Net;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Features.Articles;

public sealed class RevisionTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Every_change_is_a_revision_that_can_be_read_and_restored()
    {
        using var editor = await As(Role.Editor, "night-desk");
        var created = await editor.PostAsync("/api/v1/articles", Raw("""{"title":"初稿標題","summary":"初稿摘要"}"""));
        var id = (string)(await created.Json(HttpStatusCode.Created))["id"]!;
        var url = $"/api/v1/articles/{id}";
        var edited = await editor.Send(HttpMethod.Put, url, Raw("""{"title":"改後標題"}"""), created.ETag());
        await edited.Json();
        await (await editor.PostAsync($"{url}/publish", null)).Json();

        var list = await (await editor.GetAsync($"{url}/revisions")).Json();
        Assert.Equal(["published", "updated", "created"], list["items"]!.AsArray().Select(r => (string)r!["action"]!));
        Assert.Equal(["summary", "title"], list["items"]![1]!["fields"]!.AsArray().Select(f => (string)f!).Order());
        Assert.All(list["items"]!.AsArray(), r => Assert.Equal("night-desk", (string?)r!["actor"]));

        var first = await (await editor.GetAsync($"{url}/revisions/1")).Json();
        Assert.Equal("初稿標題", (string?)first["content"]!["title"]);

        var restored = await (await editor.PostAsync($"{url}/revisions/1/restore", null)).Json();
        Assert.Equal("初稿標題", (string?)restored["title"]);
        Assert.Equal("初稿摘要", (string?)restored["summary"]);
        Assert.Equal("published", (string?)restored["status"]);
        var after = await (await editor.GetAsync($"{url}/revisions")).Json();
        Assert.Equal("restored-1", (string?)after["items"]![0]!["action"]);
        Assert.Equal(4, after["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task Each_revision_reads_and_restores_the_body_it_recorded_though_a_body_is_stored_once()
    {
        using var editor = await As(Role.Editor);
        static string Story(string title, string text) => $$"""{"title":"{{title}}","body":[{"type":"paragraph","text":"{{text}}"}]}""";
        var created = await editor.PostAsync("/api/v1/articles", Raw(Story("標題", "初稿正文")));
        var id = (string)(await created.Json(HttpStatusCode.Created))["id"]!;
        var url = $"/api/v1/articles/{id}";
        var edited = await editor.Send(HttpMethod.Put, url, Raw(Story("標題", "改後正文")), created.ETag());
        await edited.Json();
        var retitled = await editor.Send(HttpMethod.Put, url, Raw(Story("新標題", "改後正文")), edited.ETag());
        await retitled.Json();
        var restored = await editor.Send(HttpMethod.Post, $"{url}/revisions/1/restore", ifMatch: retitled.ETag());
        Assert.Equal("初稿正文", (string?)(await restored.Json())["body"]![0]!["text"]);

        async Task<List<string>> Bodies() => await Task.WhenAll(Enumerable.Range(1, 4).Select(async n =>
            (string)(await (await editor.GetAsync($"{url}/revisions/{n}")).Json())["content"]!["body"]![0]!["text"]!)).ContinueWith(t => t.Result.ToList());
        Assert.Equal(["初稿正文", "改後正文", "改後正文", "初稿正文"], await Bodies());
        // Only the revisions whose body is the article's current one leave it to the article; the others keep their own.
        await using (var db = Fixture.NewDbContext())
        {
            var revisions = await db.ArticleRevisions.AsNoTracking().Where(r => r.ArticleId == Guid.Parse(id)).OrderBy(r => r.Number).ToListAsync();
            Assert.Equal([false, false, false, true], revisions.Select(r => r.Snapshot.Body is null));
            // Nor do they keep the members left empty (subtitle, byline and most others): they read back as null.
            Assert.Equal(0, await db.Database.SqlQuery<int>(
                $"SELECT count(*)::int AS \"Value\" FROM article_revisions r, jsonb_each(r.snapshot) m WHERE m.value = 'null'::jsonb").SingleAsync());
        }

        // A deleted article's body goes with it, not out of its history.
        Assert.Equal(HttpStatusCode.NoContent, (await editor.Send(HttpMethod.Delete, url, ifMatch: restored.ETag())).StatusCode);
        Assert.Equal(["初稿正文", "改後正文", "改後正文", "初稿正文"], await Bodies());
        Assert.Equal("初稿正文", (string?)(await (await editor.GetAsync($"{url}/revisions/5")).Json())["content"]!["body"]![0]!["text"]);
    }

    [Fact]
    public async Task Saving_identical_content_stores_no_revision()
    {
        using var editor = await As(Role.Editor);
        var created = await editor.PostAsync("/api/v1/articles", Raw("""{"title":"標題"}"""));
        var id = (string)(await created.Json(HttpStatusCode.Created))["id"]!;

        var again = await editor.Send(HttpMethod.Put, $"/api/v1/articles/{id}", Raw("""{"title":"標題"}"""), created.ETag());

        await again.Json();
        Assert.Equal(created.ETag(), again.ETag());
        Assert.Single((await (await editor.GetAsync($"/api/v1/articles/{id}/revisions")).Json())["items"]!.AsArray());
    }

    [Fact]
    public async Task Unknown_revisions_are_404s_and_the_public_cannot_read_revisions()
    {
        using var editor = await As(Role.Editor);
        var created = await editor.PostAsync("/api/v1/articles", Raw("""{"title":"標題"}"""));
        var id = (string)(await created.Json(HttpStatusCode.Created))["id"]!;

        await (await editor.GetAsync($"/api/v1/articles/{id}/revisions/9")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await (await editor.PostAsync($"/api/v1/articles/{id}/revisions/9/restore", null)).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await (await Client.GetAsync($"/api/v1/articles/{id}/revisions")).Problem(HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
    }
}
