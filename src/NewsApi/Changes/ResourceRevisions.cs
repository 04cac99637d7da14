using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Changes;

/// <summary>
/// Revisions of sections, topics, featured lists, tags and authors, one mechanism for all of them as
/// <see cref="ChangeRecorder.Revise"/> is for articles: each write stages a snapshot of the resource as its editor
/// would write it, numbered after the resource's last, with the members that changed since that one. The writer
/// saves it with the change, so a change and its revision are one transaction; two saves that numbered alike collide
/// on the key, and the later one answers 412 (the resource changed under it).
/// </summary>
internal static class ResourceRevisions
{
    // Snapshots are read back leniently: a topic's carries its articles beside the members of its request.
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>A resource's editable state: its request record, plus what its own endpoints write (articles, entries).</summary>
    public static JsonObject Snapshot<T>(T request, params (string Name, JsonNode? Value)[] more)
    {
        var snapshot = JsonSerializer.SerializeToNode(request, Json)!.AsObject();
        foreach (var (name, value) in more)
            snapshot[name] = value;
        return snapshot;
    }

    public static JsonArray Array<T>(IEnumerable<T> items) => JsonSerializer.SerializeToNode(items.ToList(), Json)!.AsArray();

    public static T Read<T>(JsonNode? node) => node.Deserialize<T>(Json)!;

    /// <summary>
    /// Stages a revision of the resource; an update that changed no member stages none (and returns false), as an
    /// article's identical save stores none.
    /// </summary>
    public static async Task<bool> Record(NewsDbContext db, string kind, Guid id, string actor, string action, JsonObject snapshot,
        DateTimeOffset at, CancellationToken ct)
    {
        var last = await db.ResourceRevisions.AsNoTracking().Where(r => r.Kind == kind && r.ResourceId == id)
            .OrderByDescending(r => r.Number).Select(r => new { r.Number, r.Snapshot }).FirstOrDefaultAsync(ct);
        var fields = Changed(last?.Snapshot, snapshot);
        if (fields.Count == 0 && action == "updated")
            return false;
        db.ResourceRevisions.Add(new ResourceRevision
        {
            Kind = kind, ResourceId = id, Number = (last?.Number ?? 0) + 1, At = at, Actor = actor, Action = action,
            Fields = fields, Snapshot = snapshot,
        });
        return true;
    }

    public const string DeletedAction = "deleted";

    /// <summary>
    /// Stages the last revision of a resource being deleted: who deleted it and when, with its state as it was (the
    /// slug it answered at included), so its history can still be found by that slug.
    /// </summary>
    public static async Task Deleted(NewsDbContext db, string kind, Guid id, string slug, string actor, DateTimeOffset at, CancellationToken ct)
    {
        var last = await db.ResourceRevisions.AsNoTracking().Where(r => r.Kind == kind && r.ResourceId == id)
            .OrderByDescending(r => r.Number).Select(r => new { r.Number, r.Snapshot }).FirstOrDefaultAsync(ct);
        // A resource made before revisions were kept has none to copy: its slug is what the history is found by.
        var snapshot = last?.Snapshot.DeepClone().AsObject() ?? [];
        snapshot["slug"] = slug;
        db.ResourceRevisions.Add(new ResourceRevision
        {
            Kind = kind, ResourceId = id, Number = (last?.Number ?? 0) + 1, At = at, Actor = actor, Action = DeletedAction,
            Fields = [], Snapshot = snapshot,
        });
    }

    /// <summary>The id of the resource of this kind deleted last while it answered at this slug, or null.</summary>
    public static async Task<Guid?> DeletedId(NewsDbContext db, string kind, string slug, CancellationToken ct) =>
        (await db.Database.SqlQuery<Guid>($"""
            SELECT resource_id AS "Value" FROM resource_revisions
            WHERE kind = {kind} AND action = {DeletedAction} AND snapshot ->> 'slug' = {slug}
            ORDER BY at DESC LIMIT 1
            """).ToListAsync(ct)) is [var id] ? id : null;

    /// <summary>One revision of one resource, or null.</summary>
    public static Task<ResourceRevision?> Find(NewsDbContext db, string kind, Guid id, int number, CancellationToken ct) =>
        db.ResourceRevisions.AsNoTracking().FirstOrDefaultAsync(r => r.Kind == kind && r.ResourceId == id && r.Number == number, ct);

    /// <summary>The members whose values differ, in name order; every member set, for a first revision.</summary>
    static List<string> Changed(JsonObject? before, JsonObject after) =>
        after.Select(p => p.Key).Union(before?.Select(p => p.Key) ?? [])
            .Where(name => before is null ? after[name] is not null : !JsonNode.DeepEquals(before[name], after[name]))
            .Order(StringComparer.Ordinal).ToList();
}

/// <summary>
/// Old slugs of sections, topics, featured lists, tags and authors, as articles keep theirs: a rename retires the old
/// slug, which then answers 301 to the current one, until a resource of that kind takes it again. Staged on the
/// context, saved with the write that renames, so a write that fails leaves the redirects as they were.
/// </summary>
internal static class RetiredSlugs
{
    /// <summary>Moves the resource from one slug to another; the old one keeps answering with a redirect.</summary>
    public static async Task Move(NewsDbContext db, string kind, Guid id, string from, string to, DateTimeOffset at, CancellationToken ct)
    {
        if (from == to)
            return;
        await Take(db, kind, to, ct);
        db.RetiredSlugs.Add(new RetiredSlug { Kind = kind, Slug = from, ResourceId = id, RetiredAt = at });
    }

    /// <summary>A retired slug taken by a resource of its kind stops redirecting.</summary>
    public static async Task Take(NewsDbContext db, string kind, string slug, CancellationToken ct)
    {
        var retired = db.RetiredSlugs.Local.FirstOrDefault(s => s.Kind == kind && s.Slug == slug)
                      ?? await db.RetiredSlugs.FirstOrDefaultAsync(s => s.Kind == kind && s.Slug == slug, ct);
        if (retired is not null)
            db.RetiredSlugs.Remove(retired);
    }

    /// <summary>The current slug of the resource that used to answer at this one, or null (never retired, or the resource is gone).</summary>
    public static async Task<string?> Current(NewsDbContext db, string kind, string slug, CancellationToken ct)
    {
        if (await db.RetiredSlugs.AsNoTracking().Where(s => s.Kind == kind && s.Slug == slug).Select(s => (Guid?)s.ResourceId).FirstOrDefaultAsync(ct) is not { } id)
            return null;
        var current = kind switch
        {
            ResourceKinds.Section => db.Sections.Where(x => x.Id == id).Select(x => x.Slug),
            ResourceKinds.Topic => db.Topics.Where(x => x.Id == id).Select(x => x.Slug),
            ResourceKinds.FeaturedList => db.FeaturedLists.Where(x => x.Id == id).Select(x => x.Slug),
            ResourceKinds.Tag => db.Tags.Where(x => x.Id == id).Select(x => x.Slug),
            ResourceKinds.Author => db.Authors.Where(x => x.Id == id).Select(x => x.Slug),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a kind with retired slugs"),
        };
        return await current.FirstOrDefaultAsync(ct);
    }
}
