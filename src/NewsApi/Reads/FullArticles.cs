using Microsoft.EntityFrameworkCore;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Reads;

/// <summary>Articles loaded whole, with everything their full response shows: for rendering and for previews.</summary>
internal static class FullArticles
{
    public static IQueryable<Article> Of(NewsDbContext db) =>
        db.Articles.AsNoTracking()
            .Include(a => a.Section)
            .Include(a => a.Authors).ThenInclude(x => x.Author)
            .Include(a => a.Tags).ThenInclude(x => x.Tag)
            .Include(a => a.Topics).ThenInclude(x => x.Topic)
            .AsSplitQuery();
}
