using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Import.ImportTestData;

namespace NewsApi.Tests.Import;

/// <summary>An item identical to what it imported last is answered from its stamp: one lookup for the batch, no write.</summary>
public sealed class UnchangedReimportTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task A_batch_of_unchanged_items_costs_one_lookup_by_externalId_and_writes_nothing()
    {
        using var editor = await As(Role.Editor);
        var body = Ndjson(Story("same-1"), Story("same-2", title: "第二篇"));
        await editor.Import(Body(body));

        var sql = await SqlSentBy(async () =>
        {
            var (_, results, _) = await editor.Import(Body(body));
            Assert.Equal(["unchanged", "unchanged"], results.Select(r => r.Outcome()));
        });

        // Found by the unique index alone, whatever PostgreSQL's statistics say: no arm for a null externalId. No
        // other statement reads or writes an article, a revision or a search row.
        var lookup = Assert.Single(sql, s => s.Contains("article", StringComparison.Ordinal));
        Assert.Contains("external_id = ANY", lookup, StringComparison.Ordinal);
        Assert.DoesNotContain("IS NULL", lookup, StringComparison.Ordinal);
    }
}
