using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NewsApi.Features.Search;
using NewsApi.Search;
using NewsApi.Tests.Infrastructure;

namespace NewsApi.Tests.Features.Search;

/// <summary>The search query is an index lookup, not a scan, on a table large enough that a scan would not be chosen by preference.</summary>
public sealed class SearchIndexTests(ApiFixture fixture) : ApiTest(fixture)
{
    const int Articles = 30_000;

    // Two characters: one pair, answered by the index alone; three: a phrase of two pairs, the index narrows and
    // the vectors recheck; then two terms.
    static readonly string[] Queries = ["丁丂", "丁丂七", "丁丂七 丄丅"];

    [Fact]
    public async Task Every_search_is_served_by_the_search_index()
    {
        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        await Load(connection);

        foreach (var q in Queries)
            await AssertIndexed(connection, q);

        // Run, not just planned: a pair in every article walks the newest rows and never collects them all; a rare
        // one is collected through the GIN index.
        var common = await Plan(connection, "常見", analyze: true);
        Assert.Matches(@"Index Scan using ix_article_search_documents_public on article_search_documents \w+ \(actual rows=100 ", common);
        Assert.DoesNotMatch(@"(Seq Scan|Bitmap Heap Scan) on article_search_documents \w+ \(actual", common);
        var rare = await Plan(connection, "丁丂", analyze: true);
        Assert.Matches(@"Bitmap Index Scan on ix_article_search_documents_document \(actual", rare);
    }

    [Fact]
    public async Task A_rare_search_looks_at_recent_months_first_and_at_every_month_only_when_they_hold_too_few()
    {
        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        await Load(connection);

        // One article in 100: 145 since the first of the month five months back, enough for the window of 100, so
        // the older matches are never visited, and the answer is still the newest 100.
        var inRecentMonths = await Plan(connection, "\u7530\u7918", analyze: true); // chr(30000) chr(31000): n % 100 == 0
        AssertCollected(["actual rows=145"], inRecentMonths);
        var newest = await Newest(connection, "\u7530\u7918", 100);
        Assert.Equal(100, newest.Count);
        Assert.Equal(newest, await Found(connection, "\u7530\u7918", 100));

        // The months count back from the newest story, not from the clock: an archive a year old is served the same.
        Clock.Advance(TimeSpan.FromDays(365));
        AssertCollected(["actual rows=145"], await Plan(connection, "\u7530\u7918", analyze: true));

        // One in 1,000: 30 in all, 14 of them recent; every month is collected.
        var everyMonth = await Plan(connection, "\u7594\u797c", analyze: true); // chr(30100) chr(31100): n % 1000 == 0
        AssertCollected(["actual rows=14", "actual rows=30"], everyMonth);
        Assert.Equal(await Newest(connection, "\u7594\u797c", 100), await Found(connection, "\u7594\u797c", 100));
    }

    [Fact]
    public async Task A_search_within_a_time_range_collects_once_inside_it()
    {
        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        await Load(connection);

        // Before 200 days ago, older than any of the recent months: the one collect is of every month, planned for
        // the words searched (the recent stage's words are known only as it runs, so the planner guessed there, and
        // at 1M articles ANDed the index with a 31 ms scan of the time range).
        var to = Clock.GetUtcNow().AddDays(-200);
        var plan = await Plan(connection, "\u7530\u7918", analyze: true, to: to);
        AssertCollected(["actual rows=108"], plan); // one in 100 of the 10,800 quarter-hours before to
        Assert.Matches(@"Bitmap Index Scan on ix_article_search_documents_document \(actual", plan);
        Assert.Equal(await Newest(connection, "\u7530\u7918", 100, to), await Found(connection, "\u7530\u7918", 100, to));
    }

    [Fact]
    public async Task A_plain_search_is_planned_once_and_leaves_its_connection_as_it_found_it()
    {
        await using (var loader = new NpgsqlConnection(Fixture.ConnectionString))
        {
            await loader.OpenAsync();
            await Load(loader);
        }
        Assert.True(SearchQuery.TryParse("\u7530\u7918", out var query, out _));
        await using var db = Fixture.NewDbContext();
        await db.Database.OpenConnectionAsync();
        for (var i = 0; i < 3; i++)
        {
            await new SearchSql(query!, Clock.GetUtcNow(), 100).Run(db, null, 21, CancellationToken.None);
            var filtered = new SearchSql(query!, Clock.GetUtcNow(), 100);
            filtered.Between(Clock.GetUtcNow().AddDays(-30), null);
            await filtered.Run(db, null, 21, CancellationToken.None);
        }

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var plans = new NpgsqlCommand("""
            SELECT statement LIKE '%recent_months%', generic_plans, custom_plans FROM pg_prepared_statements
            WHERE statement LIKE 'WITH probe%' ORDER BY 1
            """, connection);
        var counts = new List<(bool, long, long)>();
        await using (var reader = await plans.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                counts.Add((reader.GetBoolean(0), reader.GetInt64(1), reader.GetInt64(2)));
        // The plain search kept its generic plan; with a filter, each run was planned for its values.
        Assert.Equal([(false, 0L, 3L), (true, 3L, 0L)], counts);
        await using var setting = new NpgsqlCommand("SHOW plan_cache_mode", connection);
        Assert.Equal("auto", await setting.ExecuteScalarAsync());
    }

    /// <summary>The search rows each executed GIN collect visited, in plan order.</summary>
    static List<string> Collected(string plan) =>
        Regex.Matches(plan, @"Bitmap Heap Scan on article_search_documents \w+ \((actual rows=\d+)").Select(m => m.Groups[1].Value).ToList();

    static void AssertCollected(string[] expected, string plan) =>
        Assert.True(expected.SequenceEqual(Collected(plan)), $"expected collects [{string.Join(", ", expected)}], found [{string.Join(", ", Collected(plan))}] in\n{plan}");

    async Task<List<Guid>> Found(NpgsqlConnection connection, string q, int limit, DateTimeOffset? to = null)
    {
        await using var command = Search(connection, q, limit, to: to);
        return await Ids(command);
    }

    /// <summary>The service's search statement for q, as it would run with a window of 100, behind an optional EXPLAIN.</summary>
    NpgsqlCommand Search(NpgsqlConnection connection, string q, int limit, string prefix = "", DateTimeOffset? to = null)
    {
        Assert.True(SearchQuery.TryParse(q, out var query, out var error), error);
        var sql = new SearchSql(query!, Clock.GetUtcNow(), 100);
        sql.Between(null, to);
        var command = new NpgsqlCommand(prefix + sql.Text(withCursor: false), connection);
        command.Parameters.AddRange(sql.Parameters(null, limit).ToArray());
        return command;
    }

    static async Task<List<Guid>> Newest(NpgsqlConnection connection, string q, int count, DateTimeOffset? to = null)
    {
        Assert.True(SearchQuery.TryParse(q, out var query, out var error), error);
        await using var command = new NpgsqlCommand(
            "SELECT article_id FROM article_search_documents WHERE document @@ $1::tsquery AND published_at < $3 ORDER BY published_at DESC LIMIT $2",
            connection);
        command.Parameters.AddWithValue(query!.TsQuery);
        command.Parameters.AddWithValue(count);
        command.Parameters.AddWithValue(to ?? DateTimeOffset.MaxValue);
        return await Ids(command);
    }

    static async Task<List<Guid>> Ids(NpgsqlCommand command)
    {
        var ids = new List<Guid>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                ids.Add(reader.GetGuid(0));
        return ids.Order().ToList();
    }

    // Article n is published n quarter-hours before the clock (ten months back). Rows carry about as many lexemes
    // as a real title and summary, so the table has a realistic width.
    async Task Load(NpgsqlConnection connection)
    {
        await Execute(connection, $"""
            INSERT INTO articles (id, slug, title, body, language, status, published_at, created_at, updated_at, notices, char_count)
            SELECT gen_random_uuid(), 'bulk-' || i, '標題' || i, '[]', 'zh-Hant', 'Published',
                   '{Clock.GetUtcNow():O}'::timestamptz - i * interval '15 minutes', now(), now(), '[]', 0
            FROM generate_series(1, {Articles}) i;
            INSERT INTO article_search_documents (article_id, document, head, published_at)
            SELECT id, v, v, published_at FROM (
                SELECT id, published_at, array_to_tsvector(ARRAY[
                    chr(19968 + n % 300) || chr(19968 + 300 + (n / 300) % 100),
                    chr(19968 + 400 + n % 97) || chr(19968 + 500 + n % 89),
                    chr(30000 + n % 100) || chr(31000 + n % 100), chr(30100 + n % 1000) || chr(31100 + n % 1000),
                    '常见', '新闻'] || ARRAY(SELECT chr(20480 + (n * 7 + k * 13) % 3000) || chr(24576 + k) FROM generate_series(1, 60) k)) AS v
                FROM (SELECT id, published_at, substr(slug, 6)::int AS n FROM articles) numbered) docs;
            """);
        // The tables as autovacuum leaves them sooner or later, now, so that it has nothing left to change under a
        // plan: statistics, the visibility map, and the GIN index's pending list merged into the index. The insert
        // leaves some 370 pages pending, which a manual ANALYZE keeps and autovacuum merges when it gets round to it;
        // the planner prices the index by them, so a plan depended on autovacuum's timing (a collect once went missing).
        await Execute(connection, "VACUUM (ANALYZE) articles, article_search_documents");
    }

    async Task<string> Plan(NpgsqlConnection connection, string q, bool analyze = false, DateTimeOffset? to = null)
    {
        await using var explain = Search(connection, q, 21, analyze ? "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " : "EXPLAIN ", to);
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                plan.Add(reader.GetString(0));
        return string.Join("\n", plan);
    }

    async Task AssertIndexed(NpgsqlConnection connection, string q)
    {
        var text = await Plan(connection, q);

        Assert.True(text.Contains("Bitmap Index Scan on ix_article_search_documents_document"), q + "\n" + text);
        Assert.False(text.Contains("Seq Scan"), q + "\n" + text);
    }

    static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 120 };
        await command.ExecuteNonQueryAsync();
    }
}
