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
    /// <summary>
    /// The content after the change. Its body is null while it is the article's current body: stored once, in the
    /// article (a copy in every first revision was 2.8 KB an article). A save that replaces or deletes that body first
    /// copies it into each revision sharing it (<see cref="Changes.ChangeRecorder"/>), so a revision always reads and
    /// restores exactly what it recorded.
    /// </summary>
    public required ArticleContent Snapshot { get; set; }

    /// <summary>The recorded content, given the article's current body (used only when the revision shares it).</summary>
    public ArticleContent Content(IReadOnlyList<Block>? current) => Snapshot.Body is not null ? Snapshot
        : Snapshot with { Body = current ?? throw new InvalidOperationException($"Revision {Number} of article {ArticleId} shares the body of an article that is gone.") };
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
        // Without its null members: a snapshot has about thirty, most of them null (230 B of its 1 KB).
        r.Property(x => x.Snapshot).HasJsonConversion(omitNulls: true);
    }
}
