using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using NewsApi.Content;
using NewsApi.Data;
using NewsApi.Data.Entities;
using NewsApi.Reads;
using NewsApi.Search;
using NewsApi.Sync;

namespace NewsApi.Changes;

/// <summary>
/// Records, in the transaction of the write itself, what the write changed: the outbox events for webhooks, the cache
/// tags it made stale, the articles queued for the search index, public documents and revisions. One set of rules for both ways rows reach the
/// database: <see cref="Tracked"/> for a SaveChanges (called by <see cref="ChangeCapture"/>, so no save can forget it),
/// and <see cref="SaveAndCopy"/> for an import batch, whose save is decided together with the articles it COPYs.
/// </summary>
internal sealed class ChangeRecorder(Invalidations invalidations, ReadModel reads, TimeProvider clock)
{
    // The articles an import batch COPYs after its save, for the length of that save only, so the save's one decision
    // covers them: a batch that creates and updates records each event and each invalidation once.
    readonly ConditionalWeakTable<DbContext, IReadOnlyCollection<Article>> _copying = new();

    // The articles of that save whose publish and update events are left out (an archive migrated without ?notify=true):
    // their cache tags, search rows and documents are recorded as for any other save, only receivers are not told.
    readonly ConditionalWeakTable<DbContext, IReadOnlySet<Guid>> _quiet = new();

    /// <summary>What the rules below made of a set of changes.</summary>
    sealed record Record(HashSet<string> Tags, List<OutboxEvent> Events, List<Article> Searched, Rendering Rendering, Synced Synced);

    /// <summary>What a save still owes once its rows are written: the documents to render, the sync log's rows, and the tags to evict.</summary>
    public sealed record Outcome(IReadOnlyCollection<string> Tags, Rendering Rendering, Synced Synced, IReadOnlyCollection<Guid> Bodies)
    {
        /// <summary>Whether the rest must be written in the save's transaction.</summary>
        public bool Owes => Rendering.Any || Synced.Any || Bodies.Count > 0;
    }

    /// <summary>
    /// The sections, tags, authors, topics and featured lists a save changed, for the sync log (articles are logged
    /// when their documents are rendered). A changed section logs every section: each shows its relatives by name.
    /// </summary>
    public sealed record Synced(HashSet<(string Type, Guid Id)> Things)
    {
        public bool Sections { get; set; }
        public bool Any => Things.Count > 0;
    }

    /// <summary>The public documents of these articles, and of every article embedding one of the refs (sections, tags, authors, topics).</summary>
    public sealed record Rendering(HashSet<Guid> Articles, HashSet<Guid> Refs)
    {
        public bool Any => Articles.Count > 0 || Refs.Count > 0;
    }

    /// <summary>
    /// The EF path, from inside SaveChanges: adds the events, the invalidation and the search queue's entries to the save, and
    /// returns what <see cref="Saved"/> must do once the rows are written, in the same transaction.
    /// </summary>
    public async Task<Outcome> Tracked(NewsDbContext db, CancellationToken ct)
    {
        db.ChangeTracker.DetectChanges();
        var copied = _copying.TryGetValue(db, out var coming) ? coming : [];
        var changes = db.ChangeTracker.Entries().Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .Select(e => (e.Entity, e.State, Entry: (EntityEntry?)e))
            .Concat(copied.SelectMany(a => new object[] { a }.Concat(a.Tags).Concat(a.Authors).Concat(a.Topics))
                .Select(e => (Entity: e, State: EntityState.Added, Entry: (EntityEntry?)null)))
            .ToList();
        var record = await Decide(db, changes, ct);
        var quiet = _quiet.TryGetValue(db, out var silenced) ? silenced.Select(id => $"article:{id}").ToHashSet() : [];
        // Only the news that a story is live (or changed while live) is held back: receivers still learn that one they may hold came down.
        db.OutboxEvents.AddRange(record.Events.Where(e => !(quiet.Contains(e.Subject) && e.Type is EventTypes.ArticlePublished or EventTypes.ArticleUpdated or EventTypes.ArticleCorrected)));
        if (record.Tags.Count > 0)
            db.CacheInvalidations.Add(invalidations.Row(record.Tags));
        // The copied articles' entries follow their COPY, by COPY too.
        SearchQueue.Add(db, record.Searched.Except(copied).Select(a => a.Id));
        // ...and their documents their COPY too.
        record.Rendering.Articles.ExceptWith(copied.Select(a => a.Id));
        // Articles whose stored body this save replaces or deletes: the revisions sharing it get their own copy first.
        var bodies = changes.Where(c => c.Entity is Article && c.Entry is { } e
                && (c.State == EntityState.Deleted || c.State == EntityState.Modified && e.Property(nameof(Article.Body)).IsModified))
            .Select(c => ((Article)c.Entity).Id).ToList();
        return new Outcome(record.Tags, record.Rendering, record.Synced, bodies);
    }

    /// <summary>
    /// Copies the stored body of these articles into each of their revisions that shares it (body null: see
    /// <see cref="ArticleRevision.Snapshot"/>), before the save that replaces or deletes it, in its transaction. The body
    /// is taken from the row as it is, never from what this context read: should another write have changed the article
    /// meanwhile, the copy is still the body those revisions recorded, and this save fails on the article's version.
    /// </summary>
    public static Task Unshare(NewsDbContext db, IReadOnlyCollection<Guid> articles, CancellationToken ct) =>
        db.Database.ExecuteSqlRawAsync("""
            UPDATE article_revisions r SET snapshot = jsonb_set(r.snapshot, ARRAY['body'], a.body)
            FROM articles a
            WHERE a.id = r.article_id AND r.article_id = ANY({0}) AND jsonb_typeof(r.snapshot -> 'body') IS DISTINCT FROM 'array'
            """, [articles.ToArray()], ct);

    /// <summary>After the save wrote its rows, in its transaction: renders the public documents the change touched and logs what sync reports.</summary>
    public async Task Saved(NewsDbContext db, Outcome outcome, CancellationToken ct)
    {
        if (outcome.Rendering.Any)
            await reads.Refresh(db, outcome.Rendering.Articles, outcome.Rendering.Refs, ct);
        if (outcome.Synced.Any)
        {
            var things = outcome.Synced.Things;
            await using var connection = await OpenConnection.Of(db, ct);
            await using var batch = new Npgsql.NpgsqlBatch(connection.Value)
            {
                BatchCommands = { SyncLog.Things(things.Select(t => t.Type).ToArray(), things.Select(t => t.Id).ToArray(), clock.GetUtcNow(), outcome.Synced.Sections) },
            };
            await batch.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>
    /// An import batch: saves the tracked changes (updated articles, created sections, tags and authors) with one
    /// decision that also covers <paramref name="copied"/>; then <paramref name="copy"/> writes those articles with
    /// their tags, authors and topic memberships (they refer to what the save created), and their first revisions
    /// and search queue entries follow by COPY, in the same transaction. The articles in <paramref name="quiet"/> raise no events.
    /// </summary>
    public async Task SaveAndCopy(NewsDbContext db, IReadOnlyCollection<Article> copied, IReadOnlyCollection<ArticleRevision> firstRevisions,
        Func<Task> copy, IReadOnlySet<Guid> quiet, CancellationToken ct)
    {
        _copying.AddOrUpdate(db, copied);
        _quiet.AddOrUpdate(db, quiet);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        finally
        {
            _copying.Remove(db);
            _quiet.Remove(db);
        }
        if (copied.Count == 0)
            return;
        await copy();
        foreach (var revision in firstRevisions)
            revision.Number = 1;
        await db.Insert(firstRevisions, ct);
        await SearchQueue.Copy(db, copied.Select(a => a.Id), ct);
        await reads.Refresh(db, copied.Where(a => ReadModel.HasRow(a.Status)).Select(a => a.Id).ToList(), [], ct);
    }

    /// <summary>
    /// Adds revisions of articles changed in this context to its next save, each numbered after its article's last
    /// (one query for all). Two saves that numbered alike collide on the key: the article changed under one of them.
    /// </summary>
    public static async Task Revise(NewsDbContext db, IReadOnlyCollection<ArticleRevision> revisions, CancellationToken ct)
    {
        var ids = revisions.Select(r => r.ArticleId).Distinct().ToList();
        var last = await db.ArticleRevisions.Where(r => ids.Contains(r.ArticleId)).GroupBy(r => r.ArticleId)
            .Select(g => new { g.Key, Last = g.Max(r => r.Number) }).ToDictionaryAsync(x => x.Key, x => x.Last, ct);
        foreach (var revision in revisions)
        {
            revision.Number = last[revision.ArticleId] = last.GetValueOrDefault(revision.ArticleId) + 1;
            db.ArticleRevisions.Add(revision);
        }
    }


    /// <summary>The events, cache tags and search queue entries a set of changed rows calls for, whichever way they were written.</summary>
    async Task<Record> Decide(NewsDbContext db, List<(object Entity, EntityState State, EntityEntry? Entry)> changes, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var tags = new HashSet<string>();
        var events = new List<OutboxEvent>();
        var searched = new List<Article>();
        var topics = new HashSet<Guid>();
        var lists = new HashSet<Guid>();
        var rendering = new Rendering([], []);
        var synced = new Synced([]);

        foreach (var (entity, state, entry) in changes)
        {
            switch (entity)
            {
                case Article article:
                    ArticleChanged(state, entry, article, tags, events, now);
                    if (entry is null || SearchQueue.Follows(entry))
                        searched.Add(article);
                    if (ReadModel.HasRow(article.Status) || entry is not null && ReadModel.HasRow((ArticleStatus)entry.Property(nameof(Article.Status)).OriginalValue!))
                        rendering.Articles.Add(article.Id);
                    break;
                // Whether the public may see an asset's renditions: its own fields (public, expiry, focal point) and
                // which articles use it. An article's own change evicts it by the article's tag (RenditionCache).
                case Asset asset:
                    tags.Add(CacheTags.Asset(asset.Id));
                    break;
                case ArticleAsset use:
                    tags.Add(CacheTags.Asset(use.AssetId));
                    break;
                case ArticleTag or ArticleAuthor:
                    tags.UnionWith([CacheTags.ArticleLists, CacheTags.Feeds]);
                    rendering.Articles.Add(entity is ArticleTag tagged ? tagged.ArticleId : ((ArticleAuthor)entity).ArticleId);
                    break;
                case TopicArticle member:
                    topics.Add(member.TopicId);
                    synced.Things.Add((SyncLog.Topic, member.TopicId));
                    tags.Add(CacheTags.ArticleLists);
                    rendering.Articles.Add(member.ArticleId);
                    break;
                case Topic topic:
                    topics.Add(topic.Id);
                    synced.Things.Add((SyncLog.Topic, topic.Id));
                    rendering.Refs.Add(topic.Id);
                    break;
                case FeaturedListEntry featured:
                    lists.Add(featured.ListId);
                    synced.Things.Add((SyncLog.FeaturedList, featured.ListId));
                    break;
                case FeaturedList list:
                    lists.Add(list.Id);
                    synced.Things.Add((SyncLog.FeaturedList, list.Id));
                    break;
                case Section section:
                    rendering.Refs.Add(section.Id);
                    synced.Things.Add((SyncLog.Section, section.Id));
                    synced.Sections = true;
                    tags.UnionWith([CacheTags.Sections, CacheTags.ArticleLists, CacheTags.FeaturedLists, CacheTags.Feeds, CacheTags.Sitemaps]);
                    events.Add(Event(EventTypes.SectionChanged, $"section:{section.Slug}", new JsonObject
                    {
                        ["slug"] = section.Slug, ["name"] = section.Name, ["change"] = state.ToString().ToLowerInvariant(),
                    }, now));
                    break;
                case Tag tag:
                    // Names of tags and authors appear inside article responses everywhere.
                    tags.Add(CacheTags.All);
                    rendering.Refs.Add(tag.Id);
                    synced.Things.Add((SyncLog.Tag, tag.Id));
                    events.Add(Event(EventTypes.TagChanged, $"tag:{tag.Slug}", Named(tag.Slug, tag.Name, state, entry), now));
                    break;
                case Author author:
                    tags.Add(CacheTags.All);
                    rendering.Refs.Add(author.Id);
                    synced.Things.Add((SyncLog.Author, author.Id));
                    events.Add(Event(EventTypes.AuthorChanged, $"author:{author.Slug}", Named(author.Slug, author.Name, state, entry), now));
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
        return new Record(tags, events, searched, rendering, synced);
    }

    // entry gives the original values of a modified or deleted article; it is null for one added outside the tracker.
    static void ArticleChanged(EntityState state, EntityEntry? entry, Article article, HashSet<string> tags, List<OutboxEvent> events, DateTimeOffset now)
    {
        tags.UnionWith([CacheTags.Article(article.Id), CacheTags.ArticleSlug(article.Slug), CacheTags.ArticleLists, CacheTags.Topics, CacheTags.FeaturedLists, CacheTags.Feeds, CacheTags.Sitemaps, CacheTags.Search]);
        if (state == EntityState.Modified && entry!.Property(nameof(Article.Slug)).OriginalValue is string oldSlug)
            tags.Add(CacheTags.ArticleSlug(oldSlug));

        var before = state == EntityState.Added ? (ArticleStatus?)null : (ArticleStatus)entry!.Property(nameof(Article.Status)).OriginalValue!;
        var embargoBefore = state == EntityState.Added ? null : (DateTimeOffset?)entry!.Property(nameof(Article.EmbargoUntil)).OriginalValue;
        var after = state == EntityState.Deleted ? (ArticleStatus?)null : article.Status;

        // Whether the public could ever read it, by the reads' own rule at this instant, before or after the change
        // (a kill in the seconds between an embargo's end and the scheduler's clearing it still counts).
        if (article.FirstPublicAt is null && after is not null
            && (article.IsPublicAt(now) || before == ArticleStatus.Published && (embargoBefore is null || embargoBefore <= now)))
        {
            var since = PublicSince(article.PublishedAt, article.EmbargoUntil ?? embargoBefore, now);
            // Through the entry when tracked: imports save with change detection off.
            if (entry is null)
                article.FirstPublicAt = since;
            else
                entry.Property(nameof(Article.FirstPublicAt)).CurrentValue = since;
        }

        var type = (Announced(before, embargoBefore), Announced(after, article.EmbargoUntil)) switch
        {
            (false, true) => EventTypes.ArticlePublished,
            (true, true) => EventTypes.ArticleUpdated,
            (true, false) => after == ArticleStatus.Killed ? EventTypes.ArticleKilled : EventTypes.ArticleUnpublished,
            // Receivers may still hold a story that was public once and taken down since: they learn of its kill.
            (false, false) when after == ArticleStatus.Killed && before != ArticleStatus.Killed && article.FirstPublicAt is not null => EventTypes.ArticleKilled,
            _ => null,
        };
        if (type is null)
            return;
        events.Add(Event(type, $"article:{article.Id}", Facts(article, type, embargoBefore), now));

        // Readers who saw the story learn that its record changed: the notices added or edited since, by the same rule.
        if (type == EventTypes.ArticleUpdated && entry!.Property(nameof(Article.Notices)).OriginalValue is List<Notice> noticesBefore
            && article.Notices.Except(noticesBefore).ToList() is { Count: > 0 } changed)
        {
            var facts = Facts(article, EventTypes.ArticleCorrected, embargoBefore);
            facts["notices"] = new JsonArray(changed.Select(n => (JsonNode)new JsonObject
            {
                ["type"] = n.Type, ["text"] = n.Text, ["at"] = n.At,
            }).ToArray());
            events.Add(Event(EventTypes.ArticleCorrected, $"article:{article.Id}", facts, now));
        }
    }

    static JsonObject Facts(Article article, string type, DateTimeOffset? embargoBefore) => new()
    {
        ["id"] = article.Id.ToString(),
        ["slug"] = article.Slug,
        ["title"] = article.Title,
        ["status"] = article.Status.ToString().ToLowerInvariant(),
        ["publishedAt"] = article.PublishedAt,
        ["updatedAt"] = article.UpdatedAt,
        // The embargo the event is about: the one that has just ended for a publish (the scheduler clears it), the
        // one that now hides the article for an unpublish.
        ["embargoUntil"] = article.EmbargoUntil ?? (type == EventTypes.ArticlePublished ? embargoBefore : null),
        ["reason"] = type == EventTypes.ArticleKilled ? article.KillReason : null,
    };

    /// <summary>
    /// Whether receivers of public events have been told the article is live: it is published with no embargo left.
    /// Events follow this, not the status field. An ended embargo counts until the scheduler clears it, and that save
    /// is the one that announces the article, so an embargo's end is one article.published and nothing the public
    /// cannot read (an edit while embargoed, scheduled or unpublished) reaches a receiver.
    /// </summary>
    static bool Announced(ArticleStatus? status, DateTimeOffset? embargoUntil) => status == ArticleStatus.Published && embargoUntil is null;

    /// <summary>When the public could first read it: the later of going live and the embargo's end, never after now.</summary>
    static DateTimeOffset PublicSince(DateTimeOffset? publishedAt, DateTimeOffset? embargoUntil, DateTimeOffset now)
    {
        var since = embargoUntil is { } e && (publishedAt is null || e > publishedAt) ? e : publishedAt;
        return since is { } at && at <= now ? at : now;
    }

    /// <summary>A named resource's event: its slug and name now, what happened to it, and the slug it had when a rename moved it.</summary>
    static JsonObject Named(string slug, string name, EntityState state, EntityEntry? entry) => new()
    {
        ["slug"] = slug, ["name"] = name, ["change"] = state.ToString().ToLowerInvariant(),
        ["previousSlug"] = state == EntityState.Modified && entry!.Property("Slug").OriginalValue is string old && old != slug ? old : null,
    };

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
