using System.Linq.Expressions;
using Microsoft.Extensions.Options;
using Microsoft.EntityFrameworkCore;
using NewsApi.Changes;
using NewsApi.Content;
using NewsApi.Data;
using NewsApi.Media;
using NewsApi.Data.Entities;

namespace NewsApi.Articles;

/// <summary>
/// The article's write rules, for the editors' endpoints, the import and the scheduler alike: create, change, restore,
/// the workflow's steps and delete. Each stages its change on the context, revision included (through the change
/// recorder), or says why it refuses; the caller saves — a request with its 409/412 mapping, the import a batch at a
/// time, the scheduler inside its row lock. It knows no HTTP.
/// </summary>
internal sealed class ArticleWriter(NewsDbContext db, TimeProvider clock, NewsHtml html, IOptions<MediaOptions> media)
{
    /// <summary>The content as it will be stored (<see cref="ArticleFields.Normalise"/>), html sanitised by the house rules.</summary>
    public ArticleContent Normalise(ArticleContent content) => ArticleFields.Normalise(content, html);

    /// <summary>Loads an article with everything its content names, tracked for a change.</summary>
    public Task<Article?> Load(Guid id, CancellationToken ct) => db.Articles
        .Include(a => a.Section).Include(a => a.Authors).ThenInclude(x => x.Author).Include(a => a.Tags).ThenInclude(x => x.Tag)
        .AsSplitQuery().FirstOrDefaultAsync(a => a.Id == id, ct);

    /// <summary>The change is checked against the version the editor read: a save over a newer one fails (412).</summary>
    public void Expect(Article article, uint version) => db.Entry(article).Property(a => a.Version).OriginalValue = version;

    /// <summary>Creates a draft. The slug is generated from the title when absent (pinyin for Chinese).</summary>
    public async Task<(Article? Article, Refusal? Refused)> Create(ArticleContent content, string actor, CancellationToken ct)
    {
        var article = new Article { Slug = "", Title = content.Title };
        var fields = await Apply(article, content, ct);
        article.CreatedAt = article.UpdatedAt = clock.GetUtcNow();

        if (content.ExternalId is { } externalId && await db.Articles.AnyAsync(a => a.ExternalId == externalId, ct))
            return (null, Refusal.Conflict($"An article with externalId '{externalId}' exists already; update it instead."));
        if (content.Slug is { } wanted)
        {
            if (await db.Articles.AnyAsync(a => a.Slug == wanted, ct))
                return (null, Refusal.Conflict($"The slug '{wanted}' is taken; choose another or leave slug out to have one generated."));
            article.Slug = wanted;
        }
        else
            article.Slug = await Slugs.Free(db.Articles.Select(a => a.Slug), Slugs.From(content.Title, article.Id.ToString("N")[..12]), ct);

        db.Articles.Add(article);
        await Unretire(article.Slug, ct);
        await Revise(article, actor, new("created", fields), ct);
        return (article, null);
    }

    /// <summary>Replaces the content of an article (members left out are cleared; a slug left out stays); returns the fields that changed.</summary>
    public async Task<(IReadOnlyList<string> Fields, Refusal? Refused)> Change(Article article, ArticleContent content, string actor, CancellationToken ct)
    {
        if (ArticleLifecycle.Frozen(article) is { } frozen)
            return ([], frozen);
        if (content.ExternalId is { } externalId && await db.Articles.AnyAsync(a => a.ExternalId == externalId && a.Id != article.Id, ct))
            return ([], Refusal.Conflict($"Another article has externalId '{externalId}'."));
        if (content.Slug is { } slug && await db.Articles.AnyAsync(a => a.Slug == slug && a.Id != article.Id, ct))
            return ([], Refusal.Conflict($"The slug '{slug}' is taken by another article."));
        var notices = article.Notices;
        if (await Related(content.Related, ct) is var related && related.Contains(article.Id))
            return ([], Refusal.Invalid("related", "An article cannot be related to itself."));
        var fields = await Apply(article, content, ct);
        if (fields.Count > 0)
            await Revise(article, actor, new("updated", fields), ct);
        AuditNoticeEdit(article, notices, actor);
        return (fields, null);
    }

    /// <summary>Appends a notice (a correction, clarification, update or editor's note) as a revision of its own.</summary>
    public async Task<Refusal?> AddNotice(Article article, Notice notice, string actor, CancellationToken ct)
    {
        if (ArticleLifecycle.Frozen(article, "take a notice") is { } frozen)
            return frozen;
        article.Notices = [.. article.Notices, notice with { Text = notice.Text.Trim(), At = notice.At.ToUniversalTime() }];
        await Revise(article, actor, new("notice-added", ["notices"]), ct);
        return null;
    }

    /// <summary>
    /// A notice readers have seen changed or taken away is a change to the record, not only to the story: it gets an
    /// audit entry of its own (saved with the write), naming the notice, beside the write's own entry.
    /// </summary>
    void AuditNoticeEdit(Article article, IReadOnlyList<Notice> before, string actor)
    {
        if (ArticleFields.EditedNotice(before, article.Notices) is not { } edited)
            return;
        ChangeAudit.Add(db, clock.GetUtcNow(), actor, NoticeEdited, $"article:{article.Id}/notices/{edited + 1}");
    }

    /// <summary>The audit action of an edit to a notice already published.</summary>
    public const string NoticeEdited = "editArticleNotice";

    /// <summary>Puts an earlier revision's content back; the restore is itself a new revision. Status is not restored.</summary>
    public async Task<Refusal?> Restore(Article article, ArticleRevision revision, string actor, CancellationToken ct)
    {
        if (ArticleLifecycle.Frozen(article, "be restored") is { } frozen)
            return frozen;
        var snapshot = revision.Content(article.Body);
        // The slug stays where it is, unless the old one is still free: links to the current one keep working either way.
        if (snapshot.Slug is { } slug && await db.Articles.AnyAsync(a => a.Slug == slug && a.Id != article.Id, ct))
            snapshot = snapshot with { Slug = null };
        // Tags, authors or a section deleted since then cannot come back.
        snapshot = snapshot with
        {
            Section = snapshot.Section is { } s && await db.Sections.AnyAsync(x => x.Slug == s, ct) ? s : null,
            Tags = await db.Tags.Where(t => (snapshot.Tags ?? new List<string>()).Contains(t.Slug)).Select(t => t.Slug).ToListAsync(ct) is var tags
                ? (snapshot.Tags ?? []).Where(tags.Contains).ToList() : null,
            Authors = await db.Authors.Where(a => (snapshot.Authors ?? new List<string>()).Contains(a.Slug)).Select(a => a.Slug).ToListAsync(ct) is var authors
                ? (snapshot.Authors ?? []).Where(authors.Contains).ToList() : null,
        };
        var notices = article.Notices;
        var fields = await Apply(article, snapshot, ct);
        await Revise(article, actor, new($"restored-{revision.Number}", fields), ct);
        AuditNoticeEdit(article, notices, actor);
        return null;
    }

    /// <summary>
    /// Publishes now, or schedules for a future <paramref name="at"/>. Its images from the library are refreshed from
    /// their assets first (an alt text added since reaches the story), and every one must have alt text.
    /// </summary>
    public async Task<Refusal?> Publish(Article article, DateTimeOffset? at, string actor, CancellationToken ct)
    {
        if (AssetReferences.Ids(ArticleFields.Of(article)).Any())
        {
            if (await AssetReferences.WithoutAlt(db, article.Id, ct) is { Count: > 0 } missing)
                return Refusal.Invalid("alt", AssetReferences.AltMissing(missing));
            await Apply(article, ArticleFields.Of(article), ct);
        }
        return await Take(article, "publish", actor, a => ArticleLifecycle.Publish(a, at, clock.GetUtcNow()), ct);
    }

    /// <summary>Takes the article down now, or at a future <paramref name="at"/>.</summary>
    public Task<Refusal?> Unpublish(Article article, DateTimeOffset? at, string actor, CancellationToken ct) =>
        Take(article, "unpublish", actor, a => ArticleLifecycle.Unpublish(a, at, clock.GetUtcNow()), ct);

    public Task<Refusal?> Archive(Article article, string actor, CancellationToken ct) =>
        Take(article, "archive", actor, ArticleLifecycle.Archive, ct);

    /// <summary>Withdraws an article for good: it answers 410 with the reason and leaves every topic and featured list.</summary>
    public async Task<Refusal?> Kill(Article article, string reason, string actor, CancellationToken ct)
    {
        if (ArticleLifecycle.Frozen(article, "kill") is { } frozen)
            return frozen;
        var now = clock.GetUtcNow();
        var step = ArticleLifecycle.Kill(article, reason, now);
        await Leave(article, actor, "article-killed", now, ct);
        await Revise(article, actor, step, ct);
        return null;
    }

    /// <summary>
    /// Takes a killed or deleted article out of its topics and featured lists. Each of them changed as if an editor had
    /// removed it: a revision and an audit entry by the kill's or delete's actor (action article-killed or
    /// article-deleted), and a new row version, so a write made against the ETag read before is refused (412) instead
    /// of putting the article back.
    /// </summary>
    async Task Leave(Article article, string actor, string action, DateTimeOffset now, CancellationToken ct)
    {
        var topics = await db.Topics.Include(t => t.Articles).Where(t => t.Articles.Any(m => m.ArticleId == article.Id)).ToListAsync(ct);
        foreach (var topic in topics)
        {
            foreach (var member in topic.Articles.Where(m => m.ArticleId == article.Id).ToList())
            {
                topic.Articles.Remove(member);
                db.TopicArticles.Remove(member);
            }
            db.Touch(topic, t => t.UpdatedAt, now);
            await ResourceRevisions.Record(db, ResourceKinds.Topic, topic.Id, actor, action, ResourceSnapshots.Topic(topic), now, ct);
            ChangeAudit.Add(db, now, actor, action, ChangeAudit.Address(ResourceKinds.Topic, topic.Slug));
        }
        var entries = await db.FeaturedListEntries.Where(e => e.ArticleId == article.Id && e.RemovedAt == null).ToListAsync(ct);
        foreach (var entry in entries)
            entry.RemovedAt = now;
        var listIds = entries.Select(e => e.ListId).Distinct().ToList();
        foreach (var list in await db.FeaturedLists.Where(l => listIds.Contains(l.Id)).ToListAsync(ct))
        {
            db.Touch(list, l => l.UpdatedAt, now);
            await ResourceRevisions.Record(db, ResourceKinds.FeaturedList, list.Id, actor, action, await ResourceSnapshots.FeaturedList(db, list, ct), now, ct);
            ChangeAudit.Add(db, now, actor, action, ChangeAudit.Address(ResourceKinds.FeaturedList, list.Slug));
        }
    }

    /// <summary>Takes a tag being deleted off every article carrying it (see <see cref="Recast"/>, action tag-deleted).</summary>
    public Task Untag(Guid tagId, string actor, CancellationToken ct) =>
        Recast(a => a.Tags.Any(x => x.TagId == tagId), article =>
        {
            foreach (var link in article.Tags.Where(x => x.TagId == tagId).ToList())
            {
                article.Tags.Remove(link);
                db.ArticleTags.Remove(link);
            }
        }, actor, new("tag-deleted", ["tags"]), ct);

    /// <summary>
    /// Moves the articles of a section being deleted to <paramref name="targetId"/> (see <see cref="Recast"/>, action
    /// section-deleted).
    /// </summary>
    public async Task Rehome(Guid sectionId, Guid targetId, string actor, CancellationToken ct)
    {
        var target = await db.Sections.FirstAsync(s => s.Id == targetId, ct);
        await Recast(a => a.SectionId == sectionId, article => (article.SectionId, article.Section) = (target.Id, target), actor, new(SectionDeleted, ["section"]), ct);
    }

    /// <summary>What a section's delete records of each section, list and article it changes.</summary>
    public const string SectionDeleted = "section-deleted";

    /// <summary>
    /// Changes every article a delete of something else changes, each as if an editor had: a revision and an audit entry
    /// by the delete's actor, a new row version, and the event and re-rendering any save of a live article brings.
    /// </summary>
    async Task Recast(Expression<Func<Article, bool>> which, Action<Article> change, string actor, Step step, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var articles = await db.Articles
            .Include(a => a.Section).Include(a => a.Authors).ThenInclude(x => x.Author).Include(a => a.Tags).ThenInclude(x => x.Tag)
            .AsSplitQuery().Where(which).ToListAsync(ct);
        foreach (var article in articles)
        {
            change(article);
            db.Touch(article, a => a.UpdatedAt, now);
            ChangeAudit.Add(db, now, actor, step.Action, ChangeAudit.Article(article.Id));
        }
        await ChangeRecorder.Revise(db, articles.Select(a => Revision(a, now, actor, step)).ToList(), ct);
    }

    /// <summary>The scheduler's turn: makes the change whose time has come (publish, unpublish, embargo end), if any.</summary>
    public async Task<Step?> Due(Article article, DateTimeOffset now, string actor, CancellationToken ct)
    {
        var step = ArticleLifecycle.Due(article, now);
        if (step is not null)
            await Revise(article, actor, step, ct);
        return step;
    }

    /// <summary>
    /// Removes an article that was never public or is no longer; a published or scheduled one must be taken down first.
    /// Its revisions stay, the last one (action deleted) saying who deleted it and when; the topics and featured lists
    /// it leaves record that as for a kill. The article must be loaded with <see cref="Load"/> (its last state is kept).
    /// </summary>
    public async Task<Refusal?> Delete(Article article, string actor, CancellationToken ct)
    {
        if (article.Status is ArticleStatus.Published or ArticleStatus.Scheduled)
            return Refusal.Conflict("A published or scheduled article cannot be deleted: unpublish, archive or kill it first.");
        var now = clock.GetUtcNow();
        await Leave(article, actor, "article-deleted", now, ct);
        // The article's body goes with it, so this last revision keeps its own (the save copies it into the others).
        var last = Revision(article, now, actor, new("deleted", []));
        last.Snapshot = last.Snapshot with { Body = article.Body };
        await ChangeRecorder.Revise(db, [last], ct);
        db.Articles.Remove(article);
        return null;
    }

    /// <summary>Moves the article to a new slug; the old one keeps answering with a redirect.</summary>
    public async Task ChangeSlug(Article article, string slug, CancellationToken ct)
    {
        if (article.Slug == slug)
            return;
        await Unretire(slug, ct);
        db.ArticleSlugs.Add(new ArticleSlug { Slug = article.Slug, ArticleId = article.Id, RetiredAt = clock.GetUtcNow() });
        article.Slug = slug;
    }

    /// <summary>
    /// A retired slug taken by an article stops redirecting to its old one. The removal is staged, not executed: it is
    /// saved with the write that takes the slug, in its transaction, so a write that fails (412, 409) leaves the redirect.
    /// </summary>
    async Task Unretire(string slug, CancellationToken ct)
    {
        var retired = db.ArticleSlugs.Local.FirstOrDefault(s => s.Slug == slug) ?? await db.ArticleSlugs.FirstOrDefaultAsync(s => s.Slug == slug, ct);
        if (retired is not null)
            db.ArticleSlugs.Remove(retired);
    }

    /// <summary>
    /// The revision recording a step: the article's content as it now stands (numbered by the change recorder), sharing
    /// the article's body rather than copying it (<see cref="ArticleRevision.Snapshot"/>).
    /// </summary>
    public static ArticleRevision Revision(Article article, DateTimeOffset at, string actor, Step step) => new()
    {
        ArticleId = article.Id, At = at, Actor = actor, Action = step.Action, Fields = step.Fields.ToList(), Snapshot = ArticleFields.Of(article) with { Body = null },
    };

    async Task<Refusal?> Take(Article article, string name, string actor, Func<Article, (Step? Step, Refusal? Refused)> move, CancellationToken ct)
    {
        if (ArticleLifecycle.Frozen(article, name) is { } frozen)
            return frozen;
        var (step, refused) = move(article);
        if (refused is not null)
            return refused;
        await Revise(article, actor, step!, ct);
        return null;
    }

    /// <summary>The content with its pictures filled in from these assets, as a write does (an import looks up a batch's at once).</summary>
    public ArticleContent WithAssets(IReadOnlyDictionary<Guid, Asset> assets, ArticleContent content) => AssetReferences.Resolve(assets, content, media.Value);

    /// <summary>Applies content and returns the names of the fields that changed (empty when nothing did).</summary>
    async Task<List<string>> Apply(Article article, ArticleContent content, CancellationToken ct)
    {
        var before = article.CreatedAt == default ? null : ArticleFields.Of(article);
        if (before is not null && content.Slug is { } slug)
            await ChangeSlug(article, slug, ct);

        var section = content.Section is null ? null : await db.Sections.FirstAsync(s => s.Slug == content.Section, ct);
        var tagSlugs = content.Tags ?? [];
        var tags = await db.Tags.Where(t => tagSlugs.Contains(t.Slug)).ToListAsync(ct);
        var authorSlugs = content.Authors ?? [];
        var authors = await db.Authors.Where(t => authorSlugs.Contains(t.Slug)).ToListAsync(ct);
        content = await AssetReferences.Resolve(db, content, media.Value, ct);
        ArticleFields.Copy(article, Normalise(content), section, tags, authors);
        // A related story deleted since (a restored revision's) is left out, as a deleted tag is.
        article.RelatedIds = (await Related(content.Related, ct)).Where(id => id != article.Id).ToList();
        await AssetReferences.Record(db, article, ct);

        return ArticleFields.Changed(before, ArticleFields.Of(article));
    }

    /// <summary>The ids of the related stories named by id or slug, in the order named, each once; unknown ones left out.</summary>
    async Task<List<Guid>> Related(IReadOnlyList<string>? named, CancellationToken ct)
    {
        if (named is null || named.Count == 0)
            return [];
        var ids = named.Select(n => Guid.TryParse(n, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty).ToList();
        var slugs = named.Where(n => !Guid.TryParse(n, out _)).Select(n => n.Trim()).ToList();
        var found = await db.Articles.AsNoTracking().Where(a => ids.Contains(a.Id) || slugs.Contains(a.Slug))
            .Select(a => new { a.Id, a.Slug }).ToListAsync(ct);
        return named.Select(n => found.FirstOrDefault(a => Guid.TryParse(n, out var id) ? a.Id == id : a.Slug == n.Trim())?.Id)
            .OfType<Guid>().Distinct().ToList();
    }

    async Task Revise(Article article, string actor, Step step, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await ChangeRecorder.Revise(db, [Revision(article, now, actor, step)], ct);
        article.UpdatedAt = now;
    }
}
