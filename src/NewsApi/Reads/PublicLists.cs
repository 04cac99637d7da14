using NewsApi.Api;
using NewsApi.Content;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Reads;

/// <summary>What a public list of articles is filtered, ordered and paged by: slugs as the caller named them.</summary>
internal sealed record ListFilter(
    string? Section, string? Topic, string? Tag, string? Author, DateTimeOffset? From, DateTimeOffset? To, string Sort, Cursor? After, int Limit,
    bool Bodies);

/// <summary>A published topic as its page shows it, and the stored items of its public articles in order.</summary>
internal sealed record StoredTopic(Topic Topic, List<StoredItem> Items);

/// <summary>
/// The public's lists of articles, each one SQL statement on <c>article_reads</c>: the article list with its filters
/// (a filter naming nothing that exists is told apart in the same statement), and a topic's page.
/// </summary>
internal static class PublicLists
{
    /// <summary>The page, or the name of the first filter that names nothing.</summary>
    public static async Task<(string? Unknown, List<StoredItem> Rows)> Page(NewsDbContext db, ListFilter filter, DateTimeOffset now, CancellationToken ct)
    {
        var (sql, parameters, known) = Statement(filter, now);
        var (flags, rows) = await StoredRows.Items(db, sql, parameters, known.Count, ct);
        var unknown = known.Where((k, i) => !flags[i]).FirstOrDefault();
        return (unknown, rows);
    }

    /// <summary>
    /// The page's one statement, its positional parameters, and the filters it tells apart (one leading boolean column
    /// each, in this order). Internal for the reads benchmark, whose pgbench runs the same statement.
    /// </summary>
    internal static (string Sql, List<object?> Parameters, List<string> Known) Statement(ListFilter filter, DateTimeOffset now)
    {
        var parameters = new List<object?>();
        string P(object? value)
        {
            parameters.Add(value);
            return "$" + parameters.Count;
        }

        var where = new List<string> { ArticleVisibility.PublicReadRow(P(now)) };
        var known = new List<(string Name, string Sql)>();
        var with = "";
        if (filter.Section is { } section)
        {
            // UNION, not UNION ALL: a cycle in the tree ends the walk instead of looping.
            with = $"WITH RECURSIVE tree AS (SELECT id FROM sections WHERE slug = {P(section)} " +
                   "UNION SELECT c.id FROM sections c JOIN tree ON c.parent_id = tree.id) ";
            known.Add(("section", "EXISTS (SELECT 1 FROM tree)"));
            where.Add("r.section_id IN (SELECT id FROM tree)");
        }
        if (filter.Topic is { } topic)
        {
            var slug = P(topic);
            known.Add(("topic", $"EXISTS (SELECT 1 FROM topics WHERE slug = {slug} AND status = 'Published')"));
            where.Add($"r.id IN (SELECT m.article_id FROM topic_articles m JOIN topics t ON t.id = m.topic_id WHERE t.slug = {slug})");
        }
        if (filter.Tag is { } tag)
        {
            var slug = P(tag);
            known.Add(("tag", $"EXISTS (SELECT 1 FROM tags WHERE slug = {slug})"));
            where.Add($"r.id IN (SELECT x.article_id FROM article_tags x JOIN tags t ON t.id = x.tag_id WHERE t.slug = {slug})");
        }
        if (filter.Author is { } author)
        {
            var slug = P(author);
            known.Add(("author", $"EXISTS (SELECT 1 FROM authors WHERE slug = {slug})"));
            where.Add($"r.id IN (SELECT x.article_id FROM article_authors x JOIN authors a ON a.id = x.author_id WHERE a.slug = {slug})");
        }
        if (filter.From is { } from)
            where.Add($"r.published_at >= {P(from)}");
        if (filter.To is { } to)
            where.Add($"r.published_at < {P(to)}");

        var (key, descending) = filter.Sort switch
        {
            "publishedAt" => ("r.published_at", false),
            "-updatedAt" => ("r.updated_at", true),
            _ => ("r.published_at", true),
        };
        if (filter.After is { } after)
            where.Add($"({key}, r.id) {(descending ? "<" : ">")} ({P(after.At)}, {P(after.Id)})");
        var direction = descending ? "DESC" : "ASC";
        var page = $"SELECT r.id, r.item, r.published_at, r.updated_at, 0 AS position, {Bodies(filter.Bodies)} AS bodies FROM article_reads r WHERE {string.Join(" AND ", where)} " +
                   $"ORDER BY {key} {direction}, r.id {direction} LIMIT {P(filter.Limit)}";

        var sql = known.Count == 0
            ? page
            : $"{with}SELECT {string.Join(", ", known.Select((k, i) => $"k.k{i}"))}, x.* " +
              $"FROM (SELECT {string.Join(", ", known.Select((k, i) => $"{k.Sql} AS k{i}"))}) k " +
              $"LEFT JOIN LATERAL ({page}) x ON {string.Join(" AND ", known.Select((k, i) => $"k.k{i}"))}";
        return (sql, parameters, known.Select(k => k.Name).ToList());
    }

    static readonly string WithBodies = TopicSql(bodies: true), WithoutBodies = TopicSql(bodies: false);

    static string Bodies(bool read) => read ? "r.bodies" : "NULL::bytea";

    /// <summary>
    /// A topic's page, with or without its articles' bodies; $1 slug, $2 now, $3 and $4 the position and id to continue
    /// after, $5 the limit.
    /// </summary>
    internal static string TopicSql(bool bodies) => $"""
        SELECT t.id, t.slug, t.title, t.description, t.cover_image::text, t.updated_at, t.xmin::text::bigint,
               x.id, x.item, x.published_at, x.updated_at, x.position, x.bodies
        FROM topics t LEFT JOIN LATERAL (
            SELECT r.id, r.item, r.published_at, r.updated_at, m.position, {Bodies(bodies)} AS bodies FROM topic_articles m JOIN article_reads r ON r.id = m.article_id
            WHERE m.topic_id = t.id AND {ArticleVisibility.PublicReadRow("$2")} AND (m.position, m.article_id) > ($3, $4)
            ORDER BY m.position, m.article_id LIMIT $5) x ON true
        WHERE t.slug = $1 AND t.status = 'Published'
        """;

    /// <summary>A published topic with a page of its public articles after the cursor, or null when there is no such topic.</summary>
    public static async Task<StoredTopic?> Topic(NewsDbContext db, string slug, Cursor? after, int limit, bool bodies, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await OpenConnection.Of(db, ct);
        await using var command = StoredRows.Command(connection.Value, bodies ? WithBodies : WithoutBodies,
            [slug, now, after?.Position ?? int.MinValue, after?.Id ?? Guid.Empty, limit]);
        await using var reader = await command.ExecuteReaderAsync(ct);
        Topic? topic = null;
        var items = new List<StoredItem>();
        while (await reader.ReadAsync(ct))
        {
            topic ??= new Topic
            {
                Id = reader.GetGuid(0), Slug = reader.GetString(1), Title = reader.GetString(2),
                Description = reader.IsDBNull(3) ? null : reader.GetString(3),
                CoverImage = JsonColumn.Read<Image>(reader.IsDBNull(4) ? null : reader.GetString(4)),
                Status = TopicStatus.Published, UpdatedAt = reader.GetFieldValue<DateTimeOffset>(5), Version = (uint)reader.GetInt64(6),
            };
            if (!reader.IsDBNull(7))
                items.Add(new StoredItem(reader.GetGuid(7), reader.GetFieldValue<byte[]>(8),
                    reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9), reader.GetFieldValue<DateTimeOffset>(10), reader.GetInt32(11),
                    reader.IsDBNull(12) ? null : reader.GetFieldValue<byte[]>(12)));
        }
        return topic is null ? null : new StoredTopic(topic, items);
    }
}
