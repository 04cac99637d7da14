using System.Data;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsApi.Api;
using NewsApi.Api.Auth;
using NewsApi.Data;
using NewsApi.Reads;
using NewsApi.Retention;
using NewsApi.Sync;

namespace NewsApi.Features.Sync;

/// <summary>A public document as the public read of its type answers it, written as it is stored.</summary>
[JsonConverter(typeof(Converter))]
internal sealed class SyncDocument(byte[] json)
{
    sealed class Converter : JsonConverter<SyncDocument>
    {
        public override SyncDocument Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            new(JsonDocument.ParseValue(ref reader).RootElement.GetRawText() is var text ? System.Text.Encoding.UTF8.GetBytes(text) : []);

        public override void Write(Utf8JsonWriter writer, SyncDocument value, JsonSerializerOptions options) => writer.WriteRawValue(value.Json, skipInputValidation: true);
    }

    public byte[] Json => json;
}

/// <param name="Type">article, section, topic, featured-list, tag or author.</param>
/// <param name="Id">The thing's id (the article's id; for the others their internal id, stable across renames).</param>
/// <param name="Document">Upserts: the thing as its public read shows it now.</param>
/// <param name="DeletedAt">Tombstones: the thing is no longer public (unpublished, killed, archived, deleted or embargoed again) since about then.</param>
internal sealed record SyncItem(string Type, Guid Id, SyncDocument? Document = null, DateTimeOffset? DeletedAt = null);

/// <param name="Items">Upserts and tombstones, each thing at most once a page.</param>
/// <param name="NextSyncToken">Pass as from: the next page while hasMore, else what changes after this answer.</param>
/// <param name="HasMore">Whether more pages of this sync follow at once (ask again with nextSyncToken now).</param>
internal sealed record SyncPage(IReadOnlyList<SyncItem> Items, string NextSyncToken, bool HasMore);

/// <summary>Settings of the <c>Sync</c> section.</summary>
internal sealed class SyncOptions
{
    public const string Section = "Sync";

    /// <summary>Things a page holds at most.</summary>
    public int PageSize { get; set; } = 200;
}

internal static class GetSync
{
    /// <summary>The query: <c>from</c> is the nextSyncToken of the previous answer (not named token: it is no credential,
    /// and the OpenAPI lint refuses any parameter so named).</summary>
    public sealed record Query(string? From);

    const string StartOver = $"start over with GET {ApiRoutes.Prefix}/sync (without from) and replace what you hold.";

    const string Changes = """
        SELECT xid::text, seq, type, id, at FROM sync_changes
        WHERE xid >= $1::xid8 AND xid < $2::xid8 AND (xid, seq) > ($3::xid8, $4) ORDER BY xid, seq LIMIT $5
        """;

    // What the content clock changed between the two instants, with no write: stories whose embargo ended (and the
    // topics and featured lists that show them), featured entries whose windows opened or closed.
    const string Clocked = """
        WITH ended AS (SELECT r.id FROM article_reads r WHERE r.kill_reason IS NULL AND r.embargo_until > $1 AND r.embargo_until <= $2)
        SELECT 'article', id FROM ended
        UNION SELECT 'topic', m.topic_id FROM topic_articles m JOIN ended ON ended.id = m.article_id
        UNION SELECT 'featured-list', l.id FROM featured_lists l
        WHERE l.section_id IS NOT NULL AND EXISTS (SELECT 1 FROM ended)
           OR EXISTS (SELECT 1 FROM featured_list_entries e WHERE e.list_id = l.id AND (e.article_id IN (SELECT id FROM ended)
               OR e.featured_at > $1 AND e.featured_at <= $2 OR e.removed_at > $1 AND e.removed_at <= $2
               OR e.visible_from > $1 AND e.visible_from <= $2 OR e.visible_until > $1 AND e.visible_until <= $2))
        """;

    /// <summary>
    /// Without a token, the first page of everything public; with one, its next page or what changed since. One
    /// snapshot a page (repeatable read), so the commit horizon and the documents it covers agree.
    /// </summary>
    public static async Task<Results<Ok<SyncPage>, ValidationProblem>> Handle(
        [AsParameters] Query query, NewsDbContext db, CursorSigner signer, TimeProvider clock, IOptions<SyncOptions> options,
        IOptions<RetentionOptions> retention, IOptions<JsonOptions> json, HttpContext http, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        SyncToken? token = null;
        if (query.From is { } text)
        {
            token = SyncToken.Open(signer, text);
            if (token is null)
                return Problems.Invalid("from", $"from is not a sync token this service gave out; {StartOver}");
            if (token.Since < now - retention.Value.SyncChanges)
                return Problems.Invalid("from", $"from is a token older than the change log keeps ({retention.Value.SyncChanges:c}); {StartOver}");
        }
        // Pages are answers to one client's position: never a shared copy (Decisions/0016-sync.md).
        http.Response.Headers.CacheControl = "private, no-store";
        // Not a cached public read, but a public one all the same: anonymous, it may be read from the standby, which
        // computes its horizon and rows in one snapshot of what it has replayed (Decisions/0016-sync.md).
        if (!http.Request.CarriesKey())
            ReadRoute.PublicRead();

        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        var horizon = await Horizon(db, ct);
        var page = token is null || token.Full
            ? await Full(db, token ?? new SyncToken(true, horizon, now), options.Value.PageSize, now, json.Value.SerializerOptions, ct)
            : await Delta(db, token, horizon, options.Value.PageSize, now, json.Value.SerializerOptions, ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(new SyncPage(page.Items, page.Next.Seal(signer), page.HasMore));
    }

    sealed record Answer(List<SyncItem> Items, SyncToken Next, bool HasMore);

    static async Task<Answer> Full(NewsDbContext db, SyncToken at, int size, DateTimeOffset now, JsonSerializerOptions json, CancellationToken ct)
    {
        var items = new List<SyncItem>();
        var (type, after) = (at.Type, at.AfterId);
        while (type < SyncLog.Types.Count && items.Count < size)
        {
            var name = SyncLog.Types[type];
            var wanted = size - items.Count;
            var ids = await SyncDocuments.Page(db, name, after, wanted, now, ct);
            var documents = await SyncDocuments.Of(db, name, ids, now, json, ct);
            items.AddRange(ids.Where(documents.ContainsKey).Select(id => new SyncItem(name, id, new SyncDocument(documents[id]))));
            if (ids.Count < wanted)
                (type, after) = (type + 1, null);
            else
                after = ids[^1];
        }
        var done = type >= SyncLog.Types.Count;
        // Done: the deltas start from the horizon the walk began at, so whatever committed during it comes again.
        return new Answer(items, done ? new SyncToken(false, at.From, at.Since) : at with { Type = type, AfterId = after }, !done);
    }

    static async Task<Answer> Delta(NewsDbContext db, SyncToken at, string horizon, int size, DateTimeOffset now, JsonSerializerOptions json, CancellationToken ct)
    {
        // The first page fixes where this delta ends; a standby behind the one that gave the token out never moves it back.
        var first = at.To is null;
        var to = at.To ?? (Xid(horizon) > Xid(at.From) ? horizon : at.From);
        var until = at.Until ?? (now > at.Since ? now : at.Since);

        var changed = new Dictionary<(string Type, Guid Id), DateTimeOffset>();
        await using (var connection = await OpenConnection.Of(db, ct))
        {
            await using var command = StoredRows.Command(connection.Value, Changes, [at.From, to, at.AfterXid ?? "0", at.AfterSeq, size + 1]);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var rows = 0;
            string? lastXid = null;
            long lastSeq = 0;
            while (await reader.ReadAsync(ct))
            {
                if (++rows > size)
                    break;
                (lastXid, lastSeq) = (reader.GetString(0), reader.GetInt64(1));
                var key = (reader.GetString(2), reader.GetGuid(3));
                var when = reader.GetFieldValue<DateTimeOffset>(4);
                changed[key] = changed.TryGetValue(key, out var seen) && seen > when ? seen : when;
            }
            await reader.CloseAsync();
            if (first)
            {
                await using var clocked = StoredRows.Command(connection.Value, Clocked, [at.Since, until]);
                await using var due = await clocked.ExecuteReaderAsync(ct);
                while (await due.ReadAsync(ct))
                    changed.TryAdd((due.GetString(0), due.GetGuid(1)), until);
            }
            var more = rows > size;
            var next = more
                ? at with { To = to, Until = until, AfterXid = lastXid, AfterSeq = lastSeq }
                : new SyncToken(false, to, until);
            return new Answer(await Resolve(db, changed, now, json, ct), next, more);
        }
    }

    static async Task<List<SyncItem>> Resolve(NewsDbContext db, Dictionary<(string Type, Guid Id), DateTimeOffset> changed, DateTimeOffset now,
        JsonSerializerOptions json, CancellationToken ct)
    {
        var items = new List<SyncItem>();
        foreach (var type in SyncLog.Types)
        {
            var ids = changed.Keys.Where(k => k.Type == type).Select(k => k.Id).Order().ToList();
            var documents = await SyncDocuments.Of(db, type, ids, now, json, ct);
            items.AddRange(ids.Select(id => documents.TryGetValue(id, out var document)
                ? new SyncItem(type, id, new SyncDocument(document))
                : new SyncItem(type, id, DeletedAt: changed[(type, id)])));
        }
        return items;
    }

    static async Task<string> Horizon(NewsDbContext db, CancellationToken ct)
    {
        await using var connection = await OpenConnection.Of(db, ct);
        await using var command = StoredRows.Command(connection.Value, SyncLog.HorizonSql, []);
        return (string)(await command.ExecuteScalarAsync(ct))!;
    }

    static ulong Xid(string text) => ulong.Parse(text, CultureInfo.InvariantCulture);
}
