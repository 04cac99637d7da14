using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Search;

/// <summary>
/// An article whose search row has yet to follow a change, written in the change's own transaction; the
/// <see cref="SearchIndexer"/> deletes it in the transaction that writes the row. Not a log: it says only "index this
/// article's current state", so one article may be queued several times and is indexed once for all of them.
/// </summary>
internal sealed class SearchQueueEntry
{
    public long Id { get; set; }
    public Guid ArticleId { get; set; }

    /// <summary>When the change was queued, by the database's clock: the age of the oldest entry is the index's lag.</summary>
    public DateTimeOffset QueuedAt { get; set; }
}

internal sealed class SearchQueueEntryConfiguration : IEntityTypeConfiguration<SearchQueueEntry>
{
    public void Configure(EntityTypeBuilder<SearchQueueEntry> q)
    {
        q.ToTable("search_queue");
        q.HasKey(x => x.Id);
        q.Property(x => x.Id).UseIdentityByDefaultColumn();
        // No foreign key: a change to an article deleted since is still taken off the queue, and the write that
        // queues an article never waits on the indexer's locks.
        q.Property(x => x.QueuedAt).HasDefaultValueSql("clock_timestamp()");
    }
}

/// <summary>How changes reach the queue, whichever way they are written: tracked for a SaveChanges, or by COPY.</summary>
internal static class SearchQueue
{
    static readonly string[] SearchedProperties =
    [
        nameof(Article.Title), nameof(Article.Subtitle), nameof(Article.Summary), nameof(Article.Dateline), nameof(Article.Body),
        // The search row carries the article's visibility too, to pick its candidates from the index alone.
        nameof(Article.Status), nameof(Article.PublishedAt), nameof(Article.EmbargoUntil),
    ];

    /// <summary>
    /// Whether a tracked article's change is one its search row must follow. A delete is not: the row goes with the
    /// article, by cascade.
    /// </summary>
    public static bool Follows(EntityEntry entry) =>
        entry.State == EntityState.Added || entry.State == EntityState.Modified && SearchedProperties.Any(p => entry.Property(p).IsModified);

    /// <summary>Queues the articles with the context's next save.</summary>
    public static void Add(NewsDbContext db, IEnumerable<Guid> articles) =>
        db.Set<SearchQueueEntry>().AddRange(articles.Distinct().Select(id => new SearchQueueEntry { ArticleId = id }));

    /// <summary>Queues the articles at once, with COPY, in the context's connection and transaction.</summary>
    public static Task Copy(NewsDbContext db, IEnumerable<Guid> articles, CancellationToken ct) =>
        db.Insert(articles.Distinct().Select(id => new SearchQueueEntry { ArticleId = id }).ToList(), ct);

    /// <summary>How many changes wait, and how long the oldest has waited: what the index lags behind the articles.</summary>
    public static async Task<SearchLag> Lag(NewsDbContext db, CancellationToken ct)
    {
        await using var connection = await OpenConnection.Of(db, ct);
        await using var command = connection.Value.CreateCommand();
        command.CommandText = "SELECT count(*), coalesce(extract(epoch FROM clock_timestamp() - min(queued_at)), 0)::float8 FROM search_queue";
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new SearchLag(reader.GetInt64(0), TimeSpan.FromSeconds(Math.Max(0, reader.GetDouble(1))));
    }
}

/// <summary>The search index's lag: changes queued and not yet indexed, and the age of the oldest.</summary>
internal sealed record SearchLag(long Queued, TimeSpan Oldest);
