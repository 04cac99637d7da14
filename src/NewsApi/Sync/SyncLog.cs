using Npgsql;

namespace NewsApi.Sync;

/// <summary>
/// The sync API's change log, <c>sync_changes</c>: one row per public document a transaction may have changed (its
/// type and id), written in that transaction by the change recorder and the read model. Each row carries the id of
/// the transaction that wrote it (<c>xid8</c>, <c>pg_current_xact_id()</c>); a reader takes only rows of transactions
/// below the oldest one still in progress (<see cref="HorizonSql"/>), so a row it has passed can never appear later
/// (Decisions/0016-sync.md). Rows name what changed, not how: a reader answers with each thing's state as it reads it.
/// Kept apart from every other queue (search indexing, the outbox): this one is read by clients, by token.
/// </summary>
internal static class SyncLog
{
    public const string Article = "article";
    public const string Section = "section";
    public const string Topic = "topic";
    public const string FeaturedList = "featured-list";
    public const string Tag = "tag";
    public const string Author = "author";

    /// <summary>The types, in the order a full sync pages through them.</summary>
    public static readonly IReadOnlyList<string> Types = [Section, Tag, Author, Topic, FeaturedList, Article];

    /// <summary>
    /// Every transaction with an id below this one has ended (committed or rolled back), in this snapshot: the rows
    /// below it are all there is to read, for ever. Read in the same snapshot as the rows and documents it covers.
    /// </summary>
    public const string HorizonSql = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text";

    /// <summary>
    /// The rows a rendering of these articles ($1) adds at the instant $2: the articles, the topics they belong to,
    /// and the featured lists that show them or may back-fill from their section.
    /// </summary>
    static readonly string[] ArticleRows =
    [
        $"INSERT INTO sync_changes (type, id, at) SELECT '{Article}', unnest($1::uuid[]), $2",
        $"INSERT INTO sync_changes (type, id, at) SELECT DISTINCT '{Topic}', topic_id, $2 FROM topic_articles WHERE article_id = ANY($1)",
        $"""
        INSERT INTO sync_changes (type, id, at) SELECT '{FeaturedList}', l.id, $2 FROM featured_lists l
        WHERE l.section_id IS NOT NULL OR EXISTS (SELECT 1 FROM featured_list_entries e WHERE e.list_id = l.id AND e.article_id = ANY($1))
        """,
    ];

    /// <summary>Commands that log a rendering of these articles, for the rendering's own batch.</summary>
    public static IEnumerable<NpgsqlBatchCommand> Articles(Guid[] ids, DateTimeOffset at) =>
        ArticleRows.Select(sql => new NpgsqlBatchCommand(sql) { Parameters = { new() { Value = ids }, new() { Value = at } } });

    /// <summary>
    /// A command that logs these things ($1 types, $2 ids) at $3; <paramref name="allSections"/> adds every section,
    /// as a section's document shows its parents and children by name.
    /// </summary>
    public static NpgsqlBatchCommand Things(string[] types, Guid[] ids, DateTimeOffset at, bool allSections) => new(
        "INSERT INTO sync_changes (type, id, at) SELECT t.type, t.id, $3 FROM unnest($1::text[], $2::uuid[]) AS t(type, id)"
        + (allSections ? $" UNION ALL SELECT '{Section}', id, $3 FROM sections" : ""))
    {
        Parameters = { new() { Value = types }, new() { Value = ids }, new() { Value = at } },
    };
}
