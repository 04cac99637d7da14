using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NewsApi.Data.Entities;

/// <summary>
/// A photo or graphic in the media library: the original's facts (read from its bytes, never written by an editor),
/// what a photo desk keeps with it (caption, alt, credit, copyright, terms) and how it is cropped (the focal point).
/// The original is stored once, by its SHA-256, so the same file uploaded twice is the same asset.
/// </summary>
internal sealed class Asset
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>Lowercase hex SHA-256 of the original's bytes; unique.</summary>
    public required string Sha256 { get; set; }
    public required string ContentType { get; set; }
    public long Bytes { get; set; }

    /// <summary>As shown, after the EXIF orientation is applied.</summary>
    public int Width { get; set; }
    public int Height { get; set; }

    /// <summary>#rrggbb, the most frequent colour of a small thumbnail.</summary>
    public required string DominantColor { get; set; }
    public required string BlurHash { get; set; }

    public string? Caption { get; set; }
    public string? Alt { get; set; }
    public string? Credit { get; set; }
    public string? Copyright { get; set; }
    public string? Source { get; set; }
    public string? UsageTerms { get; set; }

    /// <summary>After this instant the asset and its renditions are no longer served (rights run out).</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>The subject's position, 0–1 from the left and from the top; crops keep it in view. Null: the centre.</summary>
    public double? FocalX { get; set; }
    public double? FocalY { get; set; }

    /// <summary>Readable by anyone even when no public article uses it (a logo, a section's picture).</summary>
    public bool Public { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>PostgreSQL's xmin: changes on every update, the basis of the ETag.</summary>
    public uint Version { get; set; }
}

/// <summary>That an article uses an asset (cover, image, gallery or video poster): who may see it, what may be deleted.</summary>
internal sealed class ArticleAsset
{
    public Guid ArticleId { get; set; }
    public Guid AssetId { get; set; }
}

internal sealed class AssetConfiguration : IEntityTypeConfiguration<Asset>, IEntityTypeConfiguration<ArticleAsset>
{
    public void Configure(EntityTypeBuilder<Asset> a)
    {
        a.Property(x => x.Id).ValueGeneratedNever();
        a.Property(x => x.Sha256).HasMaxLength(64);
        a.HasIndex(x => x.Sha256).IsUnique();
        a.Property(x => x.ContentType).HasMaxLength(50);
        a.Property(x => x.DominantColor).HasMaxLength(7);
        a.Property(x => x.BlurHash).HasMaxLength(100);
        a.Property(x => x.Caption).HasMaxLength(1000);
        a.Property(x => x.Alt).HasMaxLength(1000);
        a.Property(x => x.Credit).HasMaxLength(200);
        a.Property(x => x.Copyright).HasMaxLength(200);
        a.Property(x => x.Source).HasMaxLength(200);
        a.Property(x => x.UsageTerms).HasMaxLength(1000);
        a.Property(x => x.Version).IsRowVersion();
        // The library's list, newest first.
        a.HasIndex(x => x.CreatedAt);
    }

    public void Configure(EntityTypeBuilder<ArticleAsset> u)
    {
        u.HasKey(x => new { x.ArticleId, x.AssetId });
        u.HasOne<Article>().WithMany().HasForeignKey(x => x.ArticleId).OnDelete(DeleteBehavior.Cascade);
        u.HasOne<Asset>().WithMany().HasForeignKey(x => x.AssetId).OnDelete(DeleteBehavior.Cascade);
        // "Who uses this asset?" starts from the asset.
        u.HasIndex(x => new { x.AssetId, x.ArticleId });
    }
}
