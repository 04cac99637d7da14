using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NewsApi.Content;

namespace NewsApi.Data.Entities;

internal enum TopicStatus { Draft, Published, Archived }

/// <summary>A topic page (專題) gathering stories in an order the editors choose.</summary>
internal sealed class Topic
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Slug { get; set; }
    public required string Title { get; set; }
    public string? Description { get; set; }
    public Image? CoverImage { get; set; }
    public TopicStatus Status { get; set; } = TopicStatus.Draft;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public uint Version { get; set; }
    public List<TopicArticle> Articles { get; set; } = [];
}

internal sealed class TopicArticle
{
    public Guid TopicId { get; set; }
    public Topic Topic { get; set; } = null!;
    public Guid ArticleId { get; set; }
    public Article Article { get; set; } = null!;
    public int Position { get; set; }
}

internal sealed class TopicConfiguration : IEntityTypeConfiguration<Topic>, IEntityTypeConfiguration<TopicArticle>
{
    public void Configure(EntityTypeBuilder<Topic> t)
    {
        t.Property(x => x.Id).ValueGeneratedNever();
        t.Property(x => x.Slug).HasMaxLength(Slugs.MaxLookupLength);
        t.HasIndex(x => x.Slug).IsUnique();
        t.Property(x => x.Title).HasMaxLength(300);
        t.Property(x => x.Description).HasMaxLength(4000);
        t.Property(x => x.CoverImage).HasJsonConversion();
        t.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        t.Property(x => x.Version).IsRowVersion();
    }

    public void Configure(EntityTypeBuilder<TopicArticle> m)
    {
        m.HasKey(x => new { x.TopicId, x.ArticleId });
        m.HasOne(x => x.Topic).WithMany(t => t.Articles).HasForeignKey(x => x.TopicId).OnDelete(DeleteBehavior.Cascade);
        m.HasOne(x => x.Article).WithMany(a => a.Topics).HasForeignKey(x => x.ArticleId).OnDelete(DeleteBehavior.Cascade);
        // A topic page reads its members in order and pages by (position, article id).
        m.HasIndex(x => new { x.TopicId, x.Position, x.ArticleId });
        // ?topic= on the article list, and an article's topics, start from the article.
        m.HasIndex(x => x.ArticleId);
    }
}
