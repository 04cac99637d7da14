using System.Net;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;

namespace NewsApi.Tests.Reads;

/// <summary>
/// Every public read of an article, in every representation and every answer (200, 301, 404, 410, 400 for a filter
/// naming nothing), sends one SQL statement to the read model, counted by Npgsql's own tracing.
/// </summary>
public sealed class OneStatementTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Every_public_read_of_an_article_is_one_statement()
    {
        var section = await Given.Section("domestic", "國內");
        var tag = await Given.Tag("internet", "互聯網");
        var story = await Given.Article("wuzhen").Titled("烏鎮峰會開幕").In(section).Tagged(tag).WithOldSlug("wuzhen-old").Save();
        var killed = await Given.Article("withdrawn").WithStatus(ArticleStatus.Killed).Save();
        await Given.Topic("summit", "烏鎮峰會", TopicStatus.Published, story);
        // A host started after the data, its scheduled-change lookup made by a first request, counts a read's own SQL
        // (see SqlTraceTests); without its own cache, every request reaches the database.
        await using var host = new ApiFactory(Fixture.ConnectionString, Clock,
            settings: new() { ["Scheduler:Enabled"] = "false", ["Caching:ServerCache"] = "false" });
        host.StartServer();
        using var client = host.CreateHttpClient();
        await client.GetAsync("/api/v1/sections");

        var reads = new (string Url, string? Accept, HttpStatusCode Status)[]
        {
            ($"/api/v1/articles/{story.Id}", null, HttpStatusCode.OK),
            ($"/api/v1/articles/{story.Id}", "application/ninjs+json", HttpStatusCode.OK),
            ($"/api/v1/articles/{story.Id}", "application/ld+json", HttpStatusCode.OK),
            ("/api/v1/articles/slug/wuzhen", null, HttpStatusCode.OK),
            ("/api/v1/articles/slug/wuzhen-old", null, HttpStatusCode.MovedPermanently),
            ($"/api/v1/articles/{killed.Id}", null, HttpStatusCode.Gone),
            ("/api/v1/articles/slug/nothing", null, HttpStatusCode.NotFound),
            ("/api/v1/articles", null, HttpStatusCode.OK),
            ("/api/v1/articles?fields=title,body,bodyHtml&include=section,tags", null, HttpStatusCode.OK),
            ("/api/v1/articles?section=domestic&tag=internet&topic=summit&sort=publishedAt", null, HttpStatusCode.OK),
            ("/api/v1/articles?section=nothing", null, HttpStatusCode.BadRequest),
            ("/api/v1/topics/summit", null, HttpStatusCode.OK),
            ("/api/v1/topics/summit?fields=title,body", null, HttpStatusCode.OK),
        };
        var sent = new List<string>();
        foreach (var (url, accept, status) in reads)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (accept is not null)
                request.Headers.Accept.ParseAdd(accept);
            HttpResponseMessage? response = null;
            var sql = await SqlSentBy(async () => response = await client.SendAsync(request));
            Assert.Equal(status, response!.StatusCode);
            if (sql.Count != 1 || !sql[0].Contains("article_reads", StringComparison.Ordinal))
                sent.Add($"{url} ({accept ?? "json"}): {sql.Count} statement(s): {string.Join(" | ", sql)}");
        }

        Assert.True(sent.Count == 0, string.Join("\n", sent));
    }
}
