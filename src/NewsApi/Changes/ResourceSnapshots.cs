using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Changes;

/// <summary>
/// What a revision stores of each resource: the members its editor writes, under the names of its request record
/// (a restore reads the snapshot back as that record), taken from the entity as it stands in this context. One home
/// for every writer, so that a change made outside the resource's own endpoints — an import creating a tag, a kill
/// taking an article out of a topic — records the same revision an editor's write would.
/// </summary>
internal static class ResourceSnapshots
{
    public static JsonObject Tag(Tag tag) => ResourceRevisions.Snapshot(new { tag.Name, tag.Slug });

    public static JsonObject Author(Author a) => ResourceRevisions.Snapshot(new { a.Name, a.Slug, a.Bio, a.Photo, a.JobTitle, a.Email, a.SameAs });

    /// <summary>A section, with its parent by slug (null at the top of the tree).</summary>
    public static JsonObject Section(Section s, string? parent) => ResourceRevisions.Snapshot(new { s.Name, s.Slug, s.Description, Parent = parent, s.Position });

    /// <summary>A topic with its articles in order, as <see cref="Topic.Articles"/> holds them now.</summary>
    public static JsonObject Topic(Topic t) => Topic(t, t.Articles);

    /// <summary>A topic with these as its articles: an import's, whose new memberships are written after the topic.</summary>
    public static JsonObject Topic(Topic t, IEnumerable<TopicArticle> articles) =>
        ResourceRevisions.Snapshot(new { t.Title, t.Slug, t.Description, t.CoverImage, t.Status },
            ("articles", ResourceRevisions.Array(articles.OrderBy(m => m.Position).ThenBy(m => m.ArticleId).Select(m => m.ArticleId))));

    /// <summary>
    /// A featured list with its section by slug and its live entries as they now stand in this context (entries
    /// added, changed or taken off by the write included).
    /// </summary>
    public static async Task<JsonObject> FeaturedList(NewsDbContext db, FeaturedList list, CancellationToken ct)
    {
        var stored = db.Entry(list).State == EntityState.Added ? []
            : await db.FeaturedListEntries.Where(e => e.ListId == list.Id && e.RemovedAt == null).ToListAsync(ct);
        var entries = stored.Concat(db.FeaturedListEntries.Local.Where(e => e.ListId == list.Id && db.Entry(e).State == EntityState.Added))
            .Distinct().Where(e => e.RemovedAt == null)
            .OrderByDescending(e => e.Pinned).ThenBy(e => e.Position).ThenBy(e => e.ArticleId)
            .Select(e => new { Article = e.ArticleId, e.Position, e.Pinned, e.VisibleFrom, e.VisibleUntil });
        var section = list.SectionId is { } id ? await db.Sections.Where(s => s.Id == id).Select(s => s.Slug).FirstOrDefaultAsync(ct) : null;
        return ResourceRevisions.Snapshot(new { list.Title, list.Slug, Section = section, list.MaxItems }, ("entries", ResourceRevisions.Array(entries)));
    }
}
