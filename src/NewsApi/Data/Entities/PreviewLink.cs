using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NewsApi.Data.Entities;

/// <summary>
/// A link that shows one article as it stands, draft or not, to whoever holds its token, until it expires or is
/// revoked. Only a hash of the token is stored; the token itself is shown once, when the link is made.
/// </summary>
internal sealed class PreviewLink
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ArticleId { get; set; }

    /// <summary>SHA-256 of the token, hex. Tokens carry 256 random bits, so a fast hash is as good as a slow one.</summary>
    public required string TokenHash { get; set; }

    /// <summary>The key that made it, as the audit log names it.</summary>
    public required string CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

internal sealed class PreviewLinkConfiguration : IEntityTypeConfiguration<PreviewLink>
{
    public void Configure(EntityTypeBuilder<PreviewLink> l)
    {
        l.Property(x => x.Id).ValueGeneratedNever();
        l.Property(x => x.TokenHash).HasMaxLength(64);
        // Every opened link is looked up by its token's hash.
        l.HasIndex(x => x.TokenHash).IsUnique();
        l.Property(x => x.CreatedBy).HasMaxLength(100);
        // A deleted article takes its links with it: they answer 404 like any unknown token.
        l.HasOne<Article>().WithMany().HasForeignKey(x => x.ArticleId).OnDelete(DeleteBehavior.Cascade);
        // An article's links, newest first.
        l.HasIndex(x => new { x.ArticleId, x.CreatedAt, x.Id }).IsDescending(false, true, true);
    }
}
