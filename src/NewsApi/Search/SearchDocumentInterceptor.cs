using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using NewsApi.Data.Entities;

namespace NewsApi.Search;

/// <summary>
/// Recomputes an article's search vectors in the same SaveChanges that adds it or changes its text, so no write
/// path (the editorial API, imports, the demo loader, tests) can forget to and the index never lags a commit.
/// Deleting an article deletes its vectors by cascade; status, publication and embargo changes reach the search row
/// through a database trigger (migration <c>SearchVisibility</c>), whichever path writes them.
/// </summary>
public sealed class SearchDocumentInterceptor : SaveChangesInterceptor
{
    public static readonly SearchDocumentInterceptor Instance = new();

    static readonly string[] IndexedProperties =
        [nameof(Article.Title), nameof(Article.Subtitle), nameof(Article.Summary), nameof(Article.Dateline), nameof(Article.BodyText)];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is { } db && Changed(db) is { Count: > 0 } changed)
            Apply(db, changed, ids => db.Set<ArticleSearchDocument>().Where(d => ids.Contains(d.ArticleId)).ToList());
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
    {
        if (eventData.Context is { } db && Changed(db) is { Count: > 0 } changed)
        {
            var modifiedIds = changed.Where(e => e.State == EntityState.Modified).Select(e => e.Entity.Id).ToList();
            var existing = modifiedIds.Count == 0 ? [] :
                await db.Set<ArticleSearchDocument>().Where(d => modifiedIds.Contains(d.ArticleId)).ToListAsync(ct);
            Apply(db, changed, _ => existing);
        }
        return result;
    }

    static List<EntityEntry<Article>> Changed(DbContext db)
    {
        db.ChangeTracker.DetectChanges();
        return db.ChangeTracker.Entries<Article>()
            .Where(e => e.State == EntityState.Added ||
                        e.State == EntityState.Modified && IndexedProperties.Any(p => e.Property(p).IsModified))
            .ToList();
    }

    static void Apply(DbContext db, List<EntityEntry<Article>> changed, Func<List<Guid>, List<ArticleSearchDocument>> loadExisting)
    {
        var set = db.Set<ArticleSearchDocument>();
        var modifiedIds = changed.Where(e => e.State == EntityState.Modified).Select(e => e.Entity.Id).ToList();
        var existing = modifiedIds.Count == 0 ? new Dictionary<Guid, ArticleSearchDocument>() : loadExisting(modifiedIds).ToDictionary(d => d.ArticleId);
        foreach (var local in set.Local)
            existing.TryAdd(local.ArticleId, local);

        foreach (var entry in changed)
        {
            var article = entry.Entity;
            if (existing.TryGetValue(article.Id, out var document))
                document.Set(SearchDocument.For(article));
            else
                set.Add(ArticleSearchDocument.For(article));
        }
    }
}
