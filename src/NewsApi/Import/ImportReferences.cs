using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using NewsApi.Changes;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Import;

/// <summary>
/// The sections, tags, authors and topics an import's items name by slug, looked up once per request (one query per
/// kind for the slugs a batch names that were not seen yet), created when missing if the request asks (all but
/// topics), and where a new member goes at the end of each topic. What it creates is recorded as an editor's create
/// would be: a first revision by the import's actor (saved with the batch) and, once the batch is written, an audit entry.
/// </summary>
internal sealed class ImportReferences(NewsDbContext db, TimeProvider clock, bool createMissing, string actor)
{
    Dictionary<string, Section?> _sections = [];
    Dictionary<string, Tag?> _tags = [];
    Dictionary<string, Author?> _authors = [];
    Dictionary<string, Guid?> _topics = [];
    Dictionary<Guid, int> _topicEnds = [];
    List<string> _created = [];

    public Section? Section(string slug) => _sections[slug];

    public Tag Tag(string slug) => _tags[slug]!;

    public Author Author(string slug) => _authors[slug]!;

    public Guid Topic(string slug) => _topics[slug]!.Value;

    /// <summary>Forgets everything: what this request looked up or created may have been rolled back with a batch.</summary>
    public void Clear() => (_sections, _tags, _authors, _topics, _topicEnds, _created) = ([], [], [], [], [], []);

    /// <summary>The addresses of what the batches written since the last call created, for their audit entries.</summary>
    public IReadOnlyList<string> TakeCreated()
    {
        var created = _created;
        _created = [];
        return created;
    }

    public static IEnumerable<(string Member, string Slug)> Of(ImportItem item) =>
        (item.Section is { } s ? [("section", s)] : Array.Empty<(string, string)>())
        .Concat((item.Tags ?? []).Select(t => ("tags", t)))
        .Concat((item.Authors ?? []).Select(a => ("authors", a)))
        .Concat((item.Topics ?? []).Select(t => ("topics", t)));

    /// <summary>Looks up the references of these items not seen yet in this request; creates missing ones when asked.</summary>
    public async Task Resolve(IReadOnlyCollection<ParsedItem> items, CancellationToken ct)
    {
        var wanted = items.SelectMany(p => Of(p.Item!)).Distinct().ToList();
        List<string> New(string member, System.Collections.IDictionary cache) =>
            wanted.Where(w => w.Member == member && !cache.Contains(w.Slug)).Select(w => w.Slug).Distinct().ToList();

        var sections = New("section", _sections);
        if (sections.Count > 0)
        {
            var found = await db.Sections.Where(s => sections.Contains(s.Slug)).ToDictionaryAsync(s => s.Slug, ct);
            foreach (var slug in sections)
                _sections[slug] = found.GetValueOrDefault(slug) ?? (createMissing
                    ? await Add(new Section { Slug = slug, Name = slug, CreatedAt = clock.GetUtcNow(), UpdatedAt = clock.GetUtcNow() },
                        ResourceKinds.Section, s => ResourceSnapshots.Section(s, null), ct)
                    : null);
        }
        var tags = New("tags", _tags);
        if (tags.Count > 0)
        {
            var found = await db.Tags.Where(t => tags.Contains(t.Slug)).ToDictionaryAsync(t => t.Slug, ct);
            var names = items.Where(p => p.TagNames is not null).SelectMany(p => p.TagNames!).DistinctBy(n => n.Key).ToDictionary();
            foreach (var slug in tags)
                _tags[slug] = found.GetValueOrDefault(slug) ?? (createMissing
                    ? await Add(new Tag { Slug = slug, Name = names.GetValueOrDefault(slug) ?? slug }, ResourceKinds.Tag, ResourceSnapshots.Tag, ct)
                    : null);
        }
        var authors = New("authors", _authors);
        if (authors.Count > 0)
        {
            var found = await db.Authors.Where(a => authors.Contains(a.Slug)).ToDictionaryAsync(a => a.Slug, ct);
            foreach (var slug in authors)
                _authors[slug] = found.GetValueOrDefault(slug) ?? (createMissing
                    ? await Add(new Author { Slug = slug, Name = slug }, ResourceKinds.Author, ResourceSnapshots.Author, ct)
                    : null);
        }
        var topics = New("topics", _topics);
        if (topics.Count > 0)
        {
            var found = await db.Topics.AsNoTracking().Where(t => topics.Contains(t.Slug)).ToDictionaryAsync(t => t.Slug, t => t.Id, ct);
            foreach (var slug in topics)
                _topics[slug] = found.TryGetValue(slug, out var id) ? id : null;
        }
    }

    /// <summary>The item's references that do not exist (and were not created), as its errors.</summary>
    public Dictionary<string, string[]> Missing(ImportItem item)
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

    /// <summary>A new membership, at the end of its topic.</summary>
    public async Task<TopicArticle> Member(Guid topicId, Guid articleId, CancellationToken ct)
    {
        if (!_topicEnds.TryGetValue(topicId, out var end))
            end = await db.TopicArticles.Where(m => m.TopicId == topicId).MaxAsync(m => (int?)m.Position, ct) ?? 0;
        _topicEnds[topicId] = end + 1;
        return new TopicArticle { TopicId = topicId, ArticleId = articleId, Position = end + 1 };
    }

    /// <summary>Adds a missing section, tag or author as its create endpoint would: its slug stops redirecting elsewhere, its first revision is staged.</summary>
    async Task<T> Add<T>(T entity, string kind, Func<T, JsonObject> snapshot, CancellationToken ct) where T : class
    {
        var entry = db.Add(entity);
        var slug = (string)entry.Property("Slug").CurrentValue!;
        await RetiredSlugs.Take(db, kind, slug, ct);
        await ResourceRevisions.Record(db, kind, (Guid)entry.Property("Id").CurrentValue!, actor, "created", snapshot(entity), clock.GetUtcNow(), ct);
        _created.Add(ChangeAudit.Address(kind, slug));
        return entity;
    }
}
