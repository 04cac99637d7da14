using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NewsApi.Content;
using NewsApi.Data.Entities;
using NewsApi.Search;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Search;

/// <summary>
/// Search is near-real-time: a change reaches the index a moment after it commits, through the search queue and the
/// indexer, while what the public may see is never late. The test host runs no indexer of its own (tests index when
/// they mean to, with <see cref="ApiFixture.SearchIndexed"/>), so here the index lags for as long as a test wants.
/// </summary>
public sealed class SearchIndexerTests(ApiFixture fixture) : ApiTest(fixture)
{
    const string Word = "琉璃燈會";

    async Task<Article> Published(string slug, string title = Word + "開幕")
    {
        var article = await Given.Article(slug).Titled(title).WithBody(Block.Paragraph("元宵節前夕，古城南門開幕。"))
            .PublishedAt(Clock.GetUtcNow().AddHours(-1)).Save();
        return article;
    }

    async Task<List<string>> Found(string q = Word, HttpClient? client = null) =>
        (await (await (client ?? Client).GetAsync("/api/v1/search?q=" + Uri.EscapeDataString(q))).Json()).Slugs();

    [Fact]
    public async Task A_change_becomes_searchable_once_the_indexer_has_run()
    {
        // An instance that runs the indexer, as every instance does by default.
        await using var indexing = Fixture.Factory.WithWebHostBuilder(b => b.UseSetting("Search:IndexerEnabled", "true"));
        using var client = indexing.CreateClient();
        using var editor = await As(Role.Editor);
        var created = await (await editor.PostAsync("/api/v1/articles", JsonBody(new { title = Word + "開幕" }))).Json(HttpStatusCode.Created);
        await (await editor.PostAsync($"/api/v1/articles/{(string)created["id"]!}/publish", null)).Json();

        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!(await Found(client: client)).Contains((string)created["slug"]!))
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(5), "The indexer did not index the published article within 5 s.");
            await Task.Delay(50);
        }
        Assert.Equal(0L, await Queued());
    }

    [Fact]
    public async Task The_indexer_starts_on_a_change_when_it_commits_not_at_its_next_poll()
    {
        // Polling every 10 s: a change found within 3 s was announced by the queue's notification. The second change
        // follows the first one's indexing at once, so a poll alone would leave it for the best part of 10 s.
        await using var indexing = Fixture.Factory.WithWebHostBuilder(b => b.UseSetting("Search:IndexerEnabled", "true").UseSetting("Search:IndexInterval", "00:00:10"));
        using var client = indexing.CreateClient();
        using var editor = await As(Role.Editor);
        for (var i = 1; i <= 2; i++)
        {
            var created = await (await editor.PostAsync("/api/v1/articles", JsonBody(new { title = Word + "開幕" + i }))).Json(HttpStatusCode.Created);
            await (await editor.PostAsync($"/api/v1/articles/{(string)created["id"]!}/publish", null)).Json();
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (!(await Found(client: client)).Contains((string)created["slug"]!))
            {
                Assert.True(waited.Elapsed < TimeSpan.FromSeconds(3), $"Change {i} was not indexed within 3 s of its commit.");
                await Task.Delay(50);
            }
        }
    }

    [Theory]
    [InlineData("unpublished")]
    [InlineData("killed")]
    [InlineData("embargoed")]
    [InlineData("rescheduled")]
    public async Task An_article_taken_down_is_never_found_while_its_index_row_still_says_public(string transition)
    {
        var story = await Published("lantern");
        await SearchIndexed();
        Assert.Equal(["lantern"], await Found());

        await TakeDown(story.Id, transition);

        Assert.True(await IndexSaysPublic(story.Id), "the index should still hold the story as public: the test needs the lag");
        Assert.True(await Queued() > 0);
        Assert.Empty(await Found());
        Assert.Empty(await Found(Word + " 南門")); // the phrase test's path, too

        await SearchIndexed();
        Assert.False(await IndexSaysPublic(story.Id));
        Assert.Empty(await Found());
    }

    [Fact]
    public async Task Ready_reports_how_many_changes_wait_for_the_index_and_the_oldest_ones_age()
    {
        await Published("lantern");
        await Published("festival", "古城燈會");

        var ready = await (await Client.GetAsync("/health/ready")).Json();
        Assert.Equal("healthy", (string?)ready["status"]);
        Assert.Equal(2L, (long)ready["details"]!["search-index"]!["queued"]!);
        Assert.True((double)ready["details"]!["search-index"]!["oldestQueuedSeconds"]! >= 0);

        await SearchIndexed();
        ready = await (await Client.GetAsync("/health/ready")).Json();
        Assert.Equal(0L, (long)ready["details"]!["search-index"]!["queued"]!);
        Assert.Equal(0d, (double)ready["details"]!["search-index"]!["oldestQueuedSeconds"]!);
    }

    [Fact]
    public async Task A_batch_that_dies_before_its_commit_is_indexed_by_the_next_one()
    {
        var story = await Published("lantern");
        var indexer = Fixture.Factory.Services.GetRequiredService<SearchIndexer>();

        // The index's table locked, the batch claims the change and waits to write it; then its connection dies, as
        // when the process is killed (kill -9): PostgreSQL rolls back what it had done, the claim included.
        await using var holder = new NpgsqlConnection(Fixture.ConnectionString);
        await holder.OpenAsync();
        await using (var transaction = await holder.BeginTransactionAsync())
        {
            await Execute(holder, "LOCK TABLE article_search_documents IN EXCLUSIVE MODE");
            var batch = indexer.IndexBatch(CancellationToken.None);
            var pid = await WaitingOnTheIndex(holder);
            Assert.Equal(0L, await Scalar(holder, "SELECT count(*) FROM (SELECT 1 FROM search_queue FOR UPDATE SKIP LOCKED) free"));
            await Execute(holder, $"SELECT pg_terminate_backend({pid})");
            await Assert.ThrowsAnyAsync<Exception>(() => batch);
            await transaction.RollbackAsync();
        }

        Assert.Equal(1L, await Queued());
        Assert.Empty(await Found());
        await SearchIndexed();
        Assert.Equal(["lantern"], await Found());
        Assert.True(await IndexSaysPublic(story.Id));
    }

    [Fact]
    public async Task Indexers_running_side_by_side_take_each_change_once_and_leave_every_article_as_it_is_now()
    {
        var articles = await Given.PublishedArticles(120);
        // A second change to a third of them while the first is still queued: one article, two entries.
        await using (var db = Fixture.NewDbContext())
        {
            var again = articles.Where((_, i) => i % 3 == 0).Select(a => a.Id).ToList();
            foreach (var article in await db.Articles.Where(a => again.Contains(a.Id)).ToListAsync())
                article.Title = Word + article.Slug;
            await db.SaveChangesAsync();
        }
        var queued = await Queued();
        Assert.Equal(160L, queued);

        var indexer = Fixture.Factory.Services.GetRequiredService<SearchIndexer>();
        var done = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var mine = 0;
            for (var idle = 0; idle < 3;)
            {
                var (claimed, taken) = await indexer.IndexBatch(CancellationToken.None, size: 7);
                mine += taken;
                idle = claimed == 0 ? idle + 1 : 0;
                if (claimed > taken)
                    await Task.Delay(10); // another indexer holds one of these articles: its entry waits for a later batch
            }
            return mine;
        })));

        Assert.Equal(queued, done.Sum());
        Assert.True(done.Count(d => d > 0) > 1, "the batches should have been shared between the indexers");
        Assert.Equal(0L, await Queued());
        Assert.Equal(120L, await Scalar("SELECT count(*) FROM article_search_documents"));
        Assert.Equal(40, (await (await Client.GetAsync("/api/v1/search?limit=100&q=" + Uri.EscapeDataString(Word))).Json()).Slugs().Count);
    }

    [Fact]
    public async Task A_backlog_is_merged_into_the_index_as_it_is_indexed_not_left_for_every_search_to_read_through()
    {
        // GIN keeps new entries in a pending list that every search reads through until it is merged into the index. A
        // backlog's batches merge theirs as they go (Decisions/0015): what may remain is the last short batch's.
        await using (var connection = new NpgsqlConnection(Fixture.ConnectionString))
        {
            await connection.OpenAsync();
            await Execute(connection, "CREATE EXTENSION IF NOT EXISTS pgstattuple");
        }
        // Queued before any indexer runs: batches of 5, then 10 and 20 while they come back full, then what is left.
        await Given.PublishedArticles(60);
        await using var indexing = Fixture.Factory.WithWebHostBuilder(b => b.UseSetting("Search:IndexerEnabled", "true").UseSetting("Search:IndexBatch", "5"));
        using var client = indexing.CreateClient();

        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await Queued() > 0)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), $"{await Queued()} changes still queued after 10 s.");
            await Task.Delay(50);
        }
        Assert.Equal(60L, await Scalar("SELECT count(*) FROM article_search_documents"));
        var unmerged = await Scalar($"SELECT pending_tuples FROM pgstatginindex('{ArticleSearchDocument.DocumentIndex}')");
        Assert.True(unmerged <= 5, $"{unmerged} of the 60 documents are still in the pending list.");
    }

    async Task TakeDown(Guid id, string transition)
    {
        using var editor = await As(Role.Editor);
        var article = $"/api/v1/articles/{id}";
        var later = Clock.GetUtcNow().AddDays(1);
        switch (transition)
        {
            case "unpublished":
                await (await editor.PostAsync(article + "/unpublish", null)).Json();
                break;
            case "killed":
                await (await editor.PostAsync(article + "/kill", JsonBody(new { reason = "報道有誤，依法撤回。" }))).Json();
                break;
            case "embargoed":
                var etag = (await editor.GetAsync(article)).ETag();
                var patch = Raw($$"""{"embargoUntil":"{{later:O}}"}""", "application/merge-patch+json");
                await (await editor.Send(HttpMethod.Patch, article, patch, etag)).Json();
                break;
            case "rescheduled":
                await (await editor.PostAsync(article + "/unpublish", null)).Json();
                await (await editor.PostAsync(article + "/publish", JsonBody(new { publishAt = later }))).Json();
                break;
        }
    }

    async Task<bool> IndexSaysPublic(Guid id) =>
        await Scalar($"SELECT count(*) FROM article_search_documents d WHERE d.article_id = '{id}' AND d.published_at IS NOT NULL AND d.embargo_until IS NULL") == 1;

    Task<long> Queued() => Scalar("SELECT count(*) FROM search_queue");

    async Task<long> Scalar(string sql)
    {
        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        return await Scalar(connection, sql);
    }

    static async Task<long> Scalar(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The process id of the backend waiting for the lock on the index's table, once one is.</summary>
    static async Task<int> WaitingOnTheIndex(NpgsqlConnection connection)
    {
        for (var tries = 0; tries < 200; tries++)
        {
            await using var command = new NpgsqlCommand(
                "SELECT pid FROM pg_locks WHERE NOT granted AND relation = 'article_search_documents'::regclass LIMIT 1", connection);
            if (await command.ExecuteScalarAsync() is int pid)
                return pid;
            await Task.Delay(50);
        }
        throw new TimeoutException("The indexer's batch never reached the index's table.");
    }
}
