using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NewsApi.Content;

namespace NewsApi.Data.Entities;

/// <summary>A slug an article used to have; it keeps answering with a redirect to the current one.</summary>
internal sealed class ArticleSlug
{
    public required string Slug { get; set; }
    public Guid ArticleId { get; set; }
    public DateTimeOffset RetiredAt { get; set; }
}

internal sealed class ArticleSlugConfiguration : IEntityTypeConfiguration<ArticleSlug>
{
    public void Configure(EntityTypeBuilder<ArticleSlug> s)
    {
        s.HasKey(x => x.Slug);
        s.Property(x => x.Slug).HasMaxLength(Slugs.MaxLookupLength);
        s.HasOne<Article>().WithMany(a => a.OldSlugs).HasForeignKey(x => x.ArticleId).OnDelete(DeleteBehavior.Cascade);
        s.HasIndex(x => x.ArticleId);
    }
}
