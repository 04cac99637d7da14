using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using NewsApi.Api;
using NewsApi.Changes;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Search;

/// <summary>
/// Brings the search index to the articles' current state, from the search queue, a batch of changes a transaction:
/// search is near-real-time, not transactional (Decisions/0015-search-indexer.md). Any number of instances may run
/// it: a batch claims its queue entries with <c>FOR UPDATE SKIP LOCKED</c>, and an article being indexed by another
/// batch (it may be queued twice) is left for a later one, so no older state is ever written over a newer one. The
/// entries are deleted in the transaction that writes the rows, so a crash loses nothing: the next run finds them again.
/// </summary>
internal sealed class SearchIndexer(IServiceScopeFactory scopes, IOptions<SearchOptions> options, NewsMetrics metrics, Invalidations invalidations, AfterCommit afterCommit,
    Standby servers, ILogger<SearchIndexer> logger) : BackgroundService
{
    /// <summary>What a statement adding to the queue notifies on commit (migration SearchQueueNotify).</summary>
    public const string ChannelName = "newsapi_search_queue";

    /// <summary>How many times <see cref="SearchOptions.IndexBatch"/> a batch may grow to while a backlog lasts.</summary>
    const int Growth = 4;

    /// <summary>The first key of the indexer's per-article advisory locks (the second is the article's hash): "SI".</summary>
    const int LockSpace = 0x5349;

    static readonly TimeSpan LagEvery = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Memory for merging GIN's pending list into the index. New entries wait in that list (which every search reads
    /// through) until a merge sorts them by pair and adds each pair's entries in one descent into the index; a merge
    /// flushes what it gathered whenever it reaches its memory (work_mem, 4 MB by default, in an insert), and at a
    /// million articles a few hundred documents a flush made nearly each of a document's ~1,000 pairs a descent of its
    /// own (8.7 ms a document, Decisions/0015). This holds a whole backlog batch's entries.
    /// </summary>
    const string MergeMemory = "128MB";

    /// <summary>
    /// The pending list's size, while a backlog lasts, at which an indexer that may not merge it itself (not the index's
    /// owner) leaves the merge to its inserts: eight times the default, so each merge takes more documents at once.
    /// </summary>
    const string BacklogPendingList = "32MB";

    /// <summary>The pending list's size for a batch that merges it itself at its end: more than a batch adds, so its inserts never merge.</summary>
    const string NoInsertMerge = "1GB";

    /// <summary>Whether this service owns the search index, which merging its pending list requires; asked once.</summary>
    bool? _owner;

    /// <summary>
    /// Indexes one batch of queued changes in one transaction and returns how many queue entries it took off. Fewer
    /// than were claimed when another batch holds one of their articles: those wait for a later batch. It claims at most
    /// <see cref="SearchOptions.IndexBatch"/> entries, or the size given.
    /// </summary>
    public async Task<(int Claimed, int Done)> IndexBatch(CancellationToken ct, int? size = null)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var claimed = await Claim(db, size ?? options.Value.IndexBatch, ct);
        if (claimed.Count == 0)
            return (0, 0);
        // A batch grown past IndexBatch means a backlog. Its entries are merged at its end, in one pass, by the batch
        // itself: left to the inserts, a merge is skipped while another session (autovacuum) holds it, and the list then
        // grew to gigabytes that every search read through. Otherwise the inserts merge as PostgreSQL decides.
        var backlog = claimed.Count > options.Value.IndexBatch;
        var merge = backlog && (_owner ??= await OwnsTheIndex(db, ct));
        await db.Database.ExecuteSqlRawAsync(merge
            ? $"SET LOCAL maintenance_work_mem = '{MergeMemory}'; SET LOCAL gin_pending_list_limit = '{NoInsertMerge}'"
            : $"SET LOCAL work_mem = '{MergeMemory}'" + (backlog ? $"; SET LOCAL gin_pending_list_limit = '{BacklogPendingList}'" : ""), ct);
        var mine = await Lock(db, claimed.Select(c => c.ArticleId).Distinct().ToArray(), ct);
        // Read and written IndexBatch articles at a time, in the batch's transaction: a batch grown to four times that
        // during an import's burst held the texts and vectors of all its articles at once, beside the import's own batch
        // (a 10,000-article import peaked at 343 MiB with it, 305 MiB with batches that never outgrew 400).
        var written = 0;
        foreach (var part in mine.Chunk(options.Value.IndexBatch))
        {
            var articles = await SearchDocumentWriter.Read(db, part, ct);
            var gone = part.Except(articles.Select(a => a.ArticleId)).ToList();
            written += await SearchDocumentWriter.Write(db, articles, gone, ct);
        }
        if (merge && written > 0)
            await db.Database.ExecuteSqlRawAsync($"SELECT gin_clean_pending_list('{ArticleSearchDocument.DocumentIndex}'::regclass)", ct);
        var done = claimed.Where(c => mine.Contains(c.ArticleId)).Select(c => c.Id).ToArray();
        await db.Database.ExecuteSqlAsync($"DELETE FROM search_queue WHERE id = ANY({done})", ct);
        // A search answered between the change and now may be cached with the index as it was: evicted here, and
        // by every other instance as after any change.
        if (written > 0)
        {
            db.CacheInvalidations.Add(invalidations.Row([CacheTags.Search]));
            await db.SaveChangesAsync(ct);
        }
        await transaction.CommitAsync(ct);
        if (written > 0)
            await afterCommit.CommittedAsync([CacheTags.Search]);
        return (claimed.Count, done.Length);
    }

    /// <summary>
    /// Runs batches until the queue holds nothing this process can take, and returns how many entries it took off;
    /// entries another indexer holds are waited for, up to <paramref name="patience"/>. For start-up and tests.
    /// </summary>
    public async Task<int> CatchUp(TimeSpan patience, CancellationToken ct = default)
    {
        var total = 0;
        var until = DateTimeOffset.UtcNow + patience;
        while (true)
        {
            var (claimed, done) = await IndexBatch(ct);
            total += done;
            if (claimed > 0 && done == claimed)
                continue;
            await using var scope = scopes.CreateAsyncScope();
            if ((await SearchQueue.Lag(scope.ServiceProvider.GetRequiredService<NewsDbContext>(), ct)).Queued == 0)
                return total;
            if (DateTimeOffset.UtcNow > until)
                throw new TimeoutException($"The search queue was not empty after {patience}.");
            await Task.Delay(20, ct);
        }
    }

    static async Task<List<(long Id, Guid ArticleId)>> Claim(NewsDbContext db, int size, CancellationToken ct)
    {
        await using var connection = await OpenConnection.Of(db, ct);
        await using var command = new NpgsqlCommand(
            "SELECT id, article_id FROM search_queue ORDER BY id LIMIT @size FOR UPDATE SKIP LOCKED", connection.Value);
        command.Parameters.AddWithValue("size", size);
        var claimed = new List<(long, Guid)>(size);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            claimed.Add((reader.GetInt64(0), reader.GetGuid(1)));
        return claimed;
    }

    /// <summary>
    /// Locks the articles for this transaction, and returns those it could lock: one being indexed by another batch
    /// is left to a later batch, which then reads what that one wrote or newer.
    /// </summary>
    static async Task<HashSet<Guid>> Lock(NewsDbContext db, Guid[] articles, CancellationToken ct)
    {
        await using var connection = await OpenConnection.Of(db, ct);
        await using var command = new NpgsqlCommand(
            "SELECT a FROM unnest(@articles) a WHERE pg_try_advisory_xact_lock(@space, hashtext(a::text))", connection.Value);
        command.Parameters.Add(new NpgsqlParameter("articles", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = articles });
        command.Parameters.AddWithValue("space", LockSpace);
        var mine = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            mine.Add(reader.GetGuid(0));
        return mine;
    }

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var settings = options.Value;
        if (!settings.IndexerEnabled)
            return;
        // Woken by the queue's notification as soon as a change commits; the interval stays as the fallback for a
        // notification lost with the listening connection.
        var wake = System.Threading.Channels.Channel.CreateBounded<bool>(new System.Threading.Channels.BoundedChannelOptions(1)
        {
            FullMode = System.Threading.Channels.BoundedChannelFullMode.DropWrite,
        });
        var listening = Listen(wake.Writer, stopping);
        var lagAt = DateTimeOffset.MinValue;
        var size = settings.IndexBatch;
        while (!stopping.IsCancellationRequested)
        {
            var full = false;
            try
            {
                var (claimed, done) = await IndexBatch(stopping, size);
                // A full batch means more are likely waiting: the next goes at once, and larger, so that a burst costs
                // fewer transactions (each merges its GIN entries in one go); a short one brings the size back.
                full = claimed == size && done > 0;
                size = full ? Math.Min(size * 2, settings.IndexBatch * Growth) : settings.IndexBatch;
                if (DateTimeOffset.UtcNow - lagAt >= LagEvery)
                {
                    lagAt = DateTimeOffset.UtcNow;
                    await using var scope = scopes.CreateAsyncScope();
                    var lag = await SearchQueue.Lag(scope.ServiceProvider.GetRequiredService<NewsDbContext>(), stopping);
                    metrics.SearchQueue(lag.Queued, lag.Oldest);
                }
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                // An article deleted while its batch ran (its row's key gone), a deadlock with a TRUNCATE, an outage:
                // the batch rolled back whole, and its entries are found again by the next one.
                logger.LogWarning(e, "Search indexer: a batch failed; trying again in {Interval}", settings.IndexInterval);
                size = settings.IndexBatch;
            }
            if (full)
                continue;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                timeout.CancelAfter(settings.IndexInterval);
                await wake.Reader.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
            {
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        await listening;
    }

    /// <summary>Whether the service's database user owns the search index (or is a superuser): only an owner may merge it.</summary>
    static async Task<bool> OwnsTheIndex(NewsDbContext db, CancellationToken ct) =>
        await db.Database.SqlQueryRaw<bool>(
            $"SELECT coalesce((SELECT pg_has_role(c.relowner, 'USAGE') FROM pg_class c WHERE c.oid = to_regclass('{ArticleSearchDocument.DocumentIndex}')), false) AS \"Value\"")
            .SingleAsync(ct);

    /// <summary>
    /// Listens on the queue's channel, on a connection of its own to the primary, and signals each notification;
    /// reconnects when the connection is lost (meanwhile the interval's poll finds what was queued).
    /// </summary>
    async Task Listen(System.Threading.Channels.ChannelWriter<bool> wake, CancellationToken stopping)
    {
        var settings = new NpgsqlConnectionStringBuilder(servers.Primary) { Pooling = false, KeepAlive = 5, Multiplexing = false };
        var failures = 0;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(settings.ConnectionString);
                await connection.OpenAsync(stopping);
                connection.Notification += (_, _) => wake.TryWrite(true);
                await using (var listen = new NpgsqlCommand($"LISTEN {ChannelName}", connection))
                    await listen.ExecuteNonQueryAsync(stopping);
                failures = 0;
                while (true)
                    await connection.WaitAsync(stopping);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                if (failures++ == 0)
                    logger.LogWarning("Search indexer: lost the queue's notifications ({Message}); polling every {Interval} meanwhile.",
                        e.GetBaseException().Message, options.Value.IndexInterval);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 100 * failures)), stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
