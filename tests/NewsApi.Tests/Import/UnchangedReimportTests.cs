using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NewsApi.Data.Entities;
using NewsApi.Import;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Import.ImportTestData;

namespace NewsApi.Tests.Import;

/// <summary>An item identical to what it imported last is answered from its stamp: one lookup for the batch, no write.</summary>
public sealed class UnchangedReimportTests(ApiFixture fixture) : ApiTest(fixture)
{
    static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

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

    [Fact]
    public async Task An_article_stamped_before_the_stamps_wrote_Chinese_as_characters_is_still_recognised()
    {
        using var editor = await As(Role.Editor);
        var line = Ndjson(Story("stamped-before", text: "烏鎮峰會正式落下帷幕，閉幕式在烏鎮舉行。"));
        await editor.Import(Body(line));
        // The stamp as imports stored it before: the item's JSON with the default encoder (Chinese as \uXXXX).
        var api = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Api.JsonSetup.Configure(api);
        var item = JsonSerializer.Deserialize<ImportItem>(line, api)! with { Version = null };
        var hash = SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(item, Web));
        await using (var db = Fixture.NewDbContext())
        {
            var article = await db.Articles.SingleAsync(a => a.ExternalId == "stamped-before");
            var old = Convert.ToHexStringLower(SHA256.HashData([.. hash, .. BitConverter.GetBytes(article.UpdatedAt.ToUnixTimeMilliseconds())]));
            Assert.NotEqual(old, article.ImportHash);
            await db.Articles.Where(a => a.Id == article.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.ImportHash, old));
        }

        var sql = await SqlSentBy(async () =>
        {
            var (_, results, _) = await editor.Import(Body(line));
            Assert.Equal("unchanged", results.Single().Outcome());
        });

        // Recognised by its stamp: not locked, loaded and compared member by member.
        Assert.Single(sql, s => s.Contains("FROM articles", StringComparison.Ordinal));
    }
}
