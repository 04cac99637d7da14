using Microsoft.EntityFrameworkCore;
using NewsApi.Reads;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Features.Articles;

/// <summary>Fills the related resources a list asked for with <c>include</c>, one query per kind for the whole page.</summary>
internal static class ArticleIncludes
{
    public static async Task<IReadOnlyList<ArticleSummary>> Apply(
        NewsDbContext db, IReadOnlyList<ArticleSummary> page, IReadOnlyList<string> include, CancellationToken ct)
    {
        if (include.Count == 0 || page.Count == 0)
            return page;
        var ids = page.Select(a => a.Id).ToList();

        var sections = new Dictionary<Guid, SectionRef>();
        if (include.Contains("section"))
        {
            var sectionIds = page.Where(a => a.SectionId != null).Select(a => a.SectionId!.Value).Distinct().ToList();
            sections = await db.Sections.AsNoTracking().Where(s => sectionIds.Contains(s.Id))
                .ToDictionaryAsync(s => s.Id, s => new SectionRef(s.Slug, s.Name), ct);
        }
        var authors = include.Contains("authors")
            ? (await db.ArticleAuthors.AsNoTracking().Where(x => ids.Contains(x.ArticleId)).OrderBy(x => x.Position)
                .Select(x => new { x.ArticleId, Ref = new AuthorRef(x.Author.Slug, x.Author.Name) }).ToListAsync(ct))
                .ToLookup(x => x.ArticleId, x => x.Ref)
            : null;
        var tags = include.Contains("tags")
            ? (await db.ArticleTags.AsNoTracking().Where(x => ids.Contains(x.ArticleId)).OrderBy(x => x.Position)
                .Select(x => new { x.ArticleId, Ref = new TagRef(x.Tag.Slug, x.Tag.Name) }).ToListAsync(ct))
                .ToLookup(x => x.ArticleId, x => x.Ref)
            : null;
        var topics = include.Contains("topics")
            ? (await db.TopicArticles.AsNoTracking()
                .Where(x => ids.Contains(x.ArticleId) && x.Topic.Status == TopicStatus.Published).OrderBy(x => x.Topic.Title)
                .Select(x => new { x.ArticleId, Ref = new TopicRef(x.Topic.Slug, x.Topic.Title) }).ToListAsync(ct))
                .ToLookup(x => x.ArticleId, x => x.Ref)
            : null;

        return page.Select(a => a with
        {
            Section = a.SectionId is { } s && sections.TryGetValue(s, out var section) ? section : null,
            Authors = authors?[a.Id].ToList(),
            Tags = tags?[a.Id].ToList(),
            Topics = topics?[a.Id].ToList(),
        }).ToList();
    }
}
