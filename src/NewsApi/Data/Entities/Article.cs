using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NewsApi.Content;

namespace NewsApi.Data.Entities;

internal enum ArticleStatus { Draft, Scheduled, Published, Unpublished, Archived, Killed }

internal sealed class Article
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public string? ExternalId { get; set; }
    public required string Slug { get; set; }
    public required string Title { get; set; }
    public string? Subtitle { get; set; }
    public string? Summary { get; set; }
    public List<Block> Body { get; private set; } = [];
    public Dateline? Dateline { get; set; }
    public string? Byline { get; set; }
    public string? Source { get; set; }
    public string Language { get; set; } = "zh-Hant";
    public Guid? SectionId { get; set; }
    public Section? Section { get; set; }
    public Image? CoverImage { get; set; }
    public ArticleStatus Status { get; set; } = ArticleStatus.Draft;

    // The workflow's times: when a scheduled article goes live, when it went live (last and first),
    // when it should come down again, and until when an embargo hides a published article.
    public DateTimeOffset? PublishAt { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }
    public DateTimeOffset? FirstPublishedAt { get; set; }
    public DateTimeOffset? UnpublishAt { get; set; }
    public DateTimeOffset? EmbargoUntil { get; set; }

    /// <summary>
    /// When the public could first read the article (published and past any embargo), null while it never could. Set
    /// by the change recorder on every save, so no path forgets it; it decides whether a kill is a 410 or a 404.
    /// </summary>
    public DateTimeOffset? FirstPublicAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? KilledAt { get; set; }
    public string? KillReason { get; set; }
    /// <summary>Corrections, clarifications, updates and editor's notes, oldest first (the old corrections are those of type correction).</summary>
    public List<Notice> Notices { get; set; } = [];

    // What search engines and social sites read (SeoTitle, MetaDescription, CanonicalUrl, Noindex, OgImage, Keywords)
    // and how the story is labelled (Genre, Urgency, Breaking until BreakingUntil, the paywall).
    public string? SeoTitle { get; set; }
    public string? MetaDescription { get; set; }
    public string? CanonicalUrl { get; set; }
    public bool Noindex { get; set; }
    public string? OgImage { get; set; }
    public List<string> Keywords { get; set; } = [];
    public string Genre { get; set; } = Genres.News;
    public int? Urgency { get; set; }
    public bool Breaking { get; set; }

    /// <summary>When the breaking flag drops by itself (the scheduler clears it); null keeps it until an editor does.</summary>
    public DateTimeOffset? BreakingUntil { get; set; }
    public bool IsAccessibleForFree { get; set; } = true;

    /// <summary>For paid content: how many leading blocks are free to read (the rest is the paywalled part); null: none.</summary>
    public int? PaywallAfter { get; set; }

    /// <summary>The related stories the editors chose, in their order (GET …/related shows the public ones first).</summary>
    public List<Guid> RelatedIds { get; set; } = [];

    // Set by imports: SHA-256 of the imported item and the updatedAt it produced, so re-importing an identical item is
    // recognised without loading the article (any later edit moves updatedAt and voids it); and the source's version.
    public string? ImportHash { get; set; }
    public long? ImportVersion { get; set; }

    /// <summary>
    /// The body as plain text, rendered from the blocks when first asked for and not stored: the body is stored once
    /// (issue 16; a stored copy was 2.7 KB an article, 2.5 GiB at a million). Kept for the body it was rendered from.
    /// </summary>
    public string BodyText
    {
        get
        {
            if (!ReferenceEquals(_textOf, Body))
                (_text, _textOf) = (BodyRenderer.Text(Body), Body);
            return _text!;
        }
    }

    string? _text;
    List<Block>? _textOf;

    // Counted on every write, so that lists, which never read the body, show it.
    public int CharCount { get; private set; }

    public void SetBody(List<Block> body)
    {
        Body = body;
        CharCount = ChineseText.CountCharacters(BodyText);
    }

    /// <summary>PostgreSQL's xmin: changes on every update, the basis of the ETag.</summary>
    public uint Version { get; set; }

    public List<ArticleAuthor> Authors { get; set; } = [];
    public List<ArticleTag> Tags { get; set; } = [];
    public List<TopicArticle> Topics { get; set; } = [];
    public List<ArticleSlug> OldSlugs { get; set; } = [];
}

/// <summary>
/// An image with a story: a URL of its own, or an asset of the media library (assetId), whose url, size, texts and
/// renditions the service fills in when the article is saved.
/// </summary>
internal sealed record Image(string Url, string? Caption = null, string? Credit = null, string? Alt = null, int? Width = null, int? Height = null,
    Guid? AssetId = null, IReadOnlyList<RenditionLink>? Renditions = null);

/// <summary>A rendition as lists show it: enough for an img srcset without asking the server anything.</summary>
/// <param name="Preset">The preset's name, e.g. w640.</param>
/// <param name="Format">webp, avif or jpg.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Url">Its address (versioned: the URL changes when the crop does, so it may be cached for a year).</param>
internal sealed record RenditionLink(string Preset, string Format, int Width, int Height, string Url);

internal sealed class ArticleConfiguration : IEntityTypeConfiguration<Article>
{
    public void Configure(EntityTypeBuilder<Article> a)
    {
        a.Property(x => x.Id).ValueGeneratedNever();
        a.Property(x => x.ExternalId).HasMaxLength(200);
        a.HasIndex(x => x.ExternalId).IsUnique().HasFilter("external_id IS NOT NULL");
        a.Property(x => x.Slug).HasMaxLength(Slugs.MaxLookupLength);
        a.HasIndex(x => x.Slug).IsUnique();
        a.Property(x => x.Title).HasMaxLength(300);
        a.Property(x => x.Subtitle).HasMaxLength(300);
        a.Property(x => x.Summary).HasMaxLength(2000);
        a.Property(x => x.Byline).HasMaxLength(200);
        a.Property(x => x.Source).HasMaxLength(200);
        a.Property(x => x.Language).HasMaxLength(ArticleContent.MaxLanguageLength);
        a.Property(x => x.KillReason).HasMaxLength(2000);
        a.Property(x => x.ImportHash).HasMaxLength(64);
        a.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        a.Property(x => x.Body).HasJsonConversion();
        a.Ignore(x => x.BodyText);
        a.Property(x => x.Dateline).HasJsonConversion();
        a.Property(x => x.CoverImage).HasJsonConversion();
        a.Property(x => x.Notices).HasJsonConversion();
        a.Property(x => x.SeoTitle).HasMaxLength(ArticleContent.MaxSeoTitleLength);
        a.Property(x => x.MetaDescription).HasMaxLength(ArticleContent.MaxMetaDescriptionLength);
        a.Property(x => x.CanonicalUrl).HasMaxLength(ArticleContent.MaxUrlLength);
        a.Property(x => x.OgImage).HasMaxLength(ArticleContent.MaxUrlLength);
        a.Property(x => x.Genre).HasMaxLength(20);
        a.Property(x => x.Version).IsRowVersion();
        // Rows from before related stories existed, and the import's COPY, which leaves the column out, start with none.
        a.Property(x => x.RelatedIds).HasDefaultValueSql("'{}'");

        a.HasOne(x => x.Section).WithMany().HasForeignKey(x => x.SectionId).OnDelete(DeleteBehavior.Restrict);

        // Public lists walk published articles newest first, optionally within sections;
        // the keyset (published_at, id) makes every page an index range scan.
        a.HasIndex(x => new { x.PublishedAt, x.Id }).HasDatabaseName("ix_articles_public_published")
            .IsDescending(true, true).HasFilter("status = 'Published'");
        a.HasIndex(x => new { x.SectionId, x.PublishedAt, x.Id }).HasDatabaseName("ix_articles_public_section")
            .IsDescending(false, true, true).HasFilter("status = 'Published'");
        a.HasIndex(x => new { x.UpdatedAt, x.Id }).HasDatabaseName("ix_articles_public_updated")
            .IsDescending(true, true).HasFilter("status = 'Published'");
        // The scheduler looks for what is due: scheduled publishes, unpublishes and embargo ends.
        a.HasIndex(x => x.PublishAt).HasDatabaseName("ix_articles_due_publish").HasFilter("status = 'Scheduled'");
        a.HasIndex(x => x.UnpublishAt).HasDatabaseName("ix_articles_due_unpublish").HasFilter("unpublish_at IS NOT NULL");
        a.HasIndex(x => x.EmbargoUntil).HasDatabaseName("ix_articles_due_embargo").HasFilter("embargo_until IS NOT NULL");
        a.HasIndex(x => x.BreakingUntil).HasDatabaseName("ix_articles_due_breaking").HasFilter("breaking_until IS NOT NULL");
    }
}
