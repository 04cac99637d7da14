using NewsApi.Content;
using NewsApi.Data.Entities;

namespace NewsApi.Reads;

// Responses are their own records, never entities, so the wire format changes only on purpose
// and nothing internal (row versions, kill bookkeeping, derived columns) leaks by accident.

internal sealed record SectionRef(string Slug, string Name);
internal sealed record AuthorRef(string Slug, string Name);
internal sealed record TagRef(string Slug, string Name);
internal sealed record TopicRef(string Slug, string Title);

/// <summary>
/// An article as the list endpoints show it: section, authors, tags and topics only when included, the body only when
/// <c>fields</c> names it.
/// </summary>
internal sealed record ArticleSummary
{
    public Guid Id { get; init; }
    public required string Slug { get; init; }
    public required string Title { get; init; }
    public string? Subtitle { get; init; }
    public string? Summary { get; init; }
    public Dateline? Dateline { get; init; }
    public string? Byline { get; init; }
    public string? Source { get; init; }
    public required string Language { get; init; }
    public Image? CoverImage { get; init; }
    public ArticleStatus Status { get; init; }
    public DateTimeOffset? PublishedAt { get; init; }
    public DateTimeOffset? FirstPublishedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public int CharCount { get; init; }
    public int ReadingTimeMinutes { get; init; }
    public required string Genre { get; init; }

    /// <summary>The label readers must see with the story (贊助內容 for sponsored content), null when none.</summary>
    public string? Label { get; init; }
    public int? Urgency { get; init; }
    public bool Breaking { get; init; }
    public bool IsAccessibleForFree { get; init; }
    public SectionRef? Section { get; init; }
    public IReadOnlyList<AuthorRef>? Authors { get; init; }
    public IReadOnlyList<TagRef>? Tags { get; init; }
    public IReadOnlyList<TopicRef>? Topics { get; init; }

    /// <summary>The body's blocks, only when <c>fields</c> names <c>body</c>.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<Block>? Body { get; init; }

    /// <summary>The body as sanitised HTML, only when <c>fields</c> names <c>bodyHtml</c>.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? BodyHtml { get; init; }

    /// <summary>Internal: the section to resolve when <c>include=section</c> is asked for.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Guid? SectionId { get; init; }

    /// <summary>Internal: the item as the read model stored it, written as it stands (see <see cref="RenderedJson"/>).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public RenderedItem? Rendered { get; init; }

    /// <summary>A stand-in for a stored item: only its id is known here; its bytes are what is written.</summary>
    public static ArticleSummary Of(Guid id, byte[] item, byte[]? bodies, ItemShape shape) =>
        new() { Id = id, Slug = "", Title = "", Language = "", Genre = "", Rendered = new RenderedItem(item, bodies, shape) };

    /// <summary>The members <see cref="Body"/> and <see cref="BodyHtml"/> alone, as the read model stores them apart.</summary>
    public sealed record Bodies(IReadOnlyList<Block> Body, string BodyHtml);
}

/// <summary>A list item's stored bytes (its body members apart, when read) and the members a read shows of them.</summary>
internal sealed record RenderedItem(byte[] Json, byte[]? Bodies, ItemShape Shape);

/// <summary>A whole article with its body and everything derived from it.</summary>
internal sealed record ArticleResponse
{
    public Guid Id { get; init; }
    public string? ExternalId { get; init; }
    public required string Slug { get; init; }
    public required string Title { get; init; }
    public string? Subtitle { get; init; }
    public string? Summary { get; init; }
    public required IReadOnlyList<Block> Body { get; init; }
    public Dateline? Dateline { get; init; }
    public string? Byline { get; init; }
    public required IReadOnlyList<AuthorRef> Authors { get; init; }
    public string? Source { get; init; }
    public required string Language { get; init; }
    public SectionRef? Section { get; init; }
    public required IReadOnlyList<TagRef> Tags { get; init; }
    public required IReadOnlyList<TopicRef> Topics { get; init; }
    public Image? CoverImage { get; init; }
    public ArticleStatus Status { get; init; }
    public DateTimeOffset? PublishAt { get; init; }
    public DateTimeOffset? PublishedAt { get; init; }
    public DateTimeOffset? FirstPublishedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? EmbargoUntil { get; init; }

    /// <summary>When the article is scheduled to come down: shown to previewers and editors, never in public answers.</summary>
    public DateTimeOffset? UnpublishAt { get; init; }

    /// <summary>Corrections, clarifications, updates and editor's notes, oldest first.</summary>
    public required IReadOnlyList<Notice> Notices { get; init; }

    /// <summary>The notices of type correction in their old shape ({at, text}), kept for clients written before notices.</summary>
    public required IReadOnlyList<Correction> Corrections { get; init; }
    public string? SeoTitle { get; init; }
    public string? MetaDescription { get; init; }
    public string? CanonicalUrl { get; init; }
    public bool Noindex { get; init; }
    public string? OgImage { get; init; }
    public required IReadOnlyList<string> Keywords { get; init; }
    public required string Genre { get; init; }

    /// <summary>The label readers must see with the story (贊助內容 for sponsored content), null when none.</summary>
    public string? Label { get; init; }
    public int? Urgency { get; init; }
    public bool Breaking { get; init; }
    public DateTimeOffset? BreakingUntil { get; init; }
    public bool IsAccessibleForFree { get; init; }
    public int? PaywallAfter { get; init; }
    public int CharCount { get; init; }
    public int ReadingTimeMinutes { get; init; }
    public required IReadOnlyList<TocEntry> Toc { get; init; }
    public required string BodyHtml { get; init; }
    public required string BodyText { get; init; }

    /// <summary>
    /// Ids of the related stories the editors chose, in order; only with a key (the public read GET …/related, which
    /// shows only the public ones), and only when there are some.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<Guid>? Related { get; init; }
}
