using Npgsql;
using NewsApi.Content;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Reads;

/// <summary>
/// One article as the read model holds it: its document (and when it is due to come down), or the reason it was
/// killed, or its current slug.
/// </summary>
internal sealed record StoredArticle(byte[]? Document, string? KillReason, long Version, string? MovedTo, DateTimeOffset? UnpublishAt = null, bool Noindex = false);

/// <summary>A list item as stored, with what a page needs to continue after it.</summary>
internal sealed record StoredItem(Guid Id, byte[] Item, DateTimeOffset? PublishedAt, DateTimeOffset UpdatedAt, int Position, byte[]? Bodies);

/// <summary>
/// The public's reads of articles, each one SQL statement on <c>article_reads</c> that returns stored bytes: no
/// entity, no mapping, no rendering. Every statement applies <see cref="ArticleVisibility.PublicReadRow"/>.
/// </summary>
internal static class PublicArticles
{
    // Internal for the reads benchmark, whose pgbench runs the same statements.
    internal static readonly string ByIdSql = $"""
        SELECT document, kill_reason, version, NULL, unpublish_at, noindex FROM article_reads r
        WHERE r.id = $1 AND (r.kill_reason IS NOT NULL OR {ArticleVisibility.PublicReadRow("$2")})
        """;

    // The slug an article has now first, then one it used to have (answered with a redirect to the current one).
    internal static readonly string BySlugSql = $"""
        SELECT document, kill_reason, version, NULL, unpublish_at, noindex, 0 AS rank FROM article_reads r
        WHERE r.slug = $1 AND (r.kill_reason IS NOT NULL OR {ArticleVisibility.PublicReadRow("$2")})
        UNION ALL
        SELECT NULL, NULL, 0, r.slug, NULL, false, 1 FROM article_slugs s JOIN article_reads r ON r.id = s.article_id
        WHERE s.slug = $1 AND {ArticleVisibility.PublicReadRow("$2")}
        ORDER BY rank LIMIT 1
        """;

    internal static readonly string ItemsSql = $"SELECT r.id, r.item, r.published_at, r.updated_at, 0, NULL::bytea FROM article_reads r WHERE r.id = ANY($1) AND {ArticleVisibility.PublicReadRow("$2")}";

    public static Task<StoredArticle?> ById(NewsDbContext db, Guid id, DateTimeOffset now, CancellationToken ct) =>
        One(db, ByIdSql, [id, now], ct);

    public static Task<StoredArticle?> BySlug(NewsDbContext db, string slug, DateTimeOffset now, CancellationToken ct) =>
        One(db, BySlugSql, [slug, now], ct);

    /// <summary>The public items of these articles, by id (missing when not public).</summary>
    public static async Task<Dictionary<Guid, byte[]>> Items(NewsDbContext db, IReadOnlyCollection<Guid> ids, DateTimeOffset now, CancellationToken ct) =>
        ids.Count == 0 ? [] : (await StoredRows.Items(db, ItemsSql, [ids.ToArray(), now], 0, ct)).Rows.ToDictionary(i => i.Id, i => i.Item);

    static async Task<StoredArticle?> One(NewsDbContext db, string sql, object[] parameters, CancellationToken ct)
    {
        await using var connection = await OpenConnection.Of(db, ct);
        await using var command = StoredRows.Command(connection.Value, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
            return null;
        return new StoredArticle(
            reader.IsDBNull(0) ? null : reader.GetFieldValue<byte[]>(0),
            reader.IsDBNull(1) ? null : reader.GetString(1),
            reader.GetInt64(2),
            reader.IsDBNull(3) ? null : reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
            reader.GetBoolean(5));
    }
}

/// <summary>Runs a statement on the context's connection (and transaction) and reads stored items from it.</summary>
internal static class StoredRows
{
    public static NpgsqlCommand Command(NpgsqlConnection connection, string sql, IEnumerable<object?> parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var value in parameters)
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        return command;
    }

    /// <summary>
    /// Reads rows of (id, item, published_at, updated_at, position, bodies) after <paramref name="flags"/> leading boolean
    /// columns, which say whether each named thing a list is filtered by exists (all true, or no item rows follow).
    /// </summary>
    public static async Task<(bool[] Flags, List<StoredItem> Rows)> Items(
        NewsDbContext db, string sql, IEnumerable<object?> parameters, int flags, CancellationToken ct)
    {
        await using var connection = await OpenConnection.Of(db, ct);
        await using var command = Command(connection.Value, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var known = Enumerable.Repeat(true, flags).ToArray();
        var rows = new List<StoredItem>();
        while (await reader.ReadAsync(ct))
        {
            for (var i = 0; i < flags; i++)
                known[i] = reader.GetBoolean(i);
            if (reader.IsDBNull(flags))
                continue;
            rows.Add(new StoredItem(reader.GetGuid(flags), reader.GetFieldValue<byte[]>(flags + 1),
                reader.IsDBNull(flags + 2) ? null : reader.GetFieldValue<DateTimeOffset>(flags + 2),
                reader.GetFieldValue<DateTimeOffset>(flags + 3), reader.GetInt32(flags + 4),
                reader.IsDBNull(flags + 5) ? null : reader.GetFieldValue<byte[]>(flags + 5)));
        }
        return (known, rows);
    }
}
