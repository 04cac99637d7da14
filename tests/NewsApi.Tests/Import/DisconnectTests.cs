using System.Net;
using Microsoft.EntityFrameworkCore;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Import.ImportTestData;

namespace NewsApi.Tests.Import;

public sealed class DisconnectTests(ApiFixture fixture) : ApiTest(fixture)
{
    const int Lines = 700;
    const int SentBeforeFailure = 620;

    static string Line(int n) => Ndjson(Story($"dc-{n:D4}", title: $"斷線測試 {n}", tags: ["wuzhen", "summit", "ai"]));

    /// <summary>Writes some lines over the socket, then fails mid-body: the client is gone.</summary>
    sealed class BrokenBody : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var n = 1; n <= SentBeforeFailure; n++)
            {
                await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(Line(n)));
                if (n % 50 == 0)
                {
                    await stream.FlushAsync();
                    await Task.Delay(20);
                }
            }
            await Task.Delay(500); // let the service write what it has read
            throw new IOException("The client went away.");
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    [Fact]
    public async Task A_client_that_disconnects_leaves_every_item_whole_or_absent_and_a_rerun_finishes_the_job()
    {
        using var editor = await As(Role.Editor);
        foreach (var slug in new[] { "wuzhen", "summit", "ai" })
            await Given.Tag(slug);

        await Assert.ThrowsAnyAsync<Exception>(() =>
            editor.PostAsync("/api/v1/import/articles", new BrokenBody { Headers = { ContentType = new("application/x-ndjson") } }));
        await Task.Delay(1000); // the service notices and rolls back the batch it was reading

        await using (var db = Fixture.NewDbContext())
        {
            var articles = await db.Articles.Include(a => a.Tags).ToListAsync();
            Assert.InRange(articles.Count, 1, SentBeforeFailure - 1);
            Assert.Equal(0, articles.Count % 250); // whole batches only
            Assert.All(articles, a => Assert.Equal(3, a.Tags.Count));
            var revisions = await db.ArticleRevisions.GroupBy(r => r.ArticleId).Select(g => g.Count()).ToListAsync();
            Assert.Equal(articles.Count, revisions.Count);
            Assert.All(revisions, count => Assert.Equal(1, count));
        }

        var all = string.Concat(Enumerable.Range(1, Lines).Select(Line));
        var (_, results, summary) = await editor.Import(Body(all));

        var imported = results.Count(r => r.Outcome() == "unchanged");
        Assert.True(imported > 0);
        Assert.Equal(results.Take(imported).Select(_ => "unchanged"), results.Take(imported).Select(r => r.Outcome()));
        Assert.Equal(Lines - imported, (int)summary!["created"]!);
        await using var after = Fixture.NewDbContext();
        Assert.Equal(Lines, await after.Articles.CountAsync());
        Assert.Equal(Lines, await after.ArticleRevisions.CountAsync());
    }
}
