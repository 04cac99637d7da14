using System.Net;
using Microsoft.EntityFrameworkCore;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Webhooks;

/// <summary>Every write to a tag or an author is an event receivers can subscribe to, as sections, topics and lists are.</summary>
public sealed class ResourceEventTests(ApiFixture fixture) : ApiTest(fixture)
{
    async Task<List<(string Type, string Subject, string? Change, string? PreviousSlug)>> Events()
    {
        await using var db = Fixture.NewDbContext();
        var events = await db.OutboxEvents.AsNoTracking().OrderBy(e => e.Id).ToListAsync();
        return events.Where(e => e.Type is "tag.changed" or "author.changed")
            .Select(e => (e.Type, e.Subject, (string?)e.Data["change"], (string?)e.Data["previousSlug"])).ToList();
    }

    [Theory]
    [InlineData("tags", "tag")]
    [InlineData("authors", "author")]
    public async Task Creating_renaming_and_deleting_each_emit_a_changed_event(string path, string kind)
    {
        using var editor = await As(Role.Editor);
        var created = await editor.PostAsync($"/api/v1/{path}", JsonBody(new { name = "烏鎮", slug = "wuzhen" }));
        await created.Json(HttpStatusCode.Created);
        var renamed = await editor.Send(HttpMethod.Put, $"/api/v1/{path}/wuzhen", JsonBody(new { name = "烏鎮", slug = "wu-zhen" }), created.ETag());
        await renamed.Json();
        Assert.Equal(HttpStatusCode.NoContent, (await editor.Send(HttpMethod.Delete, $"/api/v1/{path}/wu-zhen", ifMatch: renamed.ETag())).StatusCode);

        Assert.Equal(
        [
            ($"{kind}.changed", $"{kind}:wuzhen", "added", null),
            ($"{kind}.changed", $"{kind}:wu-zhen", "modified", "wuzhen"),
            ($"{kind}.changed", $"{kind}:wu-zhen", "deleted", null),
        ], await Events());
    }
}
