using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NewsApi.Data.Entities;
using NpgsqlTypes;

namespace NewsApi.Search;

/// <summary>
/// An article's search vectors, one row an article, written by <see cref="SearchDocumentWriter"/>. A table of
/// its own rather than columns on <c>articles</c>: reading an article never carries its (large) vectors along,
/// and the search feature stays removable.
/// </summary>
internal sealed class ArticleSearchDocument
{
    public Guid ArticleId { get; set; }

    /// <summary>Every field, weighted (A title, B subtitle/summary/dateline, C body); the GIN index is on this.</summary>
    public required NpgsqlTsVector Document { get; set; }

    /// <summary>Title (A) and subtitle/summary/dateline (B) only: small enough to read for every ranked candidate.</summary>
    public required NpgsqlTsVector Head { get; set; }

    /// <summary>
    /// The article's publication time while it is published, else null, and its embargo: copied from <c>articles</c>
    /// by triggers (see the migration <c>SearchVisibility</c>) so a search never joins the large articles table to
    /// learn what the public may see. Never written from here.
    /// </summary>
    public DateTimeOffset? PublishedAt { get; private set; }

    public DateTimeOffset? EmbargoUntil { get; private set; }

    public void Set((string Document, string Head) vectors)
    {
        Document = ParseVector(vectors.Document);
        Head = ParseVector(vectors.Head);
    }

    public static ArticleSearchDocument For(Guid articleId, (string Document, string Head) vectors) =>
        new() { ArticleId = articleId, Document = ParseVector(vectors.Document), Head = ParseVector(vectors.Head) };

#pragma warning disable CS0618 // Parse is the only public way to build a tsvector value; the text form is what we build.
    static NpgsqlTsVector ParseVector(string text) => NpgsqlTsVector.Parse(text);
#pragma warning restore CS0618
}

internal sealed class ArticleSearchDocumentConfiguration : IEntityTypeConfiguration<ArticleSearchDocument>
{
    public void Configure(EntityTypeBuilder<ArticleSearchDocument> d)
    {
        d.ToTable("article_search_documents");
        d.HasKey(x => x.ArticleId);
        d.Property(x => x.Document).HasColumnType("tsvector");
        d.Property(x => x.Head).HasColumnType("tsvector");
        foreach (var copied in new[] { d.Property(x => x.PublishedAt), d.Property(x => x.EmbargoUntil) })
        {
            copied.Metadata.SetBeforeSaveBehavior(PropertySaveBehavior.Ignore);
            copied.Metadata.SetAfterSaveBehavior(PropertySaveBehavior.Ignore);
        }
        d.HasOne<Article>().WithOne().HasForeignKey<ArticleSearchDocument>(x => x.ArticleId).OnDelete(DeleteBehavior.Cascade);
        // Every search starts here: a query's pairs and words are looked up in this index, 2-character ones too.
        d.HasIndex(x => x.Document).HasMethod("gin").HasDatabaseName("ix_article_search_documents_document");
        // A pair found in most articles is cheaper to test on the newest public articles one by one than to collect.
        d.HasIndex(x => new { x.PublishedAt, x.ArticleId }).IsDescending(true, true).HasFilter("published_at IS NOT NULL")
            .HasDatabaseName("ix_article_search_documents_public");
    }
}
