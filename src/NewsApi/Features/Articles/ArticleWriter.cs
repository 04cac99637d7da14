using System.Text.Json;
using Ganss.Xss;
using Microsoft.EntityFrameworkCore;
using NewsApi.Content;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Features.Articles;

/// <summary>
/// Copies an editor's content onto an article field by field — never the request wholesale onto the entity —
/// and records each change as a revision. Shared by create, replace, patch, restore and the workflow.
/// </summary>
public sealed class ArticleWriter(NewsDbContext db, TimeProvider clock)
{
    static readonly HtmlSanitizer Sanitizer = new();
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The article's current content, as an editor would write it.</summary>
    public static ArticleContent ContentOf(Article a) => new(
        a.Title, a.Slug, a.ExternalId, a.Subtitle, a.Summary, a.Body, a.Dateline, a.Byline,
        a.Authors.OrderBy(x => x.Position).Select(x => x.Author.Slug).ToList(),
        a.Source, a.Language, a.Section?.Slug,
        a.Tags.OrderBy(x => x.Position).Select(x => x.Tag.Slug).ToList(),
        a.CoverImage, a.EmbargoUntil, a.Corrections);

    /// <summary>Loads an article with everything its content names, tracked for a change.</summary>
    public Task<Article?> Load(Guid id, CancellationToken ct) => db.Articles
        .Include(a => a.Section).Include(a => a.Authors).ThenInclude(x => x.Author).Include(a => a.Tags).ThenInclude(x => x.Tag)
        .AsSplitQuery().FirstOrDefaultAsync(a => a.Id == id, ct);

    /// <summary>Applies content and returns the names of the fields that changed (empty when nothing did).</summary>
    public async Task<IReadOnlyList<string>> Apply(Article article, ArticleContent content, CancellationToken ct)
    {
        var before = article.CreatedAt == default ? null : ContentOf(article);
        var sanitised = Sanitise(content);
        if (before is not null && content.Slug is { } slug)
            await ChangeSlug(article, slug, ct);

        article.Title = sanitised.Title.Trim();
        article.Subtitle = Blank(sanitised.Subtitle);
        article.Summary = Blank(sanitised.Summary);
        article.ExternalId = Blank(sanitised.ExternalId);
        article.Byline = Blank(sanitised.Byline);
        article.Source = Blank(sanitised.Source);
        article.Language = sanitised.Language ?? "zh-Hant";
        article.Dateline = sanitised.Dateline;
        article.CoverImage = sanitised.CoverImage;
        article.EmbargoUntil = sanitised.EmbargoUntil?.ToUniversalTime();
        article.Corrections = sanitised.Corrections?.ToList() ?? [];
        article.SetBody(sanitised.Body?.ToList() ?? []);

        var section = sanitised.Section is null ? null : await db.Sections.FirstAsync(s => s.Slug == sanitised.Section, ct);
        (article.SectionId, article.Section) = (section?.Id, section);

        var tagSlugs = sanitised.Tags ?? [];
        var tags = await db.Tags.Where(t => tagSlugs.Contains(t.Slug)).ToListAsync(ct);
        article.Tags.Clear();
        article.Tags.AddRange(tagSlugs.Select((slug, i) => new ArticleTag { ArticleId = article.Id, Tag = tags.First(t => t.Slug == slug), Position = i }));

        var authorSlugs = sanitised.Authors ?? [];
        var authors = await db.Authors.Where(t => authorSlugs.Contains(t.Slug)).ToListAsync(ct);
        article.Authors.Clear();
        article.Authors.AddRange(authorSlugs.Select((slug, i) => new ArticleAuthor { ArticleId = article.Id, Author = authors.First(t => t.Slug == slug), Position = i }));

        return Changed(before, ContentOf(article));
    }

    /// <summary>Moves the article to a new slug; the old one keeps answering with a redirect.</summary>
    public async Task ChangeSlug(Article article, string slug, CancellationToken ct)
    {
        if (article.Slug == slug)
            return;
        await db.ArticleSlugs.Where(s => s.Slug == slug).ExecuteDeleteAsync(ct);
        db.ArticleSlugs.Add(new ArticleSlug { Slug = article.Slug, ArticleId = article.Id, RetiredAt = clock.GetUtcNow() });
        article.Slug = slug;
    }

    public async Task Revise(Article article, string actor, string action, IReadOnlyList<string> fields, CancellationToken ct)
    {
        var last = await db.ArticleRevisions.Where(r => r.ArticleId == article.Id).MaxAsync(r => (int?)r.Number, ct) ?? 0;
        db.ArticleRevisions.Add(new ArticleRevision
        {
            ArticleId = article.Id, Number = last + 1, At = clock.GetUtcNow(), Actor = actor, Action = action,
            Fields = fields.ToList(), Snapshot = ContentOf(article),
        });
        article.UpdatedAt = clock.GetUtcNow();
    }

    static ArticleContent Sanitise(ArticleContent c) => c with
    {
        Body = c.Body?.Select(b => b.Type == BlockTypes.Html ? b with { Html = Sanitizer.Sanitize(b.Html ?? "") } : b).ToList(),
    };

    static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    static IReadOnlyList<string> Changed(ArticleContent? before, ArticleContent after)
    {
        var now = JsonSerializer.SerializeToElement(after, Json);
        if (before is null)
            return now.EnumerateObject()
                .Where(p => p.Value.ValueKind != JsonValueKind.Null && !(p.Value.ValueKind == JsonValueKind.Array && p.Value.GetArrayLength() == 0))
                .Select(p => p.Name).ToList();
        var then = JsonSerializer.SerializeToElement(before, Json);
        return now.EnumerateObject()
            .Where(p => !JsonElement.DeepEquals(p.Value, then.GetProperty(p.Name)))
            .Select(p => p.Name).ToList();
    }
}
