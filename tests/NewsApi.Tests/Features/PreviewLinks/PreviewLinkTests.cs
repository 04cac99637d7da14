using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Features.PreviewLinks;

/// <summary>A preview link shows one article as it stands to whoever opens it, without a key, until it ends.</summary>
public sealed class PreviewLinkTests(ApiFixture fixture) : ApiTest(fixture)
{
    static async Task<string> Draft(HttpClient editor, string title = "明日早報：烏鎮峰會前瞻")
    {
        var created = await (await editor.PostAsync("/api/v1/articles", JsonBody(new { title, slug = "preview-me" }))).Json(HttpStatusCode.Created);
        return (string)created["id"]!;
    }

    static async Task<JsonNode> Link(HttpClient editor, string id, object? body = null) =>
        await (await editor.PostAsync($"/api/v1/articles/{id}/preview-links", body is null ? null : JsonBody(body))).Json(HttpStatusCode.Created);

    /// <summary>The link's path on this host: its url is absolute, and the test client speaks to the same service.</summary>
    static string PathOf(JsonNode link) => new Uri((string)link["url"]!).PathAndQuery;

    static void AssertNeverStored(HttpResponseMessage response)
    {
        Assert.Equal("private, no-store", string.Join(", ", response.Headers.NonValidated["Cache-Control"]));
        Assert.Equal("noindex", string.Join(",", response.Headers.GetValues("X-Robots-Tag")));
        Assert.Equal("no-referrer", string.Join(",", response.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public async Task Anyone_with_the_link_reads_the_draft_as_it_stands_without_a_key()
    {
        using var editor = await As(Role.Editor, "night-desk");
        var id = await Draft(editor);
        await (await Client.GetAsync($"/api/v1/articles/{id}")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);

        var link = await Link(editor, id);
        Assert.Matches("^http://[^/]+/api/v1/preview/npl_[A-Za-z0-9_-]{43}$", (string)link["url"]!);
        Assert.Equal((string)link["token"]!, ((string)link["url"]!).Split('/')[^1]);
        Assert.Equal("night-desk", (string?)link["createdBy"]);

        var opened = await Client.GetAsync(PathOf(link));
        var article = await opened.Json();
        Assert.Equal("明日早報：烏鎮峰會前瞻", (string?)article["title"]);
        Assert.Equal("draft", (string?)article["status"]);
        AssertNeverStored(opened);

        // An edit shows at once: nothing kept the first answer.
        var etag = (await editor.GetAsync($"/api/v1/articles/{id}")).Headers.ETag!.Tag;
        var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/articles/{id}") { Content = JsonBody(new { title = "明日早報：烏鎮峰會開幕" }) };
        patch.Headers.IfMatch.Add(new(etag));
        await (await editor.SendAsync(patch)).Json();
        Assert.Equal("明日早報：烏鎮峰會開幕", (string?)(await (await Client.GetAsync(PathOf(link))).Json())["title"]);
    }

    [Fact]
    public async Task The_database_holds_only_the_tokens_SHA_256_hash()
    {
        using var editor = await As(Role.Editor);
        var link = await Link(editor, await Draft(editor));
        var token = (string)link["token"]!;

        await using var db = Fixture.NewDbContext();
        var stored = await db.PreviewLinks.SingleAsync();
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))), stored.TokenHash);
        var rowsHoldingToken = await db.Database.SqlQueryRaw<int>(
            "SELECT count(*)::int AS \"Value\" FROM preview_links p WHERE row_to_json(p)::text LIKE '%' || {0} || '%'", token[4..]).SingleAsync();
        Assert.Equal(0, rowsHoldingToken);
    }

    [Fact]
    public async Task A_link_works_for_a_day_by_default_then_answers_410()
    {
        using var editor = await As(Role.Editor);
        var link = await Link(editor, await Draft(editor));
        Assert.Equal(Clock.GetUtcNow().AddHours(24), (DateTimeOffset)link["expiresAt"]!);

        Clock.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        await (await Client.GetAsync(PathOf(link))).Json();
        Clock.Advance(TimeSpan.FromSeconds(1));
        var expired = await Client.GetAsync(PathOf(link));
        await expired.Problem(HttpStatusCode.Gone, ProblemTypes.Gone);
        AssertNeverStored(expired);
    }

    [Fact]
    public async Task A_lifetime_is_an_ISO_8601_duration_of_at_most_fourteen_days()
    {
        using var editor = await As(Role.Editor);
        var id = await Draft(editor);
        var twoHours = await Link(editor, id, new { lifetime = "PT2H" });
        Assert.Equal(Clock.GetUtcNow().AddHours(2), (DateTimeOffset)twoHours["expiresAt"]!);
        var fortnight = await Link(editor, id, new { lifetime = "P14D" });
        Assert.Equal(Clock.GetUtcNow().AddDays(14), (DateTimeOffset)fortnight["expiresAt"]!);

        Clock.Advance(TimeSpan.FromHours(2));
        await (await Client.GetAsync(PathOf(twoHours))).Problem(HttpStatusCode.Gone, ProblemTypes.Gone);
        await (await Client.GetAsync(PathOf(fortnight))).Json();
    }

    [Theory]
    [InlineData("P15D")]
    [InlineData("PT0S")]
    [InlineData("-PT1H")]
    [InlineData("tomorrow")]
    [InlineData("")]
    public async Task A_lifetime_longer_than_fourteen_days_or_not_positive_is_refused(string lifetime)
    {
        using var editor = await As(Role.Editor);
        var id = await Draft(editor);
        await (await editor.PostAsync($"/api/v1/articles/{id}/preview-links", JsonBody(new { lifetime }))).Invalid("lifetime");
    }

    [Fact]
    public async Task A_revoked_link_answers_410_and_stays_listed_without_its_token()
    {
        using var editor = await As(Role.Editor);
        var id = await Draft(editor);
        var first = await Link(editor, id);
        Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await Link(editor, id);

        Assert.Equal(HttpStatusCode.NoContent, (await editor.DeleteAsync($"/api/v1/articles/{id}/preview-links/{first["id"]}")).StatusCode);
        await (await Client.GetAsync(PathOf(first))).Problem(HttpStatusCode.Gone, ProblemTypes.Gone);
        await (await Client.GetAsync(PathOf(second))).Json();

        var page = await (await editor.GetAsync($"/api/v1/articles/{id}/preview-links?limit=1")).Json();
        var newest = page["items"]!.AsArray().Single()!;
        Assert.Equal((string?)second["id"], (string?)newest["id"]);
        Assert.Null(newest["token"]);
        var rest = await (await editor.GetAsync($"/api/v1/articles/{id}/preview-links?cursor={Uri.EscapeDataString((string)page["nextCursor"]!)}")).Json();
        var revoked = rest["items"]!.AsArray().Single()!;
        Assert.Equal((string?)first["id"], (string?)revoked["id"]);
        Assert.Equal(Clock.GetUtcNow(), (DateTimeOffset)revoked["revokedAt"]!);
        Assert.Null(rest["nextCursor"]);
        Assert.DoesNotContain((string)first["token"]!, page.ToJsonString() + rest.ToJsonString());
    }

    [Fact]
    public async Task Killing_the_article_ends_its_links_and_deleting_it_makes_them_unknown()
    {
        using var editor = await As(Role.Editor);
        var killed = await Draft(editor);
        var link = await Link(editor, killed);
        await (await editor.PostAsync($"/api/v1/articles/{killed}/kill", JsonBody(new { reason = "法律原因撤稿" }))).Json();

        var gone = await (await Client.GetAsync(PathOf(link))).Problem(HttpStatusCode.Gone, ProblemTypes.Gone);
        Assert.DoesNotContain("法律原因撤稿", gone.ToJsonString());
        await (await editor.PostAsync($"/api/v1/articles/{killed}/preview-links", null)).Problem(HttpStatusCode.Conflict, ProblemTypes.Conflict);

        var created = await (await editor.PostAsync("/api/v1/articles", JsonBody(new { title = "草稿", slug = "to-delete" }))).Json(HttpStatusCode.Created);
        var deleted = (string)created["id"]!;
        var other = await Link(editor, deleted);
        var delete = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/articles/{deleted}");
        delete.Headers.IfMatch.Add(new((await editor.GetAsync($"/api/v1/articles/{deleted}")).Headers.ETag!.Tag));
        Assert.Equal(HttpStatusCode.NoContent, (await editor.SendAsync(delete)).StatusCode);
        await (await Client.GetAsync(PathOf(other))).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Fact]
    public async Task An_unknown_token_is_a_404_that_no_cache_keeps()
    {
        var response = await Client.GetAsync("/api/v1/preview/npl_not-a-token");
        await response.Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        AssertNeverStored(response);
        await (await Client.GetAsync("/api/v1/preview/" + new string('x', 500))).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Fact]
    public async Task Only_editors_make_and_list_links()
    {
        using var editor = await As(Role.Editor);
        using var previewer = await As(Role.Previewer);
        var id = await Draft(editor);
        Assert.Equal(HttpStatusCode.Forbidden, (await previewer.PostAsync($"/api/v1/articles/{id}/preview-links", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client.GetAsync($"/api/v1/articles/{id}/preview-links")).StatusCode);
        await (await editor.PostAsync($"/api/v1/articles/{Guid.NewGuid()}/preview-links", null)).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await (await editor.DeleteAsync($"/api/v1/articles/{id}/preview-links/{Guid.NewGuid()}")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }
}
