using NewsApi.Data.Entities;

namespace NewsApi.Content;

/// <summary>
/// Everything about an article an editor may write: the body of POST and PUT, what PATCH merges into, and what a
/// revision keeps. Status, times, ids and row versions are not here, so no content write can set them.
/// Related resources are named by slug.
/// </summary>
/// <param name="Title">Plain text, 1–300 characters.</param>
/// <param name="Slug">Lowercase letters, digits and hyphens; generated from the title (in pinyin for Chinese) when absent.</param>
/// <param name="ExternalId">The source's id for this story, unique; used by imports to find it again.</param>
/// <param name="Subtitle">Plain text, up to 300 characters.</param>
/// <param name="Summary">Plain text, up to 2,000 characters.</param>
/// <param name="Body">Ordered blocks: paragraph, heading, quote, image, list, html (sanitised).</param>
/// <param name="Dateline">Agency, place, date and the dateline as printed, e.g. 中新網烏鎮11月11日電.</param>
/// <param name="Byline">As printed, e.g. 張煜歡.</param>
/// <param name="Authors">Slugs of authors, in byline order.</param>
/// <param name="Source">Where the story comes from, e.g. 中國新聞網.</param>
/// <param name="Language">BCP 47 tag such as zh-Hant or zh-Hans; default zh-Hant.</param>
/// <param name="Section">Slug of the section.</param>
/// <param name="Tags">Slugs of tags.</param>
/// <param name="CoverImage">The image shown with the story in lists.</param>
/// <param name="EmbargoUntil">While in the future, a published article stays hidden from the public.</param>
/// <param name="Corrections">The old form of notices: the notices of type correction, oldest first. When sent, they replace the correction notices (notices of other types stay).</param>
/// <param name="Notices">Corrections, clarifications, updates and editor's notes ({type, text, at}), oldest first. New ones are best added with POST /articles/{id}/notices; changing an old one is audited.</param>
/// <param name="SeoTitle">The title for search results and the page's title element, up to 110 characters; default the title.</param>
/// <param name="MetaDescription">The description for search results and link previews, up to 320 characters; default the summary.</param>
/// <param name="CanonicalUrl">Absolute http(s) address of the story's canonical page: for syndicated wire copy, the original.</param>
/// <param name="Noindex">True keeps the article out of sitemaps and tells search engines not to index it (X-Robots-Tag: noindex).</param>
/// <param name="OgImage">Absolute http(s) address of the image for social link previews (Open Graph); default the cover image.</param>
/// <param name="Keywords">Search keywords, at most 30 of up to 100 characters each.</param>
/// <param name="Genre">news (default), analysis, opinion, interview, review or sponsored; sponsored content is labelled in every representation.</param>
/// <param name="Urgency">Editorial urgency as IPTC has it, 1 (most urgent) to 9.</param>
/// <param name="Breaking">Marks breaking news, until breakingUntil when given.</param>
/// <param name="BreakingUntil">When the breaking mark drops by itself.</param>
/// <param name="IsAccessibleForFree">False for paid content; default true.</param>
/// <param name="PaywallAfter">For paid content: how many leading blocks are free to read; the rest is marked as the paywalled part.</param>
/// <param name="Related">Related stories, in the order to show them: article ids or slugs, at most 20, not the article itself. Read back as ids.</param>
internal sealed record ArticleContent(
    string Title,
    string? Slug = null,
    string? ExternalId = null,
    string? Subtitle = null,
    string? Summary = null,
    IReadOnlyList<Block>? Body = null,
    Dateline? Dateline = null,
    string? Byline = null,
    IReadOnlyList<string>? Authors = null,
    string? Source = null,
    string? Language = null,
    string? Section = null,
    IReadOnlyList<string>? Tags = null,
    Image? CoverImage = null,
    DateTimeOffset? EmbargoUntil = null,
    IReadOnlyList<Correction>? Corrections = null,
    IReadOnlyList<Notice>? Notices = null,
    string? SeoTitle = null,
    string? MetaDescription = null,
    string? CanonicalUrl = null,
    bool? Noindex = null,
    string? OgImage = null,
    IReadOnlyList<string>? Keywords = null,
    string? Genre = null,
    int? Urgency = null,
    bool? Breaking = null,
    DateTimeOffset? BreakingUntil = null,
    bool? IsAccessibleForFree = null,
    int? PaywallAfter = null,
    IReadOnlyList<string>? Related = null)
{
    /// <summary>The most related stories an editor may choose.</summary>
    public const int MaxRelated = 20;

    /// <summary>The longest language tag (BCP 47) an article may carry: the validator's bound and the column's length.</summary>
    public const int MaxLanguageLength = 35;

    // Bounds shared by the validator and the columns. 110 characters is the headline Google shows in full; 320 the
    // longest snippet it shows.
    public const int MaxSeoTitleLength = 110;
    public const int MaxMetaDescriptionLength = 320;
    public const int MaxUrlLength = 2000;
    public const int MaxKeywords = 30;
    public const int MaxKeywordLength = 100;
}
