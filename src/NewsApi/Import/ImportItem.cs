using System.Text.Json.Serialization;
using NewsApi.Content;
using NewsApi.Data.Entities;

namespace NewsApi.Import;

/// <summary>
/// One article of an import: the article write (<see cref="ArticleContent"/>, member for member) plus what only an
/// import may say. Found again by <c>externalId</c>, which an import therefore requires.
/// </summary>
/// <param name="Title">Plain text, 1–300 characters.</param>
/// <param name="Slug">Lowercase letters, digits and hyphens; generated from the title (pinyin for Chinese) for a new article when absent, kept when absent on an update.</param>
/// <param name="ExternalId">The source's id for this story (required): a re-import with the same id updates the article.</param>
/// <param name="Subtitle">Plain text, up to 300 characters.</param>
/// <param name="Summary">Plain text, up to 2,000 characters.</param>
/// <param name="Body">Ordered blocks: paragraph, heading, quote, image, list, html (sanitised).</param>
/// <param name="Dateline">Agency, place, date and the dateline as printed, e.g. 中新網烏鎮11月11日電.</param>
/// <param name="Byline">As printed, e.g. 張煜歡.</param>
/// <param name="Authors">Slugs of authors, in byline order (created when missing with ?createMissing=true).</param>
/// <param name="Source">Where the story comes from, e.g. 中國新聞網.</param>
/// <param name="Language">BCP 47 tag such as zh-Hant or zh-Hans; default zh-Hant.</param>
/// <param name="Section">Slug of the section (created when missing with ?createMissing=true).</param>
/// <param name="Tags">Slugs of tags (created when missing with ?createMissing=true).</param>
/// <param name="CoverImage">The image shown with the story in lists.</param>
/// <param name="EmbargoUntil">While in the future, a published article stays hidden from the public.</param>
/// <param name="Corrections">The old form of notices: the notices of type correction, oldest first; when sent, they replace those.</param>
/// <param name="Status">draft, published, scheduled (with publishAt), archived or unpublished. Absent: a new article is a draft and an existing one keeps its status. draft takes a live article down (unpublished). archived and unpublished, like published, need a key that may publish.</param>
/// <param name="PublishAt">When a scheduled article goes live; a time already past publishes now.</param>
/// <param name="Topics">Slugs of existing topic pages the article belongs to; absent leaves its topics as they are.</param>
/// <param name="Version">The source's version number: an item older than the one imported last is skipped (reported unchanged).</param>
/// <param name="PublishedAt">Archive migration: when the story went live in the source, in the past; kept instead of now, and lists and feeds order by it. With status published, archived or unpublished, and a key that may publish.</param>
/// <param name="FirstPublishedAt">Archive migration: when the story first went live (at or before publishedAt); default publishedAt.</param>
/// <param name="Notices">Corrections, clarifications, updates and editor's notes ({type, text, at}), oldest first.</param>
/// <param name="SeoTitle">The title for search results, up to 110 characters.</param>
/// <param name="MetaDescription">The description for search results and link previews, up to 320 characters.</param>
/// <param name="CanonicalUrl">Absolute http(s) address of the canonical page: for syndicated wire copy, the original.</param>
/// <param name="Noindex">True keeps the article out of sitemaps and search engines' indexes.</param>
/// <param name="OgImage">Absolute http(s) address of the image for social link previews.</param>
/// <param name="Keywords">Search keywords, at most 30 of up to 100 characters each.</param>
/// <param name="Genre">news (default), analysis, opinion, interview, review or sponsored.</param>
/// <param name="Urgency">Editorial urgency, 1 (most urgent) to 9.</param>
/// <param name="Breaking">Marks breaking news, until breakingUntil when given.</param>
/// <param name="BreakingUntil">When the breaking mark drops by itself.</param>
/// <param name="IsAccessibleForFree">False for paid content; default true.</param>
/// <param name="PaywallAfter">For paid content: how many leading blocks are free to read.</param>
/// <param name="UpdatedAt">Archive migration: when the story last changed in the source (at or after publishedAt, not in the future); default now.</param>
[NewsApi.Api.OpenApi.ValidatedAs(typeof(ArticleContent))] // an article write plus a few members: it carries the article's bounds
internal sealed record ImportItem(
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
    string? Status = null,
    DateTimeOffset? PublishAt = null,
    IReadOnlyList<string>? Topics = null,
    long? Version = null,
    DateTimeOffset? PublishedAt = null,
    DateTimeOffset? FirstPublishedAt = null,
    DateTimeOffset? UpdatedAt = null,
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
    int? PaywallAfter = null)
{
    /// <summary>
    /// Whether the item brings the story's history (its times, or a status it can only have reached by going live once):
    /// it then keeps those times instead of going live now, and announces nothing unless the import asks to notify.
    /// </summary>
    [JsonIgnore]
    public bool Historic => PublishedAt is not null || FirstPublishedAt is not null || UpdatedAt is not null
        || Status is ImportStatuses.Archived or ImportStatuses.Unpublished;

    [JsonIgnore]
    public ArticleContent Content => new(Title, Slug, ExternalId, Subtitle, Summary, Body, Dateline, Byline, Authors, Source, Language,
        Section, Tags, CoverImage, EmbargoUntil, Corrections, Notices, SeoTitle, MetaDescription, CanonicalUrl, Noindex, OgImage,
        Keywords, Genre, Urgency, Breaking, BreakingUntil, IsAccessibleForFree, PaywallAfter);
}

internal static class ImportStatuses
{
    public const string Draft = "draft";
    public const string Published = "published";
    public const string Scheduled = "scheduled";
    public const string Archived = "archived";
    public const string Unpublished = "unpublished";

    public static readonly IReadOnlyList<string> All = [Draft, Published, Scheduled, Archived, Unpublished];

    /// <summary>The statuses that say the story was public once, so may carry the times it was (an archive's history).</summary>
    public static readonly IReadOnlyList<string> Historic = [Published, Archived, Unpublished];

    /// <summary>The status an item asks for, or null when it says none (an existing article keeps its own).</summary>
    public static ArticleStatus? Wanted(string? status) => status switch
    {
        Draft => ArticleStatus.Draft,
        Published => ArticleStatus.Published,
        Scheduled => ArticleStatus.Scheduled,
        Archived => ArticleStatus.Archived,
        Unpublished => ArticleStatus.Unpublished,
        _ => null,
    };

    /// <summary>The longest status the OpenAPI document admits; longer than any of them.</summary>
    public const int MaxLength = 20;
}

internal static class ImportOutcomes
{
    public const string Created = "created";
    public const string Updated = "updated";
    public const string Unchanged = "unchanged";
    public const string Invalid = "invalid";
    public const string Failed = "failed";
}

/// <summary>The result of one input item, streamed back as one NDJSON line.</summary>
/// <param name="Line">The item's line in an NDJSON body, or its position (from 1) in a JSON array.</param>
/// <param name="ExternalId">The item's externalId (a ninjs item's uri), when it could be read.</param>
/// <param name="Id">The article's id (created, updated or unchanged).</param>
/// <param name="Outcome">created, updated, unchanged, invalid, or failed: the item's batch could not be saved and nothing of it was stored; send the item again.</param>
/// <param name="Errors">For invalid: what to change, by member, as in a 400 validation problem; for failed, why.</param>
/// <param name="Note">Why an item was left unchanged when it was not identical, such as an older ninjs version.</param>
internal sealed record ImportResult(int Line, string? ExternalId, Guid? Id, string Outcome, IDictionary<string, string[]>? Errors = null, string? Note = null);

/// <summary>The last NDJSON line of an import.</summary>
internal sealed record ImportSummaryLine(ImportSummary Summary);

/// <param name="Total">Items read (blank lines do not count).</param>
/// <param name="Created">Articles created.</param>
/// <param name="Updated">Articles changed, each with a revision.</param>
/// <param name="Unchanged">Items identical to the article (or older than it): nothing written.</param>
/// <param name="Invalid">Items refused; the others went ahead unless atomic.</param>
/// <param name="Failed">Items whose batch could not be saved (nothing of it stored; send them again); the batches after it went ahead.</param>
/// <param name="ElapsedMs">Time from the first byte read to this line.</param>
/// <param name="ArticlesPerSecond">Total divided by the elapsed time.</param>
/// <param name="Committed">Whether the results above are stored: false for a dry run and for an atomic import with an invalid item.</param>
/// <param name="DryRun">Whether this was a dry run.</param>
/// <param name="Atomic">Whether this was all-or-nothing.</param>
/// <param name="Stopped">Why reading stopped before the end of the body (a limit reached after results were already sent); the items before it are reported above.</param>
/// <param name="ResumeAt">When the import stopped at Import:MaxDuration: the line (NDJSON) or position (JSON array) of the first item not processed; send the body again from there to finish.</param>
internal sealed record ImportSummary(int Total, int Created, int Updated, int Unchanged, int Invalid, int Failed, long ElapsedMs, double ArticlesPerSecond,
    bool Committed, bool DryRun, bool Atomic, string? Stopped = null, int? ResumeAt = null);

/// <summary>An item as read from the body: either an import item or the errors that made it unreadable.</summary>
internal sealed record ParsedItem(int Line, ImportItem? Item, IDictionary<string, string[]>? Errors = null, string? ExternalId = null,
    IReadOnlyDictionary<string, string>? TagNames = null, string? Note = null)
{
    public string? Key => Item?.ExternalId ?? ExternalId;
}

/// <summary>Thrown when a body breaks a configured limit; answered 413 when no result was sent yet.</summary>
internal sealed class ImportLimitException(string limit, long max, string detail) : Exception(detail)
{
    public string Limit { get; } = limit;
    public long Max { get; } = max;
}
