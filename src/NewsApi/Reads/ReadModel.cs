using System.Text.Json;
using Mapster;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using NewsApi.Articles;
using NewsApi.Data;
using NewsApi.Data.Entities;
using NewsApi.Sync;

namespace NewsApi.Reads;

/// <summary>
/// Renders the public's documents of articles into <c>article_reads</c>, in the caller's connection and transaction:
/// the change recorder calls it for every change (so a change and its documents commit together), and the start of
/// the service for rows that are missing or of an older <see cref="Shape"/>. A public read then sends one query and
/// writes the bytes it gets (see <see cref="PublicArticles"/>).
/// </summary>
internal sealed class ReadModel(IOptions<JsonOptions> json, TimeProvider clock)
{
    /// <summary>The documents' shape: raise it with any change to what they hold, and every row is rendered again at start.</summary>
    public const int Shape = 3;

    const int Batch = 500;

    const string Upsert = """
        INSERT INTO article_reads (id, slug, section_id, refs, published_at, updated_at, embargo_until, kill_reason, version, shape, document, item, bodies, unpublish_at, noindex)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
        ON CONFLICT (id) DO UPDATE SET slug = excluded.slug, section_id = excluded.section_id, refs = excluded.refs,
            published_at = excluded.published_at, updated_at = excluded.updated_at, embargo_until = excluded.embargo_until,
            unpublish_at = excluded.unpublish_at, noindex = excluded.noindex,
            kill_reason = excluded.kill_reason, version = excluded.version, shape = excluded.shape,
            document = excluded.document, item = excluded.item, bodies = excluded.bodies
        """;

    // What embeds one of the sections, tags, authors or topics: today's links, and documents rendered with an old one
    // (a merged section's articles were moved, a deleted tag's links removed, before the change that names them).
    const string Embedding = """
        SELECT id FROM articles WHERE section_id = ANY($1)
        UNION SELECT article_id FROM article_tags WHERE tag_id = ANY($1)
        UNION SELECT article_id FROM article_authors WHERE author_id = ANY($1)
        UNION SELECT article_id FROM topic_articles WHERE topic_id = ANY($1)
        UNION SELECT id FROM article_reads WHERE refs && $1
        """;

    const string Stale = """
        SELECT a.id FROM articles a LEFT JOIN article_reads r ON r.id = a.id
        WHERE (a.status = 'Published' OR a.status = 'Killed' AND a.first_public_at IS NOT NULL) AND (r.id IS NULL OR r.shape <> $1)
        UNION SELECT r.id FROM article_reads r JOIN articles a ON a.id = r.id
        WHERE NOT (a.status = 'Published' OR a.status = 'Killed' AND a.first_public_at IS NOT NULL)
        """;

    /// <summary>
    /// Whether a status may have a row: published articles, and killed ones as tombstones if they were ever public
    /// (<see cref="Render"/> decides that; a kill the public never saw leaves no trace, so it reads as not found).
    /// </summary>
    public static bool HasRow(ArticleStatus status) => status is ArticleStatus.Published or ArticleStatus.Killed;

    /// <summary>Renders these articles again, and every article that embeds one of <paramref name="refs"/>.</summary>
    public async Task Refresh(NewsDbContext db, IReadOnlyCollection<Guid> articles, IReadOnlyCollection<Guid> refs, CancellationToken ct)
    {
        var ids = new HashSet<Guid>(articles);
        if (refs.Count > 0)
            ids.UnionWith(await Ids(db, Embedding, refs.ToArray(), ct));
        foreach (var chunk in ids.Chunk(Batch))
            await Render(db, chunk, ct);
    }

    /// <summary>Renders, batch by batch in transactions of their own, every row that is missing, stray or of an older shape.</summary>
    public async Task<int> Rebuild(NewsDbContext db, CancellationToken ct)
    {
        var ids = await Ids(db, Stale, Shape, ct);
        foreach (var chunk in ids.Chunk(Batch))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await Render(db, chunk, ct);
            await transaction.CommitAsync(ct);
        }
        return ids.Count;
    }

    async Task Render(NewsDbContext db, Guid[] ids, CancellationToken ct)
    {
        // Two changes rendering one article (an edit and a tag's rename) would each render what they see, and the later
        // commit would keep a document missing the other's change. Locked first, a renderer waits for the other change
        // to commit; its load, a new statement, then sees it.
        await ArticleLocks.Lock(db, ids, ct);
        var found = await FullArticles.Of(db)
            .Where(a => ids.Contains(a.Id) && (a.Status == ArticleStatus.Published || a.Status == ArticleStatus.Killed && a.FirstPublicAt != null))
            .ToListAsync(ct);
        await using var connection = await OpenConnection.Of(db, ct);
        await using var batch = new NpgsqlBatch(connection.Value);
        var gone = ids.Except(found.Select(a => a.Id)).ToArray();
        if (gone.Length > 0)
            batch.BatchCommands.Add(new NpgsqlBatchCommand("DELETE FROM article_reads WHERE id = ANY($1)") { Parameters = { new() { Value = gone } } });
        foreach (var article in found)
            batch.BatchCommands.Add(Row(article));
        // Every document written or removed is a change the sync API reports, in this transaction (whatever stopped
        // being public reads as a tombstone there).
        foreach (var command in SyncLog.Articles(ids, clock.GetUtcNow()))
            batch.BatchCommands.Add(command);
        await batch.ExecuteNonQueryAsync(ct);
    }

    NpgsqlBatchCommand Row(Article article)
    {
        var live = article.Status == ArticleStatus.Published;
        byte[]? document = null, item = null, bodies = null;
        if (live)
        {
            var options = json.Value.SerializerOptions;
            // unpublishAt is the editors' to know: the public's documents never tell when a story comes down; and the
            // editors' choice of related stories may name drafts: the public read it through GET …/related instead.
            var response = article.Adapt<ArticleResponse>() with { UnpublishAt = null, Related = null };
            document = JsonSerializer.SerializeToUtf8Bytes(response, options);
            item = JsonSerializer.SerializeToUtf8Bytes(response.Adapt<ArticleSummary>(), options);
            bodies = JsonSerializer.SerializeToUtf8Bytes(new ArticleSummary.Bodies(response.Body, response.BodyHtml), options);
        }
        Guid[] refs =
        [
            .. article.SectionId is { } section ? [section] : Array.Empty<Guid>(),
            .. article.Tags.Select(t => t.TagId), .. article.Authors.Select(a => a.AuthorId), .. article.Topics.Select(t => t.TopicId),
        ];
        var command = new NpgsqlBatchCommand(Upsert);
        foreach (var value in new object?[]
                 {
                     article.Id, article.Slug, article.SectionId, refs, article.PublishedAt, article.UpdatedAt,
                     live ? article.EmbargoUntil : null, live ? null : article.KillReason ?? "", (long)article.Version, Shape, document, item, bodies,
                     live ? NextChange(article) : null, article.Noindex,
                 })
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        return command;
    }

    /// <summary>The next change the clock makes to a live article: its unpublish or the end of its breaking mark.</summary>
    static DateTimeOffset? NextChange(Article a) =>
        a.UnpublishAt is { } down && (a.BreakingUntil is null || down <= a.BreakingUntil) ? down : a.BreakingUntil;

    static async Task<List<Guid>> Ids(NewsDbContext db, string sql, object parameter, CancellationToken ct)
    {
        await using var connection = await OpenConnection.Of(db, ct);
        await using var command = new NpgsqlCommand(sql, connection.Value) { Parameters = { new() { Value = parameter } } };
        await using var reader = await command.ExecuteReaderAsync(ct);
        var ids = new List<Guid>();
        while (await reader.ReadAsync(ct))
            ids.Add(reader.GetGuid(0));
        return ids;
    }
}
