using System.Net;
using NewsApi.Api;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Features.Revisions;

/// <summary>
/// A deleted resource's history outlives it: its revisions, its deletion last, stay readable at the address it had
/// (the slug of a section, topic, featured list, tag or author; an article's id), and its audit entries by that path.
/// It is not restored there: it is created again.
/// </summary>
public sealed class DeletedHistoryTests(ApiFixture fixture) : ApiTest(fixture)
{
    public static TheoryData<string, string, string> Resources() => new()
    {
        // path, what a create sends, the member that names it
        { "tags", """{"name":"烏鎮","slug":"wuzhen"}""", "name" },
        { "authors", """{"name":"張煜歡","slug":"wuzhen"}""", "name" },
        { "sections", """{"name":"國內","slug":"wuzhen"}""", "name" },
        { "topics", """{"title":"烏鎮峰會","slug":"wuzhen","status":"published"}""", "title" },
        { "featured-lists", """{"title":"國內精選","slug":"wuzhen"}""", "title" },
    };

    [Theory]
    [MemberData(nameof(Resources))]
    public async Task A_deleted_resources_revisions_and_audit_entries_stay_readable_at_its_slug(string path, string create, string name)
    {
        using var editor = await As(Role.Editor, "day-desk");
        using var night = await As(Role.Editor, "night-desk");
        using var admin = await As(Role.Admin);
        var url = $"/api/v1/{path}/wuzhen";
        var created = await editor.PostAsync($"/api/v1/{path}", Raw(create));
        var first = await created.Json(HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.NoContent, (await night.Send(HttpMethod.Delete, url, ifMatch: created.ETag())).StatusCode);
        await (await editor.GetAsync(url)).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);

        var list = await (await editor.GetAsync($"{url}/revisions")).Json();
        Assert.Equal([("deleted", "night-desk"), ("created", "day-desk")],
            list["items"]!.AsArray().Select(r => ((string)r!["action"]!, (string)r["actor"]!)));
        var last = await (await editor.GetAsync($"{url}/revisions/2")).Json();
        Assert.Equal(((string?)first[name], "wuzhen"), ((string?)last["content"]![name], (string?)last["content"]!["slug"]));
        Assert.Equal("wuzhen", (string?)(await (await editor.GetAsync($"{url}/revisions/1")).Json())["content"]!["slug"]);

        var restore = await (await editor.Send(HttpMethod.Post, $"{url}/revisions/1/restore", ifMatch: created.ETag()))
            .Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        Assert.Contains("was deleted", (string?)restore["detail"]);
        await (await editor.GetAsync($"/api/v1/{path}/never/revisions")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);

        // The audit log names the deletion by the resource's path (its creation, by the collection's path it was posted to).
        for (var i = 0; ; i++)
        {
            var log = (await (await admin.GetAsync($"/api/v1/audit?target={url}")).Json())["items"]!.AsArray()
                .Where(e => ((string)e!["action"]!).StartsWith("delete", StringComparison.Ordinal)).ToList();
            if (log.Count > 0)
            {
                Assert.Equal(("night-desk", "succeeded", url), ((string?)log[0]!["actor"], (string?)log[0]!["outcome"], (string?)log[0]!["target"]));
                break;
            }
            Assert.True(i < 50, "the deletion's audit entry never came");
            await Task.Delay(100);
        }
    }

    [Theory]
    [MemberData(nameof(Resources))]
    public async Task A_resource_that_takes_a_deleted_ones_slug_answers_with_its_own_history(string path, string create, string name)
    {
        _ = name;
        using var editor = await As(Role.Editor);
        var created = await editor.PostAsync($"/api/v1/{path}", Raw(create));
        await created.Json(HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.NoContent, (await editor.Send(HttpMethod.Delete, $"/api/v1/{path}/wuzhen", ifMatch: created.ETag())).StatusCode);
        await (await editor.PostAsync($"/api/v1/{path}", Raw(create))).Json(HttpStatusCode.Created);

        var list = await (await editor.GetAsync($"/api/v1/{path}/wuzhen/revisions")).Json();
        Assert.Equal(["created"], list["items"]!.AsArray().Select(r => (string)r!["action"]!));
    }

    [Fact]
    public async Task A_deleted_articles_revisions_stay_readable_by_its_id()
    {
        using var editor = await As(Role.Editor, "night-desk");
        var created = await editor.PostAsync("/api/v1/articles", Raw("""{"title":"草稿","slug":"draft"}"""));
        var id = (string)(await created.Json(HttpStatusCode.Created))["id"]!;
        Assert.Equal(HttpStatusCode.NoContent, (await editor.Send(HttpMethod.Delete, $"/api/v1/articles/{id}", ifMatch: created.ETag())).StatusCode);

        var list = await (await editor.GetAsync($"/api/v1/articles/{id}/revisions")).Json();
        Assert.Equal(["deleted", "created"], list["items"]!.AsArray().Select(r => (string)r!["action"]!));
        Assert.Equal("草稿", (string?)(await (await editor.GetAsync($"/api/v1/articles/{id}/revisions/2")).Json())["content"]!["title"]);
        var restore = await (await editor.PostAsync($"/api/v1/articles/{id}/revisions/1/restore", null)).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        Assert.Contains("was deleted", (string?)restore["detail"]);
        await (await editor.GetAsync($"/api/v1/articles/{Guid.CreateVersion7()}/revisions")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }
}
