using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NewsApi.Content;
using NewsApi.Data;
using NewsApi.Data.Entities;
using NewsApi.Features.Authors;
using NewsApi.Features.Sections;
using NewsApi.Features.Tags;
using NewsApi.Reads;
using NewsApi.Sync;

namespace NewsApi.Features.Sync;

/// <summary>An entry as the featured list's public read shows it, its article by id (the article's document is its own sync item).</summary>
internal sealed record SyncFeaturedEntry(Guid Article, int Position, bool Pinned, DateTimeOffset FeaturedAt,
    DateTimeOffset? VisibleFrom, DateTimeOffset? VisibleUntil, bool Backfill);

/// <summary>A featured list as the public sees it now, its articles by id (each is synced as itself).</summary>
internal sealed record SyncFeaturedList(string Slug, string Title, string? Section, int MaxItems, IReadOnlyList<SyncFeaturedEntry> Entries);

/// <summary>A published topic, its public articles by id in the topic's order (each is synced as itself).</summary>
internal sealed record SyncTopic(string Slug, string Title, string? Description, Image? CoverImage, TopicStatus Status, DateTimeOffset UpdatedAt,
    IReadOnlyList<Guid> Articles);

/// <summary>
/// The public documents of things by type and id, as the public reads show them now: articles as the read model stored
/// them (the bytes of GET /articles/{id}), sections, tags and authors as their GETs answer, topics and featured lists
/// with their articles by id. A thing missing from the answer is not public: the sync API's tombstone.
/// </summary>
internal static class SyncDocuments
{
    static readonly string ArticlesSql = $"SELECT r.id, r.document FROM article_reads r WHERE r.id = ANY($1) AND {ArticleVisibility.PublicReadRow("$2")}";

    static readonly string TopicMembersSql = $"""
        SELECT m.topic_id, m.article_id FROM topic_articles m JOIN article_reads r ON r.id = m.article_id
        WHERE m.topic_id = ANY($1) AND {ArticleVisibility.PublicReadRow("$2")} ORDER BY m.topic_id, m.position, m.article_id
        """;

    /// <summary>The ids of the public things of one type after <paramref name="after"/>, in id order: a full sync's walk.</summary>
    public static async Task<List<Guid>> Page(NewsDbContext db, string type, Guid? after, int limit, DateTimeOffset now, CancellationToken ct)
    {
        var sql = type switch
        {
            SyncLog.Article => $"SELECT r.id FROM article_reads r WHERE r.id > $1 AND {ArticleVisibility.PublicReadRow("$3")} ORDER BY r.id LIMIT $2",
            SyncLog.Topic => "SELECT id FROM topics WHERE id > $1 AND status = 'Published' AND $3::timestamptz IS NOT NULL ORDER BY id LIMIT $2",
            _ => $"SELECT id FROM {Table(type)} WHERE id > $1 AND $3::timestamptz IS NOT NULL ORDER BY id LIMIT $2",
        };
        await using var connection = await OpenConnection.Of(db, ct);
        await using var command = StoredRows.Command(connection.Value, sql, [after ?? Guid.Empty, limit, now]);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var ids = new List<Guid>();
        while (await reader.ReadAsync(ct))
            ids.Add(reader.GetGuid(0));
        return ids;
    }

    static string Table(string type) => type switch
    {
        SyncLog.Section => "sections",
        SyncLog.Tag => "tags",
        SyncLog.Author => "authors",
        SyncLog.FeaturedList => "featured_lists",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>The JSON of each of these things that is public now, by id.</summary>
    public static async Task<Dictionary<Guid, byte[]>> Of(NewsDbContext db, string type, IReadOnlyCollection<Guid> ids, DateTimeOffset now,
        JsonSerializerOptions json, CancellationToken ct)
    {
        if (ids.Count == 0)
            return [];
        byte[] Json<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, json);
        switch (type)
        {
            case SyncLog.Article:
                return await Rows(db, ArticlesSql, [ids.ToArray(), now], ct);
            case SyncLog.Tag:
                return await db.Tags.AsNoTracking().Where(t => ids.Contains(t.Id))
                    .ToDictionaryAsync(t => t.Id, t => Json(new TagResponse(t.Slug, t.Name)), ct);
            case SyncLog.Author:
                return await db.Authors.AsNoTracking().Where(a => ids.Contains(a.Id))
                    .ToDictionaryAsync(a => a.Id, a => Json(AuthorResponse.Public(a)), ct);
            case SyncLog.Section:
                var all = await GetSections.Ordered(db).ToListAsync(ct);
                return all.Where(s => ids.Contains(s.Id)).ToDictionary(s => s.Id, s => Json(GetSections.Response(all, s)));
            case SyncLog.Topic:
                var topics = await db.Topics.AsNoTracking().Where(t => ids.Contains(t.Id) && t.Status == TopicStatus.Published).ToListAsync(ct);
                var members = (await Pairs(db, TopicMembersSql, [topics.Select(t => t.Id).ToArray(), now], ct)).ToLookup(p => p.Item1, p => p.Item2);
                return topics.ToDictionary(t => t.Id, t => Json(new SyncTopic(t.Slug, t.Title, t.Description, t.CoverImage, t.Status, t.UpdatedAt, members[t.Id].ToList())));
            case SyncLog.FeaturedList:
                var lists = await db.FeaturedLists.AsNoTracking().Where(l => ids.Contains(l.Id)).ToListAsync(ct);
                var documents = new Dictionary<Guid, byte[]>();
                foreach (var list in lists)
                {
                    var shown = await ShownFeaturedList.Read(db, list, null, now, preview: false, ct);
                    documents[list.Id] = Json(new SyncFeaturedList(list.Slug, list.Title, shown.Section, list.MaxItems,
                        shown.Entries.Select(e => new SyncFeaturedEntry(e.ArticleId, e.Position, e.Pinned, e.FeaturedAt, e.VisibleFrom, e.VisibleUntil, e.Backfill)).ToList()));
                }
                return documents;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, null);
        }
    }

    static async Task<Dictionary<Guid, byte[]>> Rows(NewsDbContext db, string sql, object[] parameters, CancellationToken ct)
    {
        await using var connection = await OpenConnection.Of(db, ct);
        await using var command = StoredRows.Command(connection.Value, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new Dictionary<Guid, byte[]>();
        while (await reader.ReadAsync(ct))
            rows[reader.GetGuid(0)] = reader.GetFieldValue<byte[]>(1);
        return rows;
    }

    static async Task<List<(Guid, Guid)>> Pairs(NewsDbContext db, string sql, object[] parameters, CancellationToken ct)
    {
        await using var connection = await OpenConnection.Of(db, ct);
        await using var command = StoredRows.Command(connection.Value, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<(Guid, Guid)>();
        while (await reader.ReadAsync(ct))
            rows.Add((reader.GetGuid(0), reader.GetGuid(1)));
        return rows;
    }
}
