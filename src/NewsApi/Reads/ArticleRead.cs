using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NewsApi.Data.Entities;

namespace NewsApi.Reads;

/// <summary>
/// What the public can read of one article, rendered when it changed (see <see cref="ReadModel"/>): a row exists
/// only for a published article (its embargo still applies at query time) and, as a tombstone without documents,
/// for a killed one that was once public (one never public is simply not found). Every other status has no row, so no public read can find it.
/// </summary>
internal sealed class ArticleRead
{
    public Guid Id { get; set; }
    public required string Slug { get; set; }
    public Guid? SectionId { get; set; }

    /// <summary>Every section, tag, author and topic the documents embed, so a change to one re-renders them.</summary>
    public List<Guid> Refs { get; set; } = [];

    public DateTimeOffset? PublishedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? EmbargoUntil { get; set; }

    /// <summary>
    /// The next change the clock makes to a live article, the one that caps its public lifetime: its scheduled unpublish,
    /// or the end of its breaking mark when that comes first.
    /// </summary>
    public DateTimeOffset? UnpublishAt { get; set; }

    /// <summary>Set for a killed article: its reads answer 410 with this reason, and it shows in no list.</summary>
    public string? KillReason { get; set; }

    /// <summary>The article's row version when rendered: the ETag's prefix, usable as If-Match.</summary>
    public long Version { get; set; }

    /// <summary>The <see cref="ReadModel.Shape"/> the documents were rendered in; older rows are rendered again at start.</summary>
    public int Shape { get; set; }

    /// <summary>The article as <c>GET /articles/{id}</c> answers it (UTF-8 JSON).</summary>
    public byte[]? Document { get; set; }

    /// <summary>
    /// The article as a list item with every member a list may show but its body; each read keeps the members it shows.
    /// </summary>
    public byte[]? Item { get; set; }

    /// <summary>The item's body members (<c>{"body":…,"bodyHtml":…}</c>), apart: read only by the lists that show them.</summary>
    public byte[]? Bodies { get; set; }

    /// <summary>The article asks search engines not to index it: its reads say so (X-Robots-Tag).</summary>
    public bool Noindex { get; set; }
}

internal sealed class ArticleReadConfiguration : IEntityTypeConfiguration<ArticleRead>
{
    public void Configure(EntityTypeBuilder<ArticleRead> r)
    {
        r.ToTable("article_reads");
        r.Property(x => x.Id).ValueGeneratedNever();
        r.HasOne<Article>().WithOne().HasForeignKey<ArticleRead>(x => x.Id).OnDelete(DeleteBehavior.Cascade);
        r.HasIndex(x => x.Slug);
        r.HasIndex(x => x.Refs).HasMethod("gin");
        // Lists walk live rows newest first (or oldest first, or by last change) by keyset, as articles' own indexes do.
        r.HasIndex(x => new { x.PublishedAt, x.Id }).IsDescending(true, true).HasFilter("kill_reason IS NULL")
            .HasDatabaseName("ix_article_reads_published");
        r.HasIndex(x => new { x.SectionId, x.PublishedAt, x.Id }).IsDescending(false, true, true).HasFilter("kill_reason IS NULL")
            .HasDatabaseName("ix_article_reads_section");
        r.HasIndex(x => new { x.UpdatedAt, x.Id }).IsDescending(true, true).HasFilter("kill_reason IS NULL")
            .HasDatabaseName("ix_article_reads_updated");
    }
}
