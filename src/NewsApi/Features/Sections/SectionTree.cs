using Microsoft.EntityFrameworkCore;
using NewsApi.Data;

namespace NewsApi.Features.Sections;

internal static class SectionTree
{
    /// <summary>The section with this slug and all sections below it, or null when there is no such section.</summary>
    public static async Task<IReadOnlyList<Guid>?> SelfAndDescendantIds(NewsDbContext db, string slug, CancellationToken ct)
    {
        // A newsroom has tens to hundreds of sections: one small read and a walk in memory beats a recursive query.
        var all = await db.Sections.AsNoTracking().Select(s => new { s.Id, s.Slug, s.ParentId }).ToListAsync(ct);
        var root = all.FirstOrDefault(s => s.Slug == slug);
        if (root is null)
            return null;
        var children = all.Where(s => s.ParentId is not null).ToLookup(s => s.ParentId!.Value, s => s.Id);
        var ids = new List<Guid>();
        var seen = new HashSet<Guid>();
        var pending = new Stack<Guid>([root.Id]);
        while (pending.TryPop(out var id))
        {
            if (!seen.Add(id))
                continue;
            ids.Add(id);
            foreach (var child in children[id])
                pending.Push(child);
        }
        return ids;
    }
}
