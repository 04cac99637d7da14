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
/// <param name="Corrections">Published corrections, oldest first.</param>
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
    IReadOnlyList<string>? Related = null)
{
    /// <summary>The most related stories an editor may choose.</summary>
    public const int MaxRelated = 20;

    /// <summary>The longest language tag (BCP 47) an article may carry: the validator's bound and the column's length.</summary>
    public const int MaxLanguageLength = 35;
}
