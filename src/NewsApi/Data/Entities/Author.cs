using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NewsApi.Data.Entities;

internal sealed class Author
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Slug { get; set; }
    public required string Name { get; set; }
    public string? Bio { get; set; }

    /// <summary>Absolute address of the author's portrait.</summary>
    public string? Photo { get; set; }
    public string? JobTitle { get; set; }

    /// <summary>How the newsroom reaches the author: shown to editors only, never in a public answer.</summary>
    public string? Email { get; set; }

    /// <summary>The author's pages elsewhere (a profile, a social account), as schema.org's sameAs has them.</summary>
    public List<string> SameAs { get; set; } = [];

    /// <summary>PostgreSQL's xmin: changes on every update, the basis of the ETag.</summary>
    public uint Version { get; set; }
}

/// <summary>An article's author, in byline order.</summary>
internal sealed class ArticleAuthor
{
    public Guid ArticleId { get; set; }
    public Guid AuthorId { get; set; }
    public Author Author { get; set; } = null!;
    public int Position { get; set; }
}

internal sealed class AuthorConfiguration : IEntityTypeConfiguration<Author>, IEntityTypeConfiguration<ArticleAuthor>
{
    public void Configure(EntityTypeBuilder<Author> a)
    {
        a.Property(x => x.Id).ValueGeneratedNever();
        a.Property(x => x.Slug).HasMaxLength(100);
        a.HasIndex(x => x.Slug).IsUnique();
        a.Property(x => x.Name).HasMaxLength(100);
        a.Property(x => x.Bio).HasMaxLength(2000);
        a.Property(x => x.Photo).HasMaxLength(2000);
        a.Property(x => x.JobTitle).HasMaxLength(100);
        a.Property(x => x.Email).HasMaxLength(254);
        a.Property(x => x.Version).IsRowVersion();
    }

    public void Configure(EntityTypeBuilder<ArticleAuthor> a)
    {
        a.HasKey(x => new { x.ArticleId, x.AuthorId });
        a.HasOne<Article>().WithMany(x => x.Authors).HasForeignKey(x => x.ArticleId).OnDelete(DeleteBehavior.Cascade);
        a.HasOne(x => x.Author).WithMany().HasForeignKey(x => x.AuthorId).OnDelete(DeleteBehavior.Restrict);
        // ?author= starts from the author and finds their articles.
        a.HasIndex(x => new { x.AuthorId, x.ArticleId });
    }
}
