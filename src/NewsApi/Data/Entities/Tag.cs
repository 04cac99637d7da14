using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NewsApi.Data.Entities;

internal sealed class Tag
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Slug { get; set; }
    public required string Name { get; set; }

    /// <summary>PostgreSQL's xmin: changes on every update, the basis of the ETag.</summary>
    public uint Version { get; set; }
}

/// <summary>An article's tag, in the order the editor gave.</summary>
internal sealed class ArticleTag
{
    public Guid ArticleId { get; set; }
    public Guid TagId { get; set; }
    public Tag Tag { get; set; } = null!;
    public int Position { get; set; }
}

internal sealed class TagConfiguration : IEntityTypeConfiguration<Tag>, IEntityTypeConfiguration<ArticleTag>
{
    public void Configure(EntityTypeBuilder<Tag> t)
    {
        t.Property(x => x.Id).ValueGeneratedNever();
        t.Property(x => x.Slug).HasMaxLength(100);
        t.HasIndex(x => x.Slug).IsUnique();
        t.Property(x => x.Name).HasMaxLength(100);
        t.Property(x => x.Version).IsRowVersion();
    }

    public void Configure(EntityTypeBuilder<ArticleTag> t)
    {
        t.HasKey(x => new { x.ArticleId, x.TagId });
        t.HasOne<Article>().WithMany(a => a.Tags).HasForeignKey(x => x.ArticleId).OnDelete(DeleteBehavior.Cascade);
        t.HasOne(x => x.Tag).WithMany().HasForeignKey(x => x.TagId).OnDelete(DeleteBehavior.Restrict);
        // ?tag= starts from the tag and finds its articles.
        t.HasIndex(x => new { x.TagId, x.ArticleId });
    }
}
