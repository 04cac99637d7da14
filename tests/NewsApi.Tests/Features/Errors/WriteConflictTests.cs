using System.Net;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Features.Errors;

/// <summary>Two writes that meet at the same rows: the one that loses is a 409 to send again, never a 500.</summary>
public sealed class WriteConflictTests(ApiFixture fixture) : ApiTest(fixture)
{
    // Stands in for a concurrent edit that took the next revision number first.
    const string Taken = """
        CREATE OR REPLACE FUNCTION test_revision_taken() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'revision taken meanwhile' USING ERRCODE = 'unique_violation', CONSTRAINT = 'pk_article_revisions'; END $$;
        CREATE TRIGGER test_revision_taken BEFORE INSERT ON article_revisions FOR EACH ROW EXECUTE FUNCTION test_revision_taken();
        """;

    [Fact]
    public async Task An_edit_that_loses_a_race_for_its_revision_is_a_409_and_changes_nothing()
    {
        using var editor = await As(Role.Editor);
        var created = await (await editor.PostAsync("/api/v1/articles", JsonBody(new { title = "烏鎮峰會開幕" }))).Json(HttpStatusCode.Created);
        var id = (string)created["id"]!;
        var etag = (await editor.GetAsync($"/api/v1/articles/{id}")).ETag();

        await using var db = Fixture.NewDbContext();
        await db.Database.ExecuteSqlRawAsync(Taken);
        HttpResponseMessage edit;
        try
        {
            edit = await editor.Send(HttpMethod.Put, $"/api/v1/articles/{id}", JsonBody(new { title = "烏鎮峰會閉幕" }), etag);
        }
        finally
        {
            await db.Database.ExecuteSqlRawAsync("DROP TRIGGER test_revision_taken ON article_revisions; DROP FUNCTION test_revision_taken();");
        }

        await edit.Problem(HttpStatusCode.Conflict, ProblemTypes.Conflict);
        Assert.Equal("烏鎮峰會開幕", (string?)(await (await editor.GetAsync($"/api/v1/articles/{id}")).Json())["title"]);
    }
}
