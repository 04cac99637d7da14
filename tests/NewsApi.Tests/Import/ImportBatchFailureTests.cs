using Microsoft.EntityFrameworkCore;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Import.ImportTestData;

namespace NewsApi.Tests.Import;

/// <summary>A batch that cannot be saved however often it is tried costs its own items, never the rest of the import.</summary>
public sealed class ImportBatchFailureTests(ApiFixture fixture) : ApiTest(fixture)
{
    // Stands in for whatever keeps refusing one story (another writer, a constraint): every attempt meets a unique violation.
    const string Refuse = """
        CREATE OR REPLACE FUNCTION test_refuse_story() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'taken meanwhile' USING ERRCODE = 'unique_violation', CONSTRAINT = 'ix_articles_slug'; END $$;
        CREATE TRIGGER test_refuse_story BEFORE INSERT ON articles FOR EACH ROW WHEN (NEW.title = '總是失敗的稿') EXECUTE FUNCTION test_refuse_story();
        """;

    [Fact]
    public async Task Its_items_are_reported_failed_and_the_batches_after_it_go_ahead()
    {
        await using var host = new ApiFactory(Fixture.ConnectionString, Fixture.Clock, settings: new() { ["Import:BatchSize"] = "2" });
        host.StartServer();
        using var editor = host.CreateHttpClient();
        editor.DefaultRequestHeaders.Authorization = new("Bearer", await Given.Key(Role.Editor));
        var body = Body(Ndjson(Story("w-1", "烏鎮峰會開幕"), Story("w-2", "烏鎮峰會閉幕"), Story("w-3", "總是失敗的稿"), Story("w-4", "數字經濟論壇"), Story("w-5", "互聯網之光博覽會")));

        var (_, results, summary) = await WhileRefusing(() => editor.Import(body));

        Assert.Equal(["created", "created", "failed", "failed", "created"], results.Select(r => r.Outcome()));
        Assert.Equal(["w-3", "w-4"], results.Where(r => r.Outcome() == "failed").Select(r => (string?)r["externalId"]));
        Assert.Contains("Send the item again", (string?)results[2]["errors"]!["batch"]![0]);
        Assert.Equal(2, (int?)summary!["failed"]);
        Assert.Equal(3, (int?)summary["created"]);
        Assert.Null(summary["stopped"]);
        await using var db = Fixture.NewDbContext();
        Assert.Equal(["w-1", "w-2", "w-5"], await db.Articles.OrderBy(a => a.ExternalId).Select(a => a.ExternalId).ToListAsync());
    }

    async Task<T> WhileRefusing<T>(Func<Task<T>> run)
    {
        await using var db = Fixture.NewDbContext();
        await db.Database.ExecuteSqlRawAsync(Refuse);
        try
        {
            return await run();
        }
        finally
        {
            await db.Database.ExecuteSqlRawAsync("DROP TRIGGER test_refuse_story ON articles; DROP FUNCTION test_refuse_story();");
        }
    }
}
