using System.Net;
using Microsoft.EntityFrameworkCore;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Import.ImportTestData;

namespace NewsApi.Tests.Import;

/// <summary>Imports that change the same stories at the same time: each answers every line, none a 500.</summary>
public sealed class ConcurrentImportTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Imports_editing_the_same_stories_at_once_each_answer_every_line_and_number_revisions_without_gaps()
    {
        using var admin = await As(Role.Admin);
        var ids = Enumerable.Range(1, 5).Select(i => $"race-{i}").ToArray();
        await admin.Import(Body(Ndjson(ids.Select(id => Story(id)).ToArray())));

        // Eight requests, each a different edit of the same five stories, sent together; then again.
        for (var round = 0; round < 3; round++)
        {
            var imports = Enumerable.Range(0, 8).Select(n => Task.Run(async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/import/articles")
                {
                    Content = Body(Ndjson(ids.Select(id => Story(id, title: $"烏鎮峰會 第{round}輪 第{n}版")).ToArray())),
                };
                var response = await admin.SendAsync(request);
                return (response.StatusCode, Text: await response.Content.ReadAsStringAsync());
            }));
            foreach (var (status, text) in await Task.WhenAll(imports))
            {
                Assert.True(status == HttpStatusCode.OK, $"{(int)status}: {text}");
                Assert.DoesNotContain("\"failed\"", text.Replace("\"failed\":0", ""), StringComparison.Ordinal);
            }
        }

        await using var db = Fixture.NewDbContext();
        var numbers = await db.ArticleRevisions.GroupBy(r => r.ArticleId).Select(g => new { Count = g.Count(), Last = g.Max(r => r.Number) }).ToListAsync();
        Assert.Equal(5, numbers.Count);
        Assert.All(numbers, n => Assert.Equal(n.Count, n.Last));
    }
}
