using System.Security.Cryptography;
using System.Text.Json;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using NewsApi.Changes;
using NewsApi.Content;
using NewsApi.Data;
using NewsApi.Data.Entities;
using NewsApi.Features.Articles;
using NewsApi.Search;
using Npgsql;

namespace NewsApi.Import;

/// <summary>
/// Upserts a batch of items by externalId in one transaction: one query finds the batch's articles, references
/// (sections, tags, authors, topics) are looked up once per request, changes are saved with one SaveChanges and new
/// articles are inserted with COPY. An item identical to its article writes nothing: no revision, no updatedAt.
/// </summary>
internal sealed class ImportWriter(NewsDbContext db, IValidator<ArticleContent> validator, ChangeCapture changes, TimeProvider clock,
    string actor, bool createMissing, bool mayPublish)
{
    public const int MaxTopics = 30;

    /// <summary>Tries a batch gets when it collides with a concurrent write (see <see cref="Write"/>).</summary>
    const int Attempts = 3;
    const string Savepoint = "import_batch";
    static readonly JsonSerializerOptions Canonical = new(JsonSerializerDefaults.Web);

    Dictionary<string, Section?> _sections = [];
    Dictionary<string, Tag?> _tags = [];
    Dictionary<string, Author?> _authors = [];
    Dictionary<string, Guid?> _topics = [];
    Dictionary<Guid, int> _topicEnds = [];

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
            catch (Exception e) when (attempt < Attempts && Collided(e))
            {
                // What this request looked up or created may have been rolled back with the batch.
                db.ChangeTracker.Clear();
                (_sections, _tags, _authors, _topics, _topicEnds) = ([], [], [], [], []);
            }
        }
    }

    static bool Collided(Exception e) => (e as PostgresException ?? e.InnerException as PostgresException)?.SqlState
        is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected;

    async Task<ImportResult[]> Attempt(IReadOnlyList<ParsedItem> batch, bool ownTransaction)
    {
        // A batch is written whole or not at all, even when the client goes away meanwhile: no cancellation here.
        var ct = CancellationToken.None;
        var now = clock.GetUtcNow();
        var results = new ImportResult[batch.Count];

        var keys = batch.Select(p => p.Item?.ExternalId).OfType<string>().Distinct().ToList();
        var stored = keys.Count == 0 ? [] : await db.Articles.AsNoTracking().Where(a => keys.Contains(a.ExternalId!))
            .Select(a => new Stored(a.Id, a.ExternalId!, a.ImportHash, a.ImportVersion, a.UpdatedAt))
            .ToDictionaryAsync(a => a.ExternalId, ct);

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
            var hash = SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(item with { Version = null }, Canonical));
            if (existing is not null && existing.ImportHash == Stamp(hash, existing.UpdatedAt))
            {
                results[i] = new(parsed.Line, item.ExternalId, existing.Id, ImportOutcomes.Unchanged, Note: parsed.Note);
                continue;
            }
            var errors = await Validate(item, ct);
            if (errors.Count > 0)
            {
                results[i] = new(parsed.Line, item.ExternalId, existing?.Id, ImportOutcomes.Invalid, errors);
                continue;
            }
            pending.Add(new(i, parsed, item, hash, existing));
        }
        if (pending.Count == 0)
            return results;

        await Resolve(pending, ct);
        pending.RemoveAll(p =>
        {
            var missing = Missing(p.Item);
            if (missing.Count > 0)
                results[p.Index] = new(p.Parsed.Line, p.Item.ExternalId, p.Stored?.Id, ImportOutcomes.Invalid, missing);
            return missing.Count > 0;
        });

        var updateIds = pending.Where(p => p.Stored is not null).Select(p => p.Stored!.Id).ToList();
        var articles = updateIds.Count == 0 ? [] : await db.Articles
            .Include(a => a.Section).Include(a => a.Authors).ThenInclude(x => x.Author).Include(a => a.Tags).ThenInclude(x => x.Tag)
            .AsSplitQuery().Where(a => updateIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, ct);
        var lastRevision = updateIds.Count == 0 ? [] : await db.ArticleRevisions.Where(r => updateIds.Contains(r.ArticleId))
            .GroupBy(r => r.ArticleId).Select(g => new { g.Key, Last = g.Max(r => r.Number) }).ToDictionaryAsync(x => x.Key, x => x.Last, ct);
        var memberships = updateIds.Count == 0 || pending.All(p => p.Item.Topics is null) ? [] : await db.TopicArticles
            .Where(m => updateIds.Contains(m.ArticleId)).ToListAsync(ct);

        await AssignSlugs(pending, articles, results, ct);

        var slugWriter = new ArticleWriter(db, clock);
        var created = new List<Article>();
        var firstRevisions = new List<ArticleRevision>();
        foreach (var p in pending.Where(p => results[p.Index] is null))
        {
            var item = p.Item;
            var normalised = ArticleWriter.Normalise(item.Content) with { Slug = p.Slug };
            if (p.Stored is null)
            {
                var article = new Article { Slug = p.Slug, Title = normalised.Title, CreatedAt = now, UpdatedAt = now, ImportVersion = item.Version };
                Copy(article, normalised);
                var fields = ArticleWriter.Changed(null, ArticleWriter.ContentOf(article)).Concat(ApplyStatus(article, item, now)).ToList();
                if (item.Topics is { Count: > 0 })
                {
                    foreach (var topic in item.Topics)
                        article.Topics.Add(await Member(_topics[topic]!.Value, article.Id, ct));
                    fields.Add("topics");
                }
                article.ImportHash = Stamp(p.Hash, now);
                created.Add(article);
                firstRevisions.Add(ArticleWriter.Revision(article, 1, now, actor, "created", fields));
                results[p.Index] = new(p.Parsed.Line, item.ExternalId, article.Id, ImportOutcomes.Created, Note: p.Parsed.Note);
                continue;
            }

            var existing = articles[p.Stored.Id];
            if (existing.Status == ArticleStatus.Killed)
            {
                results[p.Index] = new(p.Parsed.Line, item.ExternalId, existing.Id, ImportOutcomes.Invalid,
                    new Dictionary<string, string[]> { ["externalId"] = [$"The article was killed ({existing.KillReason}) and can no longer change."] });
                continue;
            }
            var changed = ArticleWriter.Changed(ArticleWriter.ContentOf(existing), normalised).ToList();
            var current = memberships.Where(m => m.ArticleId == existing.Id).ToList();
            var topicsChange = item.Topics is not null && !current.Select(m => m.TopicId).ToHashSet().SetEquals(item.Topics.Select(t => _topics[t]!.Value));
            if (changed.Count == 0 && !StatusDiffers(existing, item, now) && !topicsChange)
            {
                results[p.Index] = new(p.Parsed.Line, item.ExternalId, existing.Id, ImportOutcomes.Unchanged, Note: p.Parsed.Note);
                continue;
            }
            if (existing.Slug != p.Slug)
                await slugWriter.ChangeSlug(existing, p.Slug, ct);
            Copy(existing, normalised);
            changed.AddRange(ApplyStatus(existing, item, now));
            if (topicsChange)
            {
                await Join(existing.Id, item.Topics!, current, ct);
                changed.Add("topics");
            }
            existing.UpdatedAt = now;
            existing.ImportVersion = item.Version ?? existing.ImportVersion;
            existing.ImportHash = Stamp(p.Hash, now);
            db.ArticleRevisions.Add(ArticleWriter.Revision(existing, lastRevision.GetValueOrDefault(existing.Id) + 1, now, actor, "updated", changed));
            results[p.Index] = new(p.Parsed.Line, item.ExternalId, existing.Id, ImportOutcomes.Updated, Note: p.Parsed.Note);
        }

        await using (var transaction = ownTransaction ? await db.Database.BeginTransactionAsync(ct) : null)
        {
            // Within the caller's transaction only this batch is undone when it must be written again.
            if (transaction is null)
                await db.Database.CurrentTransaction!.CreateSavepointAsync(Savepoint, ct);
            try
            {
                await Save(created, firstRevisions, ct);
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

    /// <summary>
    /// Saves the tracked changes (updated articles, created sections, tags and authors), then COPYs the created
    /// articles with their tags, authors, topic memberships, first revisions and search vectors: the rows the save's
    /// interceptors would have added for them. <see cref="ChangeCapture.SaveWith"/> writes their events and cache
    /// tags in the save, from the same code as for tracked articles. The save comes first: new articles refer to
    /// the sections, tags and authors it creates.
    /// </summary>
    async Task Save(List<Article> created, List<ArticleRevision> firstRevisions, CancellationToken ct)
    {
        // A retired slug taken by a new article stops redirecting to its old article.
        var slugs = created.Select(a => a.Slug).ToList();
        if (slugs.Count > 0)
            await db.ArticleSlugs.Where(s => slugs.Contains(s.Slug)).ExecuteDeleteAsync(ct);
        db.ChangeTracker.DetectChanges();
        await changes.SaveWith(db, created, ct);
        if (created.Count == 0)
            return;
        await db.Insert(created, ct);
        await db.Insert(created.SelectMany(a => a.Tags).ToList(), ct);
        await db.Insert(created.SelectMany(a => a.Authors).ToList(), ct);
        await db.Insert(created.SelectMany(a => a.Topics).ToList(), ct);
        await db.Insert(firstRevisions, ct);
        // The same vectors as ArticleSearchDocument.For, left in text form for PostgreSQL to parse: building the
        // NpgsqlTsVector values would cost more than all the rest of an import (its parser sorts by culture).
        await db.InsertText<ArticleSearchDocument>(
            [nameof(ArticleSearchDocument.ArticleId), nameof(ArticleSearchDocument.Document), nameof(ArticleSearchDocument.Head)],
            created.Select(a =>
            {
                var (document, head) = SearchDocument.For(a);
                return new string?[] { a.Id.ToString(), document, head };
            }), ct);
    }

    /// <summary>
    /// What an import stores to recognise the item next time: the item's hash bound to the updatedAt it produced
    /// (milliseconds, which survive PostgreSQL's microseconds), so any later change to the article voids it.
    /// </summary>
    static string Stamp(byte[] hash, DateTimeOffset updatedAt) =>
        Convert.ToHexStringLower(SHA256.HashData([.. hash, .. BitConverter.GetBytes(updatedAt.ToUnixTimeMilliseconds())]));

    void Copy(Article article, ArticleContent normalised) => ArticleWriter.Copy(article, normalised,
        normalised.Section is { } s ? _sections[s] : null, normalised.Tags!.Select(t => _tags[t]!).ToList(), normalised.Authors!.Select(a => _authors[a]!).ToList());

    /// <summary>Who may publish through an import: the one place to narrow it (editors and admins may, today).</summary>
    public static bool MayPublish(System.Security.Claims.ClaimsPrincipal user) =>
        user.IsInRole(nameof(Role.Editor)) || user.IsInRole(nameof(Role.Admin));

    async Task<Dictionary<string, string[]>> Validate(ImportItem item, CancellationToken ct)
    {
        var context = new ValidationContext<ArticleContent>(item.Content);
        context.RootContextData[ArticleContentValidator.ReferencesCheckedByCaller] = true;
        var result = await validator.ValidateAsync(context, ct);
        var errors = result.Errors.GroupBy(e => e.PropertyName).ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToList());
        void Add(string member, string message)
        {
            if (!errors.TryGetValue(member, out var list))
                errors[member] = list = [];
            list.Add(message);
        }

        if (string.IsNullOrWhiteSpace(item.ExternalId))
            Add("externalId", "externalId is required in an import: it is how a re-run finds the article again.");
        if (item.Status is { } status && !ImportStatuses.All.Contains(status))
            Add("status", "status must be draft, published or scheduled.");
        if (item.Status == ImportStatuses.Scheduled && item.PublishAt is null)
            Add("publishAt", "A scheduled item needs publishAt.");
        if (item.PublishAt is not null && item.Status != ImportStatuses.Scheduled)
            Add("publishAt", "publishAt goes with status scheduled.");
        if (item.Status is ImportStatuses.Published or ImportStatuses.Scheduled && !mayPublish)
            Add("status", "This key may not publish; import the item as a draft.");
        if (item.Topics is { } topics && (topics.Count > MaxTopics || topics.Distinct().Count() != topics.Count))
            Add("topics", $"topics may name at most {MaxTopics} topics, each once.");
        if (item.Version is < 0)
            Add("version", "version must be zero or more.");
        if (createMissing)
        {
            // Whatever is created must be a usable slug (sections, tags and authors are addressed by it).
            foreach (var (member, slug) in References(item).Where(r => r.Member != "topics" && (!Slugs.Valid().IsMatch(r.Slug) || r.Slug.Length > Slugs.MaxLength)))
                Add(member, $"'{slug}' is not a slug (lowercase letters, digits and single hyphens, at most {Slugs.MaxLength}), so it cannot be created.");
        }
        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
    }

    static IEnumerable<(string Member, string Slug)> References(ImportItem item) =>
        (item.Section is { } s ? [("section", s)] : Array.Empty<(string, string)>())
        .Concat((item.Tags ?? []).Select(t => ("tags", t)))
        .Concat((item.Authors ?? []).Select(a => ("authors", a)))
        .Concat((item.Topics ?? []).Select(t => ("topics", t)));

    /// <summary>Looks up the references of the batch not seen yet in this request, one query per kind; creates missing ones when asked.</summary>
    async Task Resolve(List<Pending> pending, CancellationToken ct)
    {
        var wanted = pending.SelectMany(p => References(p.Item)).Distinct().ToList();
        List<string> New(string member, System.Collections.IDictionary cache) =>
            wanted.Where(w => w.Member == member && !cache.Contains(w.Slug)).Select(w => w.Slug).Distinct().ToList();

        var sections = New("section", _sections);
        if (sections.Count > 0)
        {
            var found = await db.Sections.Where(s => sections.Contains(s.Slug)).ToDictionaryAsync(s => s.Slug, ct);
            foreach (var slug in sections)
                _sections[slug] = found.GetValueOrDefault(slug) ?? (createMissing ? Add(new Section { Slug = slug, Name = slug, CreatedAt = clock.GetUtcNow(), UpdatedAt = clock.GetUtcNow() }) : null);
        }
        var tags = New("tags", _tags);
        if (tags.Count > 0)
        {
            var found = await db.Tags.Where(t => tags.Contains(t.Slug)).ToDictionaryAsync(t => t.Slug, ct);
            var names = pending.Where(p => p.Parsed.TagNames is not null).SelectMany(p => p.Parsed.TagNames!).DistinctBy(n => n.Key).ToDictionary();
            foreach (var slug in tags)
                _tags[slug] = found.GetValueOrDefault(slug) ?? (createMissing ? Add(new Tag { Slug = slug, Name = names.GetValueOrDefault(slug) ?? slug }) : null);
        }
        var authors = New("authors", _authors);
        if (authors.Count > 0)
        {
            var found = await db.Authors.Where(a => authors.Contains(a.Slug)).ToDictionaryAsync(a => a.Slug, ct);
            foreach (var slug in authors)
                _authors[slug] = found.GetValueOrDefault(slug) ?? (createMissing ? Add(new Author { Slug = slug, Name = slug }) : null);
        }
        var topics = New("topics", _topics);
        if (topics.Count > 0)
        {
            var found = await db.Topics.AsNoTracking().Where(t => topics.Contains(t.Slug)).ToDictionaryAsync(t => t.Slug, t => t.Id, ct);
            foreach (var slug in topics)
                _topics[slug] = found.TryGetValue(slug, out var id) ? id : null;
        }
    }

    T Add<T>(T entity) where T : class
    {
        db.Add(entity);
        return entity;
    }

    Dictionary<string, string[]> Missing(ImportItem item)
    {
        var errors = new Dictionary<string, string[]>();
        if (item.Section is { } s && _sections[s] is null)
            errors["section"] = [$"There is no section '{s}'."];
        if (item.Tags?.FirstOrDefault(t => _tags[t] is null) is { } tag)
            errors["tags"] = [$"There is no tag '{tag}'."];
        if (item.Authors?.FirstOrDefault(a => _authors[a] is null) is { } author)
            errors["authors"] = [$"There is no author '{author}'."];
        if (item.Topics?.FirstOrDefault(t => _topics[t] is null) is { } topic)
            errors["topics"] = [$"There is no topic '{topic}'; topics are not created by imports."];
        return errors;
    }

    /// <summary>
    /// Gives every new article its slug (the one sent, or one made from the title, numbered when taken) and checks that
    /// a slug sent for an existing article is free; one query for the batch, more only for taken generated slugs.
    /// </summary>
    async Task AssignSlugs(List<Pending> pending, Dictionary<Guid, Article> articles, ImportResult[] results, CancellationToken ct)
    {
        foreach (var p in pending)
            p.Slug = p.Item.Slug ?? (p.Stored is null ? Slugs.From(p.Item.Title, Guid.CreateVersion7().ToString("N")[..12]) : articles[p.Stored.Id].Slug);
        var candidates = pending.Select(p => p.Slug).Distinct().ToList();
        var owners = await db.Articles.Where(a => candidates.Contains(a.Slug)).Select(a => new { a.Slug, a.Id }).ToDictionaryAsync(a => a.Slug, a => a.Id, ct);
        var used = new HashSet<string>();
        foreach (var p in pending)
        {
            var ownId = p.Stored?.Id;
            var takenByOther = (owners.TryGetValue(p.Slug, out var owner) && owner != ownId) || used.Contains(p.Slug);
            if (takenByOther && p.Item.Slug is not null)
            {
                results[p.Index] = new(p.Parsed.Line, p.Item.ExternalId, ownId, ImportOutcomes.Invalid,
                    new Dictionary<string, string[]> { ["slug"] = [$"The slug '{p.Slug}' is taken by another article."] });
                continue;
            }
            if (takenByOther)
            {
                var stem = p.Slug;
                var taken = (await db.Articles.Where(a => a.Slug.StartsWith(stem + "-")).Select(a => a.Slug).ToListAsync(ct)).ToHashSet();
                for (var n = 2; ; n++)
                    if (!taken.Contains(Slugs.WithSuffix(stem, n)) && !used.Contains(Slugs.WithSuffix(stem, n)))
                    {
                        p.Slug = Slugs.WithSuffix(stem, n);
                        break;
                    }
            }
            used.Add(p.Slug);
        }
    }

    static bool StatusDiffers(Article a, ImportItem item, DateTimeOffset now) => item.Status switch
    {
        ImportStatuses.Published => a.Status != ArticleStatus.Published,
        ImportStatuses.Scheduled when item.PublishAt <= now => a.Status != ArticleStatus.Published,
        ImportStatuses.Scheduled => a.Status != ArticleStatus.Scheduled || a.PublishAt != item.PublishAt!.Value.ToUniversalTime(),
        ImportStatuses.Draft => a.Status is ArticleStatus.Published or ArticleStatus.Scheduled,
        _ => false,
    };

    /// <summary>Moves the article to the item's status the way the workflow would; returns the fields that changed.</summary>
    static IEnumerable<string> ApplyStatus(Article a, ImportItem item, DateTimeOffset now)
    {
        if (!StatusDiffers(a, item, now))
            return [];
        switch (item.Status)
        {
            case ImportStatuses.Draft:
                ArticleWorkflow.TakeDown(a);
                return ["status"];
            case ImportStatuses.Scheduled when item.PublishAt > now:
                (a.Status, a.PublishAt) = (ArticleStatus.Scheduled, item.PublishAt!.Value.ToUniversalTime());
                return ["status", "publishAt"];
            default:
                ArticleWorkflow.GoLive(a, now);
                return ["status", "publishedAt"];
        }
    }

    /// <summary>Makes the article a member of exactly these topics, new memberships at the end of their topic.</summary>
    async Task Join(Guid articleId, IReadOnlyList<string> topics, List<TopicArticle> current, CancellationToken ct)
    {
        var wanted = topics.Select(t => _topics[t]!.Value).ToList();
        foreach (var membership in current.Where(m => !wanted.Contains(m.TopicId)))
            db.TopicArticles.Remove(membership);
        foreach (var topicId in wanted.Where(t => current.All(m => m.TopicId != t)))
            db.TopicArticles.Add(await Member(topicId, articleId, ct));
    }

    /// <summary>A new membership, at the end of its topic.</summary>
    async Task<TopicArticle> Member(Guid topicId, Guid articleId, CancellationToken ct)
    {
        if (!_topicEnds.TryGetValue(topicId, out var end))
            end = await db.TopicArticles.Where(m => m.TopicId == topicId).MaxAsync(m => (int?)m.Position, ct) ?? 0;
        _topicEnds[topicId] = end + 1;
        return new TopicArticle { TopicId = topicId, ArticleId = articleId, Position = end + 1 };
    }
}
