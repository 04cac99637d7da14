using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using NewsApi.Content;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Search;

/// <summary>What an article's search row is built from: its indexed fields and what the public may see of it, nothing else.</summary>
internal sealed record SearchText(Guid ArticleId, string Title, string? Subtitle, string? Summary, Dateline? Dateline, string? Body,
    ArticleStatus Status, DateTimeOffset? PublishedAt, DateTimeOffset? EmbargoUntil);

/// <summary>
/// The one place articles become their search rows: the indexer's, from the articles' current state. The vectors go
/// to PostgreSQL in text form for it to parse: building the NpgsqlTsVector values would cost more than all the rest
/// (its parser sorts by culture). The row's publication time (while published) and embargo are the article's at the
/// time of indexing, for picking candidates from the index alone; a search still checks the article itself.
/// </summary>
internal static class SearchDocumentWriter
{
    public static (string Document, string Head) Vectors(SearchText t) =>
        SearchDocument.For(t.Title, t.Subtitle, t.Summary, SearchDocument.DatelineText(t.Dateline), t.Body);

    /// <summary>The current state of these articles, as their search rows need it; a deleted one is simply not there.</summary>
    public static Task<List<SearchText>> Read(NewsDbContext db, IReadOnlyCollection<Guid> ids, CancellationToken ct) =>
        db.Articles.AsNoTracking().Where(a => ids.Contains(a.Id))
            .Select(a => new SearchText(a.Id, a.Title, a.Subtitle, a.Summary, a.Dateline, BodyRenderer.Text(a.Body), a.Status, a.PublishedAt, a.EmbargoUntil))
            .ToListAsync(ct);

    /// <summary>
    /// Writes the rows of these articles, in the context's connection and transaction: inserted, or replaced where
    /// they differ (an unchanged row is not rewritten, so its GIN entries are not either); the rows of articles in
    /// <paramref name="gone"/> are deleted. Returns how many rows it wrote or deleted.
    /// </summary>
    public static async Task<int> Write(NewsDbContext db, IReadOnlyList<SearchText> articles, IReadOnlyCollection<Guid> gone, CancellationToken ct)
    {
        await using var connection = await OpenConnection.Of(db, ct);
        await using var batch = new NpgsqlBatch(connection.Value);
        if (articles.Count > 0)
        {
            var vectors = articles.Select(Vectors).ToList();
            // The month trigger (migration SearchMonths) adds the month lexeme to a published row's document, on insert
            // and on update alike, so an unchanged article compares equal to its stored row.
            var upsert = new NpgsqlBatchCommand("""
                INSERT INTO article_search_documents AS d (article_id, document, head, published_at, embargo_until)
                SELECT u.id, u.document::tsvector, u.head::tsvector, u.published_at, u.embargo_until
                FROM unnest(@ids, @documents, @heads, @published, @embargoes) AS u(id, document, head, published_at, embargo_until)
                ON CONFLICT (article_id) DO UPDATE
                SET document = excluded.document, head = excluded.head, published_at = excluded.published_at, embargo_until = excluded.embargo_until
                WHERE (d.document, d.head, d.published_at, d.embargo_until)
                      IS DISTINCT FROM (excluded.document, excluded.head, excluded.published_at, excluded.embargo_until)
                """);
            upsert.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = articles.Select(a => a.ArticleId).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter("documents", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = vectors.Select(v => v.Document).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter("heads", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = vectors.Select(v => v.Head).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter("published", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
            {
                Value = articles.Select(a => a.Status == ArticleStatus.Published ? a.PublishedAt : null).ToArray(),
            });
            upsert.Parameters.Add(new NpgsqlParameter("embargoes", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
            {
                Value = articles.Select(a => a.EmbargoUntil).ToArray(),
            });
            batch.BatchCommands.Add(upsert);
        }
        if (gone.Count > 0)
        {
            var delete = new NpgsqlBatchCommand("DELETE FROM article_search_documents WHERE article_id = ANY(@gone)");
            delete.Parameters.Add(new NpgsqlParameter("gone", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = gone.ToArray() });
            batch.BatchCommands.Add(delete);
        }
        return batch.BatchCommands.Count > 0 ? await batch.ExecuteNonQueryAsync(ct) : 0;
    }
}
