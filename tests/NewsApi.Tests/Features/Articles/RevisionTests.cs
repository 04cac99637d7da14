using System.Net;
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
