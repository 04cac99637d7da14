using Microsoft.EntityFrameworkCore;
using NewsApi.Articles;
using NewsApi.Changes;
using NewsApi.Content;
using NewsApi.Data;
using NewsApi.Data.Entities;
using Npgsql;

namespace NewsApi.Import;

/// <summary>
/// Upserts a batch of items by externalId in one transaction, by the article rules (<see cref="ArticleFields"/>,
/// <see cref="ArticleLifecycle"/>, <see cref="ArticleWriter"/>) but a batch at a time: one query finds the batch's
/// articles, references come from <see cref="ImportReferences"/>, changes are saved with one SaveChanges and new
/// articles are inserted with COPY. An item identical to its article writes nothing: no revision, no updatedAt.
/// </summary>
internal sealed class ImportWriter(NewsDbContext db, ArticleWriter articles, ImportChecks checks, ImportReferences references,
    ChangeRecorder changes, TimeProvider clock, string actor, bool notify = false)
{
    public const int MaxTopics = 30;

    /// <summary>Tries a batch gets when it collides with a concurrent write (see <see cref="Write"/>).</summary>
    const int Attempts = 3;
    const string Savepoint = "import_batch";
    readonly ImportStamps _stamps = new();

    sealed record Stored(Guid Id, string ExternalId, string? ImportHash, long? ImportVersion, DateTimeOffset UpdatedAt);

    sealed record Pending(int Index, ParsedItem Parsed, ImportItem Item, byte[] Hash, Stored? Stored)
    {
        public string Slug { get; set; } = "";
    }

    /// <summary>
    /// Writes a batch and returns one result per item, in order. Without a transaction of its own it runs in the
    /// caller's. A batch that collides with another request writing the same story, slug or tag (a unique violation,
    /// raised once that request committed; or a deadlock) is rolled back and written again: it then finds what the
    /// other request stored, and reports those items updated or unchanged.
    /// </summary>
    public async Task<ImportResult[]> Write(IReadOnlyList<ParsedItem> batch, bool ownTransaction)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await Attempt(batch, ownTransaction);
            }
            catch (Exception e)
            {
                // What this request looked up or created may have been rolled back with the batch (and must not be
                // audited as created), whether it is written again or reported failed.
                db.ChangeTracker.Clear();
                references.Clear();
                if (attempt >= Attempts || !Collided(e))
                    throw;
            }
        }
    }

    /// <summary>The addresses of the sections, tags and authors the batches written since the last call created.</summary>
    public IReadOnlyList<string> Created() => references.TakeCreated();

    // A topic the batch's stories join or leave is not locked: an editor's write to it in the meantime moves its ETag.
    static bool Collided(Exception e) => e is DbUpdateConcurrencyException || (e as PostgresException ?? e.InnerException as PostgresException)?.SqlState
        is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected;

    async Task<ImportResult[]> Attempt(IReadOnlyList<ParsedItem> batch, bool ownTransaction)
    {
        // A batch is written whole or not at all, even when the client goes away meanwhile: no cancellation here.
        var ct = CancellationToken.None;
        var now = clock.GetUtcNow();
        var results = new ImportResult[batch.Count];

        var pending = await Screen(batch, results, ct);
        if (pending.Count == 0)
            return results;

        await using (var transaction = ownTransaction ? await db.Database.BeginTransactionAsync(ct) : null)
        {
            // Within the caller's transaction only this batch is undone when it must be written again.
            if (transaction is null)
                await db.Database.CurrentTransaction!.CreateSavepointAsync(Savepoint, ct);
            try
            {
                await Change(pending, results, now, ct);
            }
            catch when (transaction is null)
            {
                await db.Database.CurrentTransaction!.RollbackToSavepointAsync(Savepoint, ct);
                throw;
            }
            if (transaction is not null)
                await transaction.CommitAsync(ct);
        }
        // Keep the looked-up sections, tags and authors tracked for the next batch; let go of everything else.
        foreach (var entry in db.ChangeTracker.Entries().Where(e => e.Entity is not (Section or Tag or Author)).ToList())
            entry.State = EntityState.Detached;
        return results;
    }

    /// <summary>Writes the screened items, in the batch's transaction.</summary>
    async Task Change(List<Pending> pending, ImportResult[] results, DateTimeOffset now, CancellationToken ct)
    {
        await references.Resolve(pending.Select(p => p.Parsed).ToList(), ct);
        pending.RemoveAll(p =>
        {
            var missing = references.Missing(p.Item);
            if (missing.Count > 0)
                results[p.Index] = Result(p, ImportOutcomes.Invalid, p.Stored?.Id, missing);
            return missing.Count > 0;
        });
        var assets = await Assets(pending, results, ct);

        var updateIds = pending.Where(p => p.Stored is not null).Select(p => p.Stored!.Id).ToList();
        // Locked until the batch commits, so that a concurrent request editing the same stories waits, then reads them
        // (and their last revision number) as this batch left them, instead of both taking the same next revision.
        await ArticleLocks.Lock(db, updateIds, ct);
        var stored = updateIds.Count == 0 ? [] : await db.Articles
            .Include(a => a.Section).Include(a => a.Authors).ThenInclude(x => x.Author).Include(a => a.Tags).ThenInclude(x => x.Tag)
            .AsSplitQuery().Where(a => updateIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, ct);
        var memberships = updateIds.Count == 0 || pending.All(p => p.Item.Topics is null) ? [] : await db.TopicArticles
            .Where(m => updateIds.Contains(m.ArticleId)).ToListAsync(ct);

        await AssignSlugs(pending, stored, results, ct);

        // An archive's stories were announced by the CMS they come from: without ?notify=true they raise no events.
        var quiet = notify ? new HashSet<Guid>() : pending.Where(p => results[p.Index] is null && p.Item.Historic && p.Stored is not null).Select(p => p.Stored!.Id).ToHashSet();
        var created = new List<Article>();
        var firstRevisions = new List<ArticleRevision>();
        var revisions = new List<ArticleRevision>();
        foreach (var p in pending.Where(p => results[p.Index] is null))
        {
            var normalised = articles.Normalise(articles.WithAssets(assets, p.Item.Content)) with { Slug = p.Slug };
            if (p.Stored is null)
            {
                var article = await Create(p, normalised, now, ct);
                if (!notify && p.Item.Historic)
                    quiet.Add(article.Article.Id);
                created.Add(article.Article);
                firstRevisions.Add(article.Revision);
                results[p.Index] = Result(p, ImportOutcomes.Created, article.Article.Id);
                continue;
            }
            var existing = stored[p.Stored.Id];
            if (ArticleLifecycle.Frozen(existing) is { } frozen)
            {
                results[p.Index] = Result(p, ImportOutcomes.Invalid, existing.Id, new Dictionary<string, string[]> { ["externalId"] = [frozen.Detail] });
                continue;
            }
            var usedAssets = AssetReferences.Ids(ArticleFields.Of(existing)).Any() || AssetReferences.Ids(normalised).Any();
            if (await Update(p, existing, normalised, memberships.Where(m => m.ArticleId == existing.Id).ToList(), now, ct) is { } revision)
            {
                if (usedAssets)
                    await AssetReferences.Record(db, existing, ct);
                revisions.Add(revision);
                results[p.Index] = Result(p, ImportOutcomes.Updated, existing.Id);
            }
            else
                results[p.Index] = Result(p, ImportOutcomes.Unchanged, existing.Id);
        }
        if (revisions.Count > 0)
            await ChangeRecorder.Revise(db, revisions, ct);
        await ReviseTopics(created, now, ct);
        await Save(created, firstRevisions, quiet, ct);
    }

    /// <summary>
    /// The assets the batch's items use, in one query (the validator has seen that they exist); an item that would be
    /// published or scheduled with one lacking alt text is refused, as a publish is.
    /// </summary>
    async Task<Dictionary<Guid, Asset>> Assets(List<Pending> pending, ImportResult[] results, CancellationToken ct)
    {
        var ids = pending.SelectMany(p => AssetReferences.Ids(p.Item.Content)).Distinct().ToList();
        if (ids.Count == 0)
            return [];
        var assets = await db.Assets.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, ct);
        pending.RemoveAll(p =>
        {
            var lacking = ImportStatuses.Wanted(p.Item.Status) is ArticleStatus.Published or ArticleStatus.Scheduled
                ? AssetReferences.Ids(p.Item.Content).Where(id => assets.TryGetValue(id, out var a) && string.IsNullOrEmpty(a.Alt)).ToList()
                : [];
            if (lacking.Count > 0)
                results[p.Index] = Result(p, ImportOutcomes.Invalid, p.Stored?.Id, new Dictionary<string, string[]> { ["alt"] = [AssetReferences.AltMissing(lacking)] });
            return lacking.Count > 0;
        });
        return assets;
    }

    /// <summary>Answers the items that need no write (unreadable, older, identical by hash, invalid); returns the rest.</summary>
    async Task<List<Pending>> Screen(IReadOnlyList<ParsedItem> batch, ImportResult[] results, CancellationToken ct)
    {
        // A key holding NUL cannot even be looked up (PostgreSQL refuses it as a parameter); its item is refused below.
        var keys = batch.Select(p => p.Item?.ExternalId).OfType<string>().Where(Api.XmlChars.IsCarried).Distinct().ToList();
        var stored = keys.Count == 0 ? [] : await Find(keys, ct);

        var pending = new List<Pending>();
        for (var i = 0; i < batch.Count; i++)
        {
            var parsed = batch[i];
            if (parsed.Item is not { } item)
            {
                results[i] = new(parsed.Line, parsed.ExternalId, null, ImportOutcomes.Invalid, parsed.Errors);
                continue;
            }
            var existing = item.ExternalId is { } key ? stored.GetValueOrDefault(key) : null;
            if (existing is not null && item.Version is { } version && existing.ImportVersion is { } current && version < current)
            {
                results[i] = new(parsed.Line, item.ExternalId, existing.Id, ImportOutcomes.Unchanged,
                    Note: $"Version {version} is older than version {current}, imported already: nothing was changed.");
                continue;
            }
            var hash = _stamps.Hash(item);
            if (existing is not null && ImportStamps.Matches(existing.ImportHash, hash, item, existing.UpdatedAt))
            {
                results[i] = new(parsed.Line, item.ExternalId, existing.Id, ImportOutcomes.Unchanged, Note: parsed.Note);
                continue;
            }
            var errors = await checks.Of(item, ct);
            if (errors.Count > 0)
            {
                results[i] = new(parsed.Line, item.ExternalId, existing?.Id, ImportOutcomes.Invalid, errors);
                continue;
            }
            pending.Add(new(i, parsed, item, hash, existing));
        }
        return pending;
    }

    // EF's keys.Contains(a.ExternalId) adds an arm for a null key (OR external_id IS NULL AND …), which the partial
    // unique index cannot answer: its plan then swung from an index lookup to a scan with the table's statistics.
    // Written plainly it is one lookup on ix_articles_external_id, whatever autovacuum has analysed.
    const string FindSql = "SELECT id, external_id, import_hash, import_version, updated_at FROM articles WHERE external_id = ANY($1)";

    /// <summary>The stored articles of these externalIds (compared exactly, as the unique index does), by externalId.</summary>
    async Task<Dictionary<string, Stored>> Find(List<string> keys, CancellationToken ct)
    {
        await using var connection = await OpenConnection.Of(db, ct);
        await using var command = new NpgsqlCommand(FindSql, connection.Value) { Parameters = { new() { Value = keys.ToArray() } } };
        await using var reader = await command.ExecuteReaderAsync(ct);
        var stored = new Dictionary<string, Stored>(keys.Count);
        while (await reader.ReadAsync(ct))
        {
            var key = reader.GetString(1);
            stored[key] = new(reader.GetGuid(0), key, reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetInt64(3), reader.GetFieldValue<DateTimeOffset>(4));
        }
        return stored;
    }

    /// <summary>A new article from the item (not yet inserted: the batch COPYs its new articles) and its first revision.</summary>
    async Task<(Article Article, ArticleRevision Revision)> Create(Pending p, ArticleContent normalised, DateTimeOffset now, CancellationToken ct)
    {
        var item = p.Item;
        // PostgreSQL stores UTC only: an offset such as +08:00 is converted, never refused at the save.
        var updated = item.UpdatedAt?.ToUniversalTime() ?? now;
        var article = new Article { Slug = p.Slug, Title = normalised.Title, CreatedAt = now, UpdatedAt = updated, ImportVersion = item.Version };
        Copy(article, normalised);
        var fields = ArticleFields.Changed(null, ArticleFields.Of(article));
        fields.AddRange(Settle(article, item, now));
        if (item.Topics is { Count: > 0 })
        {
            foreach (var topic in item.Topics)
                article.Topics.Add(await references.Member(references.Topic(topic), article.Id, ct));
            fields.Add("topics");
        }
        article.ImportHash = ImportStamps.Of(p.Hash, updated);
        return (article, ArticleWriter.Revision(article, now, actor, new("created", fields)));
    }

    /// <summary>Brings a stored article to the item; returns its revision, or null when the item changes nothing.</summary>
    async Task<ArticleRevision?> Update(Pending p, Article existing, ArticleContent normalised, List<TopicArticle> current, DateTimeOffset now, CancellationToken ct)
    {
        var item = p.Item;
        var wanted = ImportStatuses.Wanted(item.Status);
        var before = ArticleFields.Of(existing);
        // An import item has no related stories: the editors' choice stays as it is.
        normalised = normalised with { Related = before.Related };
        var changed = ArticleFields.Changed(before, normalised);
        var topicsChange = item.Topics is not null && !current.Select(m => m.TopicId).ToHashSet().SetEquals(item.Topics.Select(references.Topic));
        var statusChange = item.Historic
            ? ArticleLifecycle.Restore(Clone(existing), wanted!.Value, item.PublishedAt, item.FirstPublishedAt, now).Count > 0
            : ArticleLifecycle.Differs(existing, wanted, item.PublishAt, now);
        if (changed.Count == 0 && !statusChange && !topicsChange)
            return null;
        await articles.ChangeSlug(existing, p.Slug, ct);
        Copy(existing, normalised);
        changed.AddRange(Settle(existing, item, now));
        if (topicsChange)
        {
            await Join(existing.Id, item.Topics!, current, ct);
            changed.Add("topics");
        }
        existing.UpdatedAt = item.UpdatedAt?.ToUniversalTime() ?? now;
        existing.ImportVersion = item.Version ?? existing.ImportVersion;
        existing.ImportHash = ImportStamps.Of(p.Hash, existing.UpdatedAt);
        return ArticleWriter.Revision(existing, now, actor, new("updated", changed));
    }

    /// <summary>
    /// Saves the tracked changes (updated articles, created sections, tags and authors) and COPYs the created articles
    /// with their tags, authors and topic memberships, through the change recorder: one decision for the whole batch.
    /// </summary>
    async Task Save(List<Article> created, List<ArticleRevision> firstRevisions, IReadOnlySet<Guid> quiet, CancellationToken ct)
    {
        // A retired slug taken by a new article stops redirecting to its old article.
        var slugs = created.Select(a => a.Slug).ToList();
        if (slugs.Count > 0)
            await db.ArticleSlugs.Where(s => slugs.Contains(s.Slug)).ExecuteDeleteAsync(ct);
        await changes.SaveAndCopy(db, created, firstRevisions, async () =>
        {
            await db.Insert(created, ct);
            await db.Insert(created.SelectMany(a => a.Tags).ToList(), ct);
            await db.Insert(created.SelectMany(a => a.Authors).ToList(), ct);
            await db.Insert(created.SelectMany(a => a.Topics).ToList(), ct);
            await db.Insert(created.SelectMany(a => AssetReferences.Ids(ArticleFields.Of(a)).Select(id => new ArticleAsset { ArticleId = a.Id, AssetId = id })).ToList(), ct);
        }, quiet, ct);
    }

    /// <summary>An item's status: with its history restored (see <see cref="ArticleLifecycle.Restore"/>), or moved as the workflow would.</summary>
    static IReadOnlyList<string> Settle(Article article, ImportItem item, DateTimeOffset now) => item.Historic
        ? ArticleLifecycle.Restore(article, ImportStatuses.Wanted(item.Status)!.Value, item.PublishedAt, item.FirstPublishedAt, now)
        : ArticleLifecycle.Settle(article, ImportStatuses.Wanted(item.Status), item.PublishAt, now);

    /// <summary>The workflow fields of an article, detached, to ask whether restoring a history would change them.</summary>
    static Article Clone(Article a) => new()
    {
        Slug = a.Slug, Title = a.Title, Status = a.Status, PublishedAt = a.PublishedAt, FirstPublishedAt = a.FirstPublishedAt,
        PublishAt = a.PublishAt, UnpublishAt = a.UnpublishAt,
    };

    static ImportResult Result(Pending p, string outcome, Guid? id, IDictionary<string, string[]>? errors = null) =>
        new(p.Parsed.Line, p.Item.ExternalId, id, outcome, errors, errors is null ? p.Parsed.Note : null);

    void Copy(Article article, ArticleContent normalised) => ArticleFields.Copy(article, normalised,
        normalised.Section is { } s ? references.Section(s) : null, normalised.Tags!.Select(references.Tag).ToList(), normalised.Authors!.Select(references.Author).ToList());

    /// <summary>
    /// Gives every new article its slug (the one sent, or one made from the title, numbered when taken) and checks that
    /// a slug sent for an existing article is free; one query for the batch, more only for taken generated slugs.
    /// </summary>
    async Task AssignSlugs(List<Pending> pending, Dictionary<Guid, Article> stored, ImportResult[] results, CancellationToken ct)
    {
        foreach (var p in pending)
            p.Slug = p.Item.Slug ?? (p.Stored is null ? Slugs.From(p.Item.Title, Guid.CreateVersion7().ToString("N")[..12]) : stored[p.Stored.Id].Slug);
        var candidates = pending.Select(p => p.Slug).Distinct().ToList();
        var owners = await db.Articles.Where(a => candidates.Contains(a.Slug)).Select(a => new { a.Slug, a.Id }).ToDictionaryAsync(a => a.Slug, a => a.Id, ct);
        var used = new HashSet<string>();
        foreach (var p in pending)
        {
            var ownId = p.Stored?.Id;
            var takenByOther = (owners.TryGetValue(p.Slug, out var owner) && owner != ownId) || used.Contains(p.Slug);
            if (takenByOther && p.Item.Slug is not null)
            {
                results[p.Index] = Result(p, ImportOutcomes.Invalid, ownId,
                    new Dictionary<string, string[]> { ["slug"] = [$"The slug '{p.Slug}' is taken by another article."] });
                continue;
            }
            if (takenByOther)
                p.Slug = await Slugs.Free(db.Articles.Select(a => a.Slug), p.Slug, ct, used);
            used.Add(p.Slug);
        }
    }

    /// <summary>
    /// Each topic the batch's stories join or leave changed as if an editor had set its articles: a revision and an
    /// audit entry by the import's actor (action updated, importArticles:updated), and a new row version, so a write
    /// made against the ETag read before is refused (412). Its topic.changed follows from the memberships. Staged for
    /// the batch's save: the new stories' memberships, written after it by COPY, are counted from the stories.
    /// </summary>
    async Task ReviseTopics(List<Article> created, DateTimeOffset now, CancellationToken ct)
    {
        var moved = db.ChangeTracker.Entries<TopicArticle>().Where(e => e.State is EntityState.Added or EntityState.Deleted).ToList();
        var joined = moved.Where(e => e.State == EntityState.Added).Select(e => e.Entity).Concat(created.SelectMany(a => a.Topics)).ToList();
        var left = moved.Where(e => e.State == EntityState.Deleted).Select(e => (e.Entity.TopicId, e.Entity.ArticleId)).ToHashSet();
        var changed = joined.Select(m => m.TopicId).Concat(left.Select(m => m.TopicId)).ToHashSet();
        if (changed.Count == 0)
            return;
        var stored = await db.TopicArticles.AsNoTracking().Where(m => changed.Contains(m.TopicId)).ToListAsync(ct);
        foreach (var topic in await db.Topics.Where(t => changed.Contains(t.Id)).ToListAsync(ct))
        {
            var members = stored.Where(m => m.TopicId == topic.Id && !left.Contains((m.TopicId, m.ArticleId))).Concat(joined.Where(m => m.TopicId == topic.Id));
            db.Touch(topic, t => t.UpdatedAt, now);
            await ResourceRevisions.Record(db, ResourceKinds.Topic, topic.Id, actor, "updated", ResourceSnapshots.Topic(topic, members), now, ct);
            ChangeAudit.Add(db, now, actor, ImportArticles.Action(ImportOutcomes.Updated), ChangeAudit.Address(ResourceKinds.Topic, topic.Slug));
        }
    }

    /// <summary>Makes the article a member of exactly these topics, new memberships at the end of their topic.</summary>
    async Task Join(Guid articleId, IReadOnlyList<string> topics, List<TopicArticle> current, CancellationToken ct)
    {
        var wanted = topics.Select(references.Topic).ToList();
        foreach (var membership in current.Where(m => !wanted.Contains(m.TopicId)))
            db.TopicArticles.Remove(membership);
        foreach (var topicId in wanted.Where(t => current.All(m => m.TopicId != t)))
            db.TopicArticles.Add(await references.Member(topicId, articleId, ct));
    }
}
