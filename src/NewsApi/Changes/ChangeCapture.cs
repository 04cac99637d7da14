using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Changes;

/// <summary>Names of the events the outbox carries; webhooks subscribe to these.</summary>
public static class EventTypes
{
    public const string ArticlePublished = "article.published";
    public const string ArticleUpdated = "article.updated";
    public const string ArticleUnpublished = "article.unpublished";
    public const string ArticleKilled = "article.killed";
    public const string TopicChanged = "topic.changed";
    public const string FeaturedListChanged = "featured-list.changed";
    public const string SectionChanged = "section.changed";

    public static readonly IReadOnlyList<string> All =
        [ArticlePublished, ArticleUpdated, ArticleUnpublished, ArticleKilled, TopicChanged, FeaturedListChanged, SectionChanged];
}

/// <summary>
/// Watches every SaveChanges — editors' writes, imports and the scheduler alike, so none can forget — and adds,
/// in the same transaction, the outbox events for webhooks and the cache tags the change made stale. After the
/// save, this instance evicts those tags at once; other instances learn of them from the table within a second.
/// </summary>
public sealed class ChangeCapture(ICacheEvictor evictor, TimeProvider clock) : SaveChangesInterceptor
{
    // Per context, not AsyncLocal: a value set inside the async SavingChanges would not flow back out to SavedChanges.
    readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbContext, List<string>> _pending = new();
    readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbContext, IReadOnlyCollection<Article>> _copied = new();

    /// <summary>
    /// Saves the context and captures in the same save, as if they had been added to it, articles the caller inserts
    /// outside the change tracker (an import's COPY, in the same transaction) with their tags, authors and topics.
    /// </summary>
    public async Task SaveWith(NewsDbContext db, IReadOnlyCollection<Article> copied, CancellationToken ct)
    {
        _copied.AddOrUpdate(db, copied);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        finally
        {
            _copied.Remove(db);
        }
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData data, InterceptionResult<int> result, CancellationToken ct = default)
    {
        if (data.Context is NewsDbContext db)
            await Capture(db, ct);
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData data, InterceptionResult<int> result)
    {
        if (data.Context is NewsDbContext db)
            Capture(db, default).GetAwaiter().GetResult();
        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData data, int result, CancellationToken ct = default)
    {
        await Evict(data.Context);
        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData data, int result)
    {
        Evict(data.Context).GetAwaiter().GetResult();
        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData data)
    {
        if (data.Context is { } context)
            _pending.Remove(context);
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData data, CancellationToken ct = default)
    {
        SaveChangesFailed(data);
        return Task.CompletedTask;
    }

    async Task Evict(DbContext? context)
    {
        if (context is null || !_pending.TryGetValue(context, out var tags))
            return;
        _pending.Remove(context);
        await evictor.EvictAsync(tags);
    }

    async Task Capture(NewsDbContext db, CancellationToken ct)
    {
        db.ChangeTracker.DetectChanges();
        var now = clock.GetUtcNow();
        var tags = new HashSet<string>();
        var events = new List<OutboxEvent>();
        var topics = new HashSet<Guid>();
        var lists = new HashSet<Guid>();

        var changes = db.ChangeTracker.Entries().Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .Select(e => (e.Entity, e.State, Entry: (EntityEntry?)e)).ToList();
        if (_copied.TryGetValue(db, out var copied))
            changes.AddRange(copied.SelectMany(a => new object[] { a }.Concat(a.Tags).Concat(a.Authors).Concat(a.Topics))
                .Select(e => (e, EntityState.Added, (EntityEntry?)null)));

        foreach (var (entity, state, entry) in changes)
        {
            switch (entity)
            {
                case Article article:
                    ArticleChanged(state, entry, article, tags, events, now);
                    break;
                case ArticleTag or ArticleAuthor:
                    tags.UnionWith([CacheTags.ArticleLists, CacheTags.Feeds, CacheTags.Articles]);
                    break;
                case TopicArticle member:
                    topics.Add(member.TopicId);
                    tags.Add(CacheTags.ArticleLists);
                    break;
                case Topic topic:
                    topics.Add(topic.Id);
                    break;
                case FeaturedListEntry featured:
                    lists.Add(featured.ListId);
                    break;
                case FeaturedList list:
                    lists.Add(list.Id);
                    break;
                case Section section:
                    tags.UnionWith([CacheTags.Sections, CacheTags.ArticleLists, CacheTags.FeaturedLists, CacheTags.Feeds, CacheTags.Sitemaps]);
                    events.Add(Event(EventTypes.SectionChanged, $"section:{section.Slug}", new JsonObject
                    {
                        ["slug"] = section.Slug, ["name"] = section.Name, ["change"] = state.ToString().ToLowerInvariant(),
                    }, now));
                    break;
                case Tag or Author:
                    // Names of tags and authors appear inside article responses everywhere.
                    tags.Add(CacheTags.All);
                    break;
            }
        }

        if (topics.Count > 0)
        {
            tags.UnionWith([CacheTags.Topics, CacheTags.Feeds]);
            foreach (var topic in await Slugs(db, db.Topics, topics, ct))
                events.Add(Event(EventTypes.TopicChanged, $"topic:{topic}", new JsonObject { ["slug"] = topic }, now));
        }
        if (lists.Count > 0)
        {
            tags.UnionWith([CacheTags.FeaturedLists, CacheTags.Feeds]);
            foreach (var list in await Slugs(db, db.FeaturedLists, lists, ct))
                events.Add(Event(EventTypes.FeaturedListChanged, $"featured-list:{list}", new JsonObject { ["slug"] = list }, now));
        }
        if (tags.Count == 0 && events.Count == 0)
            return;

        db.OutboxEvents.AddRange(events);
        if (tags.Count > 0)
            db.CacheInvalidations.Add(new CacheInvalidation { Tags = tags.Order().ToList(), At = now });
        _pending.AddOrUpdate(db, [.. tags]);
    }

    // entry gives the original values of a modified or deleted article; it is null for one added outside the tracker.
    static void ArticleChanged(EntityState state, EntityEntry? entry, Article article, HashSet<string> tags, List<OutboxEvent> events, DateTimeOffset now)
    {
        tags.UnionWith([CacheTags.Article(article.Id), CacheTags.ArticleSlug(article.Slug), CacheTags.ArticleLists, CacheTags.Topics, CacheTags.FeaturedLists, CacheTags.Feeds, CacheTags.Sitemaps, CacheTags.Search]);
        if (state == EntityState.Modified && entry!.Property(nameof(Article.Slug)).OriginalValue is string oldSlug)
            tags.Add(CacheTags.ArticleSlug(oldSlug));

        var before = state == EntityState.Added ? (ArticleStatus?)null : (ArticleStatus)entry!.Property(nameof(Article.Status)).OriginalValue!;
        var after = state == EntityState.Deleted ? (ArticleStatus?)null : article.Status;
        var type = (before, after) switch
        {
            (not ArticleStatus.Published, ArticleStatus.Published) => EventTypes.ArticlePublished,
            (not ArticleStatus.Killed, ArticleStatus.Killed) => EventTypes.ArticleKilled,
            (ArticleStatus.Published, not ArticleStatus.Published) => EventTypes.ArticleUnpublished,
            (ArticleStatus.Published, ArticleStatus.Published) => EventTypes.ArticleUpdated,
            _ => null,
        };
        if (type is null)
            return;
        events.Add(Event(type, $"article:{article.Id}", new JsonObject
        {
            ["id"] = article.Id.ToString(),
            ["slug"] = article.Slug,
            ["title"] = article.Title,
            ["status"] = article.Status.ToString().ToLowerInvariant(),
            ["publishedAt"] = article.PublishedAt,
            ["updatedAt"] = article.UpdatedAt,
            ["reason"] = type == EventTypes.ArticleKilled ? article.KillReason : null,
        }, now));
    }

    static OutboxEvent Event(string type, string subject, JsonObject data, DateTimeOffset now) =>
        new() { Type = type, Subject = subject, Data = data, At = now };

    static async Task<List<string>> Slugs<T>(NewsDbContext db, DbSet<T> set, HashSet<Guid> ids, CancellationToken ct) where T : class
    {
        // Tracked (possibly deleted) rows first, then the rest from the database.
        var tracked = db.ChangeTracker.Entries<T>().Where(e => ids.Contains((Guid)e.Property("Id").CurrentValue!))
            .Select(e => (Id: (Guid)e.Property("Id").CurrentValue!, Slug: (string)e.Property("Slug").CurrentValue!)).ToList();
        var missing = ids.Except(tracked.Select(t => t.Id)).ToList();
        var stored = missing.Count == 0 ? [] : await set.AsNoTracking().Where(x => missing.Contains(EF.Property<Guid>(x, "Id")))
            .Select(x => EF.Property<string>(x, "Slug")).ToListAsync(ct);
        return tracked.Select(t => t.Slug).Concat(stored).Distinct().ToList();
    }
}

/// <summary>Evicts tagged responses from this instance's response cache.</summary>
public interface ICacheEvictor
{
    Task EvictAsync(IReadOnlyCollection<string> tags);
}
