using System.Text.Json;
using NewsApi.Content;
using NewsApi.Data.Entities;

namespace NewsApi.Articles;

/// <summary>
/// An article's editable content (<see cref="ArticleContent"/>): read off the article, normalised as it will be
/// stored, copied onto the article field by field — never the request wholesale onto the entity — and compared.
/// </summary>
internal static class ArticleFields
{
    // The resolver the serializer would fill in, given here so that the contract can be read before any serialising.
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver() };

    /// <summary>The article's current content, as an editor would write it (what a revision keeps).</summary>
    public static ArticleContent Of(Article a) => new(
        a.Title, a.Slug, a.ExternalId, a.Subtitle, a.Summary, a.Body, a.Dateline, a.Byline,
        a.Authors.OrderBy(x => x.Position).Select(x => x.Author.Slug).ToList(),
        a.Source, a.Language, a.Section?.Slug,
        a.Tags.OrderBy(x => x.Position).Select(x => x.Tag.Slug).ToList(),
        a.CoverImage, a.EmbargoUntil, null, a.Notices,
        a.SeoTitle, a.MetaDescription, a.CanonicalUrl, a.Noindex, a.OgImage, a.Keywords, a.Genre, a.Urgency, a.Breaking,
        a.BreakingUntil, a.IsAccessibleForFree, a.PaywallAfter, a.RelatedIds.Select(id => id.ToString()).ToList());

    /// <summary>
    /// The content as it will be stored: trimmed, blanks as null, html sanitised (by <see cref="NewsHtml"/>), defaults filled in. What
    /// <see cref="Of"/> gives back after <see cref="Copy"/> (but for a slug left out), so imports compare with it.
    /// </summary>
    public static ArticleContent Normalise(ArticleContent c, NewsHtml html) => c with
    {
        Title = c.Title.Trim(),
        Subtitle = Blank(c.Subtitle),
        Summary = Blank(c.Summary),
        ExternalId = Blank(c.ExternalId),
        Byline = Blank(c.Byline),
        Source = Blank(c.Source),
        Language = c.Language ?? "zh-Hant",
        EmbargoUntil = c.EmbargoUntil?.ToUniversalTime(),
        Corrections = null,
        Notices = Notices(c),
        SeoTitle = Blank(c.SeoTitle),
        MetaDescription = Blank(c.MetaDescription),
        CanonicalUrl = Blank(c.CanonicalUrl),
        Noindex = c.Noindex ?? false,
        OgImage = Blank(c.OgImage),
        Keywords = c.Keywords?.Select(k => k.Trim()).Where(k => k.Length > 0).Distinct().ToList() ?? [],
        Genre = c.Genre ?? Genres.News,
        Breaking = c.Breaking ?? false,
        // An expiry without the mark means nothing; a past one is the scheduler's to clear.
        BreakingUntil = c.Breaking == true ? c.BreakingUntil?.ToUniversalTime() : null,
        IsAccessibleForFree = c.IsAccessibleForFree ?? true,
        PaywallAfter = c.IsAccessibleForFree == false ? c.PaywallAfter : null,
        Body = c.Body?.Select(b => b.Type == BlockTypes.Html ? b with { Html = html.Sanitize(b.Html ?? "") } : b).ToList() ?? [],
        Authors = c.Authors ?? [],
        Tags = c.Tags ?? [],
        Related = c.Related?.Select(r => r.Trim()).ToList() ?? [],
    };

    /// <summary>
    /// Copies normalised content onto the article (but its related stories, which <see cref="ArticleWriter"/> resolves
    /// from ids or slugs and the import leaves as they are), its section, tags and authors already looked up (in content order
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
        article.Notices = normalised.Notices!.ToList();
        article.SeoTitle = normalised.SeoTitle;
        article.MetaDescription = normalised.MetaDescription;
        article.CanonicalUrl = normalised.CanonicalUrl;
        article.Noindex = normalised.Noindex!.Value;
        article.OgImage = normalised.OgImage;
        article.Keywords = normalised.Keywords!.ToList();
        article.Genre = normalised.Genre!;
        article.Urgency = normalised.Urgency;
        article.Breaking = normalised.Breaking!.Value;
        article.BreakingUntil = normalised.BreakingUntil;
        article.IsAccessibleForFree = normalised.IsAccessibleForFree!.Value;
        article.PaywallAfter = normalised.PaywallAfter;
        article.SetBody(normalised.Body!.ToList());
        (article.SectionId, article.Section) = (section?.Id, section);

        article.Tags.Clear();
        article.Tags.AddRange(normalised.Tags!.Select((slug, i) => new ArticleTag { ArticleId = article.Id, TagId = tags.First(t => t.Slug == slug).Id, Tag = tags.First(t => t.Slug == slug), Position = i }));
        article.Authors.Clear();
        article.Authors.AddRange(normalised.Authors!.Select((slug, i) => new ArticleAuthor { ArticleId = article.Id, AuthorId = authors.First(t => t.Slug == slug).Id, Author = authors.First(t => t.Slug == slug), Position = i }));
    }

    /// <summary>Names of the members that differ (every non-empty one when there was nothing before).</summary>
    public static List<string> Changed(ArticleContent? before, ArticleContent after)
    {
        // A new article's fields are the members it has, read off the contract in its order: serialising its whole body
        // only to name them was a measurable share of what an imported story cost.
        if (before is null)
            return Json.GetTypeInfo(typeof(ArticleContent)).Properties
                .Where(p => p.Get?.Invoke(after) is { } value && !(value is System.Collections.IEnumerable list and not string && !list.GetEnumerator().MoveNext()))
                .Select(p => p.Name).ToList();
        var now = JsonSerializer.SerializeToElement(after, Json);
        var then = JsonSerializer.SerializeToElement(before, Json);
        return now.EnumerateObject()
            .Where(p => !JsonElement.DeepEquals(p.Value, then.GetProperty(p.Name)))
            .Select(p => p.Name).ToList();
    }

    /// <summary>
    /// The notices as they will be stored, oldest first, texts trimmed. The old <c>corrections</c> member, when sent,
    /// stands for the notices of type correction: it replaces those and leaves the others.
    /// </summary>
    static List<Notice> Notices(ArticleContent c)
    {
        var notices = (c.Notices ?? []).Select(n => n with { Text = n.Text?.Trim() ?? "", At = n.At.ToUniversalTime() });
        if (c.Corrections is { } corrections)
            notices = notices.Where(n => n.Type != NoticeTypes.Correction)
                .Concat(corrections.Select(x => new Notice(NoticeTypes.Correction, x.Text?.Trim() ?? "", x.At.ToUniversalTime())));
        return notices.OrderBy(n => n.At).ToList();
    }

    /// <summary>
    /// The first notice of <paramref name="before"/> (its index there) that <paramref name="after"/> no longer holds
    /// as it was: edited or removed. Notices added, wherever their time puts them, are not edits. Null when none.
    /// </summary>
    public static int? EditedNotice(IReadOnlyList<Notice>? before, IReadOnlyList<Notice>? after)
    {
        before ??= [];
        var kept = (after ?? []).ToList();
        for (var i = 0; i < before.Count; i++)
            if (!kept.Remove(before[i]))
                return i;
        return null;
    }

    static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
