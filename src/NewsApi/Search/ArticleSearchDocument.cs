using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NewsApi.Data.Entities;
using NpgsqlTypes;

namespace NewsApi.Search;

/// <summary>
/// An article's search vectors, one row an article, written by the <see cref="SearchIndexer"/> (through
/// <see cref="SearchDocumentWriter"/>), a moment after the article's change. A table of
/// its own rather than columns on <c>articles</c>: reading an article never carries its (large) vectors along,
/// and the search feature stays removable.
/// </summary>
internal sealed class ArticleSearchDocument
{
    /// <summary>The GIN index every search starts from; the indexer merges its pending list by this name.</summary>
    public const string DocumentIndex = "ix_article_search_documents_document";

    public Guid ArticleId { get; set; }

    /// <summary>Every field, weighted (A title, B subtitle/summary/dateline, C body); the GIN index is on this.</summary>
    public required NpgsqlTsVector Document { get; set; }

    /// <summary>Title (A) and subtitle/summary/dateline (B) only: small enough to read for every ranked candidate.</summary>
    public required NpgsqlTsVector Head { get; set; }

    /// <summary>
    /// The article's publication time while it is published, else null, and its embargo, as the indexer last saw them:
    /// a search picks its candidates by these from the index alone, then checks each hit's article as it is now
    /// (<see cref="Content.ArticleVisibility.PublicArticleRow"/>), so a row the indexer has not caught up with never shows.
    /// </summary>
    public DateTimeOffset? PublishedAt { get; private set; }

    public DateTimeOffset? EmbargoUntil { get; private set; }
}

internal sealed class ArticleSearchDocumentConfiguration : IEntityTypeConfiguration<ArticleSearchDocument>
{
    public void Configure(EntityTypeBuilder<ArticleSearchDocument> d)
    {
        d.ToTable("article_search_documents");
        d.HasKey(x => x.ArticleId);
        d.Property(x => x.Document).HasColumnType("tsvector");
        d.Property(x => x.Head).HasColumnType("tsvector");
        d.HasOne<Article>().WithOne().HasForeignKey<ArticleSearchDocument>(x => x.ArticleId).OnDelete(DeleteBehavior.Cascade);
        // Every search starts here: a query's pairs and words are looked up in this index, 2-character ones too.
        d.HasIndex(x => x.Document).HasMethod("gin").HasDatabaseName(ArticleSearchDocument.DocumentIndex);
        // A pair found in most articles is cheaper to test on the newest public articles one by one than to collect.
        d.HasIndex(x => new { x.PublishedAt, x.ArticleId }).IsDescending(true, true).HasFilter("published_at IS NOT NULL")
            .HasDatabaseName("ix_article_search_documents_public");
    }
}
