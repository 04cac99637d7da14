using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using NewsApi.Content;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Search;

/// <summary>What an article's search row is built from: its indexed fields, nothing else.</summary>
internal sealed record SearchText(Guid ArticleId, string Title, string? Subtitle, string? Summary, Dateline? Dateline, string? Body)
{
    public static SearchText Of(Article a) => new(a.Id, a.Title, a.Subtitle, a.Summary, a.Dateline, a.BodyText);
}

/// <summary>
/// The one place an article becomes its search row, whichever way the row is written: tracked for a SaveChanges
/// (the change recorder's EF path), or with COPY for articles inserted in bulk (its COPY path, and the backfill).
/// Deleting an article deletes its row by cascade; status, publication and embargo changes reach the row through a
/// database trigger (migration <c>SearchVisibility</c>), whichever path writes them.
/// </summary>
internal static class SearchDocumentWriter
{
    static readonly string[] IndexedProperties =
        [nameof(Article.Title), nameof(Article.Subtitle), nameof(Article.Summary), nameof(Article.Dateline), nameof(Article.BodyText)];

    /// <summary>Whether a tracked article's change touches the text its search row is built from.</summary>
    public static bool Indexes(EntityEntry entry) =>
        entry.State == EntityState.Added || entry.State == EntityState.Modified && IndexedProperties.Any(p => entry.Property(p).IsModified);

    public static (string Document, string Head) Vectors(SearchText t) =>
        SearchDocument.For(t.Title, t.Subtitle, t.Summary, SearchDocument.DatelineText(t.Dateline), t.Body);

    /// <summary>Adds the search rows of articles added in this context, and rebuilds the stored rows of those modified.</summary>
    public static async Task Track(NewsDbContext db, IReadOnlyCollection<Article> articles, CancellationToken ct)
    {
        if (articles.Count == 0)
            return;
        var set = db.Set<ArticleSearchDocument>();
        var existing = set.Local.ToDictionary(d => d.ArticleId);
        var modified = articles.Where(a => db.Entry(a).State == EntityState.Modified && !existing.ContainsKey(a.Id)).Select(a => a.Id).ToList();
        if (modified.Count > 0)
            foreach (var stored in await set.Where(d => modified.Contains(d.ArticleId)).ToListAsync(ct))
                existing[stored.ArticleId] = stored;

        foreach (var article in articles)
        {
            var vectors = Vectors(SearchText.Of(article));
            if (existing.TryGetValue(article.Id, out var document))
                document.Set(vectors);
            else
                set.Add(ArticleSearchDocument.For(article.Id, vectors));
        }
    }

    /// <summary>
    /// Inserts the search rows of articles already inserted, with COPY, in the context's connection and transaction.
    /// The vectors stay in text form for PostgreSQL to parse: building the NpgsqlTsVector values would cost more than
    /// all the rest of an import (its parser sorts by culture).
    /// </summary>
    public static Task Copy(NewsDbContext db, IEnumerable<SearchText> articles, CancellationToken ct) =>
        db.InsertText<ArticleSearchDocument>(
            [nameof(ArticleSearchDocument.ArticleId), nameof(ArticleSearchDocument.Document), nameof(ArticleSearchDocument.Head)],
            articles.Select(a =>
            {
                var (document, head) = Vectors(a);
                return new string?[] { a.ArticleId.ToString(), document, head };
            }), ct);
}
