using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NewsApi.Data.Entities;

internal sealed class Section
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Slug { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public Guid? ParentId { get; set; }
    public int Position { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public uint Version { get; set; }
}

internal sealed class SectionConfiguration : IEntityTypeConfiguration<Section>
{
    public void Configure(EntityTypeBuilder<Section> s)
    {
        s.Property(x => x.Id).ValueGeneratedNever();
        s.Property(x => x.Slug).HasMaxLength(100);
        s.HasIndex(x => x.Slug).IsUnique();
        s.Property(x => x.Name).HasMaxLength(100);
        s.Property(x => x.Description).HasMaxLength(1000);
        s.HasOne<Section>().WithMany().HasForeignKey(x => x.ParentId).OnDelete(DeleteBehavior.Restrict);
        s.HasIndex(x => new { x.ParentId, x.Position });
        s.Property(x => x.Version).IsRowVersion();
    }
}
