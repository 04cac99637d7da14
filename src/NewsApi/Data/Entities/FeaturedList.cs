using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NewsApi.Data.Entities;

/// <summary>An editor-curated list such as 國內新聞精選.</summary>
internal sealed class FeaturedList
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Slug { get; set; }
    public required string Title { get; set; }
    public Guid? SectionId { get; set; }
    public int MaxItems { get; set; } = 10;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public uint Version { get; set; }
    public List<FeaturedListEntry> Entries { get; set; } = [];
}

/// <summary>
/// One entry of a featured list. Entries are never deleted, only marked removed, so that
/// <c>?at=</c> can show a list as it stood at any past time.
/// </summary>
internal sealed class FeaturedListEntry
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ListId { get; set; }
    public Guid ArticleId { get; set; }
    public Article Article { get; set; } = null!;
    public int Position { get; set; }
    public bool Pinned { get; set; }
    public DateTimeOffset FeaturedAt { get; set; }
    public DateTimeOffset? VisibleFrom { get; set; }
    public DateTimeOffset? VisibleUntil { get; set; }
    public DateTimeOffset? RemovedAt { get; set; }

    /// <summary>
    /// Up to when the scheduler has announced this entry's window opening or closing (featured-list.changed); a
    /// visibleFrom or visibleUntil after it and already past is still to be announced.
    /// </summary>
    public DateTimeOffset? WindowNotedAt { get; set; }
}

internal sealed class FeaturedListConfiguration : IEntityTypeConfiguration<FeaturedList>, IEntityTypeConfiguration<FeaturedListEntry>
{
    public void Configure(EntityTypeBuilder<FeaturedList> l)
    {
        l.Property(x => x.Id).ValueGeneratedNever();
        l.Property(x => x.Slug).HasMaxLength(100);
        l.HasIndex(x => x.Slug).IsUnique();
        l.Property(x => x.Title).HasMaxLength(200);
        l.HasOne<Section>().WithMany().HasForeignKey(x => x.SectionId).OnDelete(DeleteBehavior.SetNull);
        l.Property(x => x.Version).IsRowVersion();
    }

    public void Configure(EntityTypeBuilder<FeaturedListEntry> e)
    {
        e.Property(x => x.Id).ValueGeneratedNever();
        e.HasOne<FeaturedList>().WithMany(l => l.Entries).HasForeignKey(x => x.ListId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne(x => x.Article).WithMany().HasForeignKey(x => x.ArticleId).OnDelete(DeleteBehavior.Cascade);
        // Reading a list takes its entries in display order; the list is small, so one range scan suffices.
        e.HasIndex(x => new { x.ListId, x.Pinned, x.Position });
        // The scheduler finds entries whose visibility ends.
        e.HasIndex(x => x.VisibleUntil).HasFilter("visible_until IS NOT NULL");
        e.HasIndex(x => x.ArticleId);
    }
}
