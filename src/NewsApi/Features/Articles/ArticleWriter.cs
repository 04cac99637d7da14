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
        if (before is not null && content.Slug is { } slug)
            await ChangeSlug(article, slug, ct);

        var section = content.Section is null ? null : await db.Sections.FirstAsync(s => s.Slug == content.Section, ct);
        var tagSlugs = content.Tags ?? [];
        var tags = await db.Tags.Where(t => tagSlugs.Contains(t.Slug)).ToListAsync(ct);
        var authorSlugs = content.Authors ?? [];
        var authors = await db.Authors.Where(t => authorSlugs.Contains(t.Slug)).ToListAsync(ct);
        Copy(article, Normalise(content), section, tags, authors);

        return Changed(before, ContentOf(article));
    }

    /// <summary>
    /// The content as it will be stored: trimmed, blanks as null, html sanitised, defaults filled in. What
    /// <see cref="ContentOf"/> gives back after <see cref="Copy"/> (but for a slug left out), so imports compare with it.
    /// </summary>
    public static ArticleContent Normalise(ArticleContent c) => c with
    {
        Title = c.Title.Trim(),
        Subtitle = Blank(c.Subtitle),
        Summary = Blank(c.Summary),
        ExternalId = Blank(c.ExternalId),
        Byline = Blank(c.Byline),
        Source = Blank(c.Source),
        Language = c.Language ?? "zh-Hant",
        EmbargoUntil = c.EmbargoUntil?.ToUniversalTime(),
        Corrections = c.Corrections?.ToList() ?? [],
        Body = c.Body?.Select(b => b.Type == BlockTypes.Html ? b with { Html = Sanitizer.Sanitize(b.Html ?? "") } : b).ToList() ?? [],
        Authors = c.Authors ?? [],
        Tags = c.Tags ?? [],
    };

    /// <summary>
    /// Copies normalised content onto the article, its section, tags and authors already looked up (in content order
    /// or any order: they are placed by slug). Imports resolve them once per batch rather than per article.
    /// </summary>
    public static void Copy(Article article, ArticleContent normalised, Section? section, IReadOnlyCollection<Tag> tags, IReadOnlyCollection<Author> authors)
    {
        article.Title = normalised.Title;
        article.Subtitle = normalised.Subtitle;
        article.Summary = normalised.Summary;
        article.ExternalId = normalised.ExternalId;
        article.Byline = normalised.Byline;
        article.Source = normalised.Source;
        article.Language = normalised.Language!;
        article.Dateline = normalised.Dateline;
        article.CoverImage = normalised.CoverImage;
        article.EmbargoUntil = normalised.EmbargoUntil;
        article.Corrections = normalised.Corrections!.ToList();
        article.SetBody(normalised.Body!.ToList());
        (article.SectionId, article.Section) = (section?.Id, section);

        article.Tags.Clear();
        article.Tags.AddRange(normalised.Tags!.Select((slug, i) => new ArticleTag { ArticleId = article.Id, TagId = tags.First(t => t.Slug == slug).Id, Tag = tags.First(t => t.Slug == slug), Position = i }));
        article.Authors.Clear();
        article.Authors.AddRange(normalised.Authors!.Select((slug, i) => new ArticleAuthor { ArticleId = article.Id, AuthorId = authors.First(t => t.Slug == slug).Id, Author = authors.First(t => t.Slug == slug), Position = i }));
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
        db.ArticleRevisions.Add(Revision(article, last + 1, clock.GetUtcNow(), actor, action, fields));
        article.UpdatedAt = clock.GetUtcNow();
    }

    /// <summary>The revision recording a change, numbered by the caller (imports number a batch at once).</summary>
    public static ArticleRevision Revision(Article article, int number, DateTimeOffset at, string actor, string action, IReadOnlyList<string> fields) => new()
    {
        ArticleId = article.Id, Number = number, At = at, Actor = actor, Action = action,
        Fields = fields.ToList(), Snapshot = ContentOf(article),
    };

    static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    /// <summary>Names of the members that differ (every non-empty one when there was nothing before).</summary>
    public static IReadOnlyList<string> Changed(ArticleContent? before, ArticleContent after)
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
