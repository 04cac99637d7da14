using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NewsApi.Content;

namespace NewsApi.Data.Entities;

/// <summary>
/// One change to an article: who made it, when, what it did and which fields it touched, with the article's
/// editable state as it stood afterwards, so any revision can be read and restored.
/// </summary>
internal sealed class ArticleRevision
{
    public Guid ArticleId { get; set; }
    public int Number { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public List<string> Fields { get; set; } = [];
    public required ArticleContent Snapshot { get; set; }
}

internal sealed class ArticleRevisionConfiguration : IEntityTypeConfiguration<ArticleRevision>
{
    public void Configure(EntityTypeBuilder<ArticleRevision> r)
    {
        // (article, number) is both the identity and the read path: an article's revisions in order. No foreign key:
        // a deleted article's history stays, its deletion last, as its audit entries do.
        r.HasKey(x => new { x.ArticleId, x.Number });
        r.Property(x => x.Actor).HasMaxLength(100);
        r.Property(x => x.Action).HasMaxLength(40);
        r.Property(x => x.Snapshot).HasJsonConversion();
    }
}
