using Microsoft.EntityFrameworkCore;
using Npgsql;
using NewsApi.Content;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;

namespace NewsApi.Tests.Content;

/// <summary>
/// The one rule of who may see an article, as EF runs it, as C# runs it, as search's SQL runs it (on the indexed rows,
/// and on each hit's article) and as the read model's SQL runs it, agree.
/// </summary>
public sealed class ArticleVisibilityTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task The_query_the_compiled_rule_the_search_rows_and_the_read_rows_agree_on_articles_in_every_state()
    {
        var now = Clock.GetUtcNow();
        var states = await ArticlesInEveryState(now);

        // At the instant itself, and either side of the embargoes and the schedule.
        foreach (var at in new[] { now, now.AddMinutes(-1), now.AddHours(-3), now.AddHours(3), now.AddDays(2) })
        {
            var byQuery = Names(states, await PublicByQuery(at));
            Assert.Equal(byQuery, Names(states, await PublicBySearchRows(at)));
            Assert.Equal(byQuery, Names(states, await PublicBySearchHits(at)));
            Assert.Equal(byQuery, Names(states, await PublicByReadRows(at)));
            Assert.Equal(byQuery, Names(states, await PublicInMemory(at)));
        }

        Assert.Equal(["embargo-ends-now", "embargo-over", "published", "republished", "unpublish-due"],
            Names(states, await PublicByQuery(now)));
        Assert.Equal(["embargo-ahead", "embargo-ends-now", "embargo-over", "embargoed-later", "published", "republished", "unpublish-due"],
            Names(states, await PublicByQuery(now.AddDays(2))));
    }

    [Fact]
    public async Task A_preview_may_read_every_status_and_lists_every_article_but_killed_ones()
    {
        var now = Clock.GetUtcNow();
        var states = await ArticlesInEveryState(now);
        await using var db = Fixture.NewDbContext();
        var articles = await db.Articles.AsNoTracking().ToListAsync();

        Assert.All(articles, a => Assert.True(ArticleVisibility.MaySee(a, now, preview: true)));
        Assert.Equal(articles.Where(a => a.IsPublicAt(now)).Select(a => a.Id).Order(),
            articles.Where(a => ArticleVisibility.MaySee(a, now, preview: false)).Select(a => a.Id).Order());
        var listed = await db.Articles.Where(ArticleVisibility.InPreviewLists).Select(a => a.Id).ToListAsync();
        Assert.Equal(states.Where(s => !s.Key.StartsWith("killed", StringComparison.Ordinal)).Select(s => s.Value).Order(), listed.Order());
    }

    [Fact]
    public async Task The_instant_reaches_sql_as_a_parameter_so_one_plan_serves_every_instant()
    {
        await using var db = Fixture.NewDbContext();
        var sql = db.Articles.VisibleAt(Clock.GetUtcNow()).Select(a => a.Id).ToQueryString();
        Assert.Contains("WHERE a.status = 'Published' AND (a.embargo_until IS NULL OR a.embargo_until <= @now)", sql);
    }

    /// <summary>One article in each state the workflow can leave it in, by name, some reached by a later update.</summary>
    async Task<Dictionary<string, Guid>> ArticlesInEveryState(DateTimeOffset now)
    {
        var built = new Dictionary<string, Article>
        {
            ["draft"] = Given.Article().WithStatus(ArticleStatus.Draft).Build(),
            ["scheduled"] = Given.Article().WithStatus(ArticleStatus.Scheduled).Build(),
            ["scheduled-due"] = Given.Article().WithStatus(ArticleStatus.Scheduled).Build(),
            ["published"] = Given.Article().Build(),
            ["embargo-ahead"] = Given.Article().EmbargoedUntil(now.AddHours(2)).Build(),
            ["embargo-over"] = Given.Article().EmbargoedUntil(now.AddHours(-2)).Build(),
            ["embargo-ends-now"] = Given.Article().EmbargoedUntil(now).Build(),
            ["unpublish-due"] = Given.Article().Build(),
            ["unpublished"] = Given.Article().WithStatus(ArticleStatus.Unpublished).Build(),
            ["archived"] = Given.Article().WithStatus(ArticleStatus.Archived).Build(),
            ["killed"] = Given.Article().WithStatus(ArticleStatus.Killed).Build(),
            ["killed-embargo-over"] = Given.Article().EmbargoedUntil(now.AddHours(-2)).WithStatus(ArticleStatus.Killed).Build(),
            ["killed-later"] = Given.Article().Build(),
            ["unpublished-later"] = Given.Article().Build(),
            ["republished"] = Given.Article().WithStatus(ArticleStatus.Unpublished).Build(),
            ["embargoed-later"] = Given.Article().Build(),
        };
        built["scheduled-due"].PublishAt = now.AddHours(-1);
        built["unpublish-due"].UnpublishAt = now.AddHours(-1);

        await using (var db = Fixture.NewDbContext())
        {
            db.Articles.AddRange(built.Values);
            await db.SaveChangesAsync();
        }

        // Changes after the search row exists: the indexer must carry them across.
        await SearchIndexed();
        await using (var db = Fixture.NewDbContext())
        {
            var later = await db.Articles.ToDictionaryAsync(a => a.Id);
            later[built["killed-later"].Id].Status = ArticleStatus.Killed;
            later[built["unpublished-later"].Id].Status = ArticleStatus.Unpublished;
            later[built["republished"].Id].Status = ArticleStatus.Published;
            later[built["embargoed-later"].Id].EmbargoUntil = now.AddDays(1);
            await db.SaveChangesAsync();
        }

        await SearchIndexed();
        return built.ToDictionary(b => b.Key, b => b.Value.Id);
    }

    static List<string> Names(Dictionary<string, Guid> states, List<Guid> ids) =>
        states.Where(s => ids.Contains(s.Value)).Select(s => s.Key).Order(StringComparer.Ordinal).ToList();

    async Task<List<Guid>> PublicByQuery(DateTimeOffset at)
    {
        await using var db = Fixture.NewDbContext();
        return (await db.Articles.VisibleAt(at).Select(a => a.Id).ToListAsync()).Order().ToList();
    }

    async Task<List<Guid>> PublicInMemory(DateTimeOffset at)
    {
        await using var db = Fixture.NewDbContext();
        return (await db.Articles.AsNoTracking().ToListAsync()).Where(a => a.IsPublicAt(at)).Select(a => a.Id).Order().ToList();
    }

    Task<List<Guid>> PublicBySearchRows(DateTimeOffset at) =>
        Ids($"SELECT d.article_id FROM article_search_documents d WHERE {ArticleVisibility.PublicSearchRow}", at);

    Task<List<Guid>> PublicBySearchHits(DateTimeOffset at) =>
        Ids($"SELECT a.id FROM articles a WHERE {ArticleVisibility.PublicArticleRow("a")}", at);

    Task<List<Guid>> PublicByReadRows(DateTimeOffset at) =>
        Ids($"SELECT r.id FROM article_reads r WHERE {ArticleVisibility.PublicReadRow("@now")}", at);

    async Task<List<Guid>> Ids(string sql, DateTimeOffset at)
    {
        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("now", at);
        var ids = new List<Guid>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                ids.Add(reader.GetGuid(0));
        return ids.Order().ToList();
    }
}
