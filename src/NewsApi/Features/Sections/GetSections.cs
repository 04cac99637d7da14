using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Changes;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Features.Sections;

internal sealed record SectionNode(string Slug, string Name, string? Description, int Position, IReadOnlyList<SectionNode> Children);

internal sealed record SectionResponse(
    string Slug, string Name, string? Description, int Position, string? Parent,
    IReadOnlyList<SectionLink> Path, IReadOnlyList<SectionLink> Children);

internal sealed record SectionLink(string Slug, string Name);

internal sealed record SectionTreeResponse(IReadOnlyList<SectionNode> Items);

internal static class GetSections
{
    public static async Task<Ok<SectionTreeResponse>> Tree(NewsDbContext db, CancellationToken ct)
    {
        var all = await Ordered(db).ToListAsync(ct);
        var children = all.ToLookup(s => s.ParentId);
        IReadOnlyList<SectionNode> Build(Guid? parent, HashSet<Guid> seen) => children[parent]
            .Where(s => seen.Add(s.Id))
            .Select(s => new SectionNode(s.Slug, s.Name, s.Description, s.Position, Build(s.Id, seen)))
            .ToList();
        return TypedResults.Ok(new SectionTreeResponse(Build(null, [])));
    }

    public static async Task<Results<Ok<SectionResponse>, RedirectHttpResult, NotFoundProblem>> BySlug(string slug, NewsDbContext db, HttpContext http, CancellationToken ct)
    {
        if (await Read(db, slug, ct) is not { } read)
            return await RetiredSlugs.Current(db, ResourceKinds.Section, slug, ct) is { } current
                ? Moved.To(http, SectionEndpoints.Path(current))
                : Problems.NotFound($"There is no section '{slug}'.");
        Preconditions.SetETag(http, read.Version);
        return TypedResults.Ok(read.Section);
    }

    /// <summary>The section as GET shows it, with the row version its ETag comes from; null when there is none.</summary>
    internal static async Task<(SectionResponse Section, uint Version)?> Read(NewsDbContext db, string slug, CancellationToken ct)
    {
        var all = await Ordered(db).ToListAsync(ct);
        var section = all.FirstOrDefault(s => s.Slug == slug);
        if (section is null)
            return null;
        return (Response(all, section), section.Version);
    }

    /// <summary>The section as GET shows it, from every section in <see cref="Ordered"/> order (the sync API reads them all once).</summary>
    internal static SectionResponse Response(IReadOnlyList<Section> all, Section section)
    {
        var byId = all.ToDictionary(s => s.Id);
        var path = new List<SectionLink>();
        for (var s = section; s is not null && path.Count <= all.Count; s = s.ParentId is { } p ? byId.GetValueOrDefault(p) : null)
            path.Insert(0, new SectionLink(s.Slug, s.Name));
        var parent = section.ParentId is { } pid ? byId.GetValueOrDefault(pid)?.Slug : null;
        var children = all.Where(s => s.ParentId == section.Id).Select(s => new SectionLink(s.Slug, s.Name)).ToList();
        return new SectionResponse(section.Slug, section.Name, section.Description, section.Position, parent, path, children);
    }

    internal static IQueryable<Section> Ordered(NewsDbContext db) =>
        db.Sections.AsNoTracking().OrderBy(s => s.Position).ThenBy(s => s.Name);
}
