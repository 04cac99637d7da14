using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Features.Articles;

/// <summary>If-Match on workflow steps and restores: optional, but when sent it must name the article as it stands.</summary>
public sealed class WorkflowPreconditionTests(ApiFixture fixture) : ApiTest(fixture)
{
    public static TheoryData<string, string?> Steps => new()
    {
        { "publish", null },
        { "publish", """{"publishAt":"2026-03-01T10:00:00Z"}""" },
        { "unpublish", null },
        { "archive", null },
        { "kill", """{"reason":"法律原因撤稿"}""" },
        { "revisions/1/restore", null },
    };

    async Task<(HttpClient Editor, string Id, string ETag)> Article()
    {
        var editor = await As(Role.Editor);
        var created = await editor.PostAsync("/api/v1/articles", JsonBody(new { title = "烏鎮峰會", slug = "wuzhen" }));
        var id = (string)(await created.Json(HttpStatusCode.Created))["id"]!;
        // Unpublish needs a published article; the others take it from there too.
        var published = await editor.PostAsync($"/api/v1/articles/{id}/publish", null);
        await published.Json();
        return (editor, id, published.ETag());
    }

    static StringContent? Body(string? json) => json is null ? null : Raw(json);

    [Theory]
    [MemberData(nameof(Steps))]
    public async Task A_stale_etag_is_412_and_changes_nothing(string step, string? body)
    {
        var (editor, id, current) = await Article();
        using var _ = editor;
        await (await editor.Send(HttpMethod.Patch, $"/api/v1/articles/{id}", Raw("""{"title":"烏鎮峰會閉幕"}""", "application/merge-patch+json"), current)).Json();
        var before = await Snapshot(id);

        var response = await editor.Send(HttpMethod.Post, $"/api/v1/articles/{id}/{step}", Body(body), current);

        await response.Problem(HttpStatusCode.PreconditionFailed, ProblemTypes.PreconditionFailed);
        Assert.Equal(before, await Snapshot(id));
    }

    [Theory]
    [MemberData(nameof(Steps))]
    public async Task The_current_etag_a_public_one_or_none_lets_the_step_go_ahead(string step, string? body)
    {
        foreach (var ifMatch in new[] { "current", "public", "*", null })
        {
            await Fixture.ResetAsync();
            var (editor, id, current) = await Article();
            using var _ = editor;
            if (step != "unpublish")
                current = (await editor.PostAsync($"/api/v1/articles/{id}/unpublish", null)).ETag();
            var sent = ifMatch switch
            {
                "current" => current,
                "public" => step == "unpublish" ? (await Client.GetAsync($"/api/v1/articles/{id}")).ETag() : current,
                _ => ifMatch,
            };
            Clock.Advance(TimeSpan.FromMinutes(1)); // so every step, a restore of unchanged content too, moves updatedAt and the ETag

            var response = await editor.Send(HttpMethod.Post, $"/api/v1/articles/{id}/{step}", Body(body), sent);

            var answer = await response.Json();
            Assert.Equal(id, (string)answer["id"]!);
            Assert.NotEqual(current, response.ETag());
        }
    }

    [Fact]
    public async Task The_document_declares_an_optional_if_match_and_412_on_every_step()
    {
        var document = JsonNode.Parse(await (await Client.GetAsync("/swagger/v1/swagger.json")).Content.ReadAsStringAsync())!;

        foreach (var name in new[] { "publishArticle", "unpublishArticle", "archiveArticle", "killArticle", "restoreArticleRevision" })
        {
            var operation = Operation(document, name);
            var ifMatch = Assert.Single(operation["parameters"]!.AsArray(), p => (string)p!["name"]! == "If-Match")!;
            Assert.Equal("header", (string)ifMatch["in"]!);
            Assert.False((bool?)ifMatch["required"] ?? false, $"{name} must not require If-Match");
            Assert.NotNull(operation["responses"]!["412"]!["content"]!["application/problem+json"]);
        }
        foreach (var name in new[] { "replaceArticle", "patchArticle", "deleteArticle" })
        {
            var ifMatch = Assert.Single(Operation(document, name)["parameters"]!.AsArray(), p => (string)p!["name"]! == "If-Match")!;
            Assert.True((bool)ifMatch["required"]!, $"{name} requires If-Match (428 without it)");
        }
    }

    static JsonNode Operation(JsonNode document, string id) => document["paths"]!.AsObject()
        .SelectMany(p => p.Value!.AsObject().Select(o => o.Value!))
        .Single(o => (string?)o["operationId"] == id);

    async Task<string> Snapshot(string id)
    {
        await using var db = Fixture.NewDbContext();
        var article = await db.Articles.AsNoTracking().SingleAsync(a => a.Id == Guid.Parse(id));
        var revisions = await db.ArticleRevisions.CountAsync(r => r.ArticleId == article.Id);
        return $"{article.Status} {article.Title} {article.KillReason} {article.Version} {revisions}";
    }
}
