using Microsoft.EntityFrameworkCore;
using NewsApi.Content;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Media;

/// <summary>
/// Who may see an asset, stated once: a key of any role sees every asset; the public sees one marked public or used by
/// an article the public can read now. Past its expiresAt nobody is served it (its rights ran out).
/// </summary>
internal static class AssetAccess
{
    public static bool Expired(Asset asset, DateTimeOffset now) => Expired(asset.ExpiresAt, now);

    public static bool Expired(DateTimeOffset? expiresAt, DateTimeOffset now) => expiresAt is { } end && end <= now;

    public static async Task<bool> PublicAsync(NewsDbContext db, Asset asset, DateTimeOffset now, CancellationToken ct) =>
        asset.Public || await PublicUses(db, asset.Id, now).AnyAsync(ct);

    /// <summary>Up to <paramref name="most"/> of the articles the public can read now that use the asset: why one not marked public is served.</summary>
    public static Task<List<Guid>> PublicUsesAsync(NewsDbContext db, Guid asset, DateTimeOffset now, int most, CancellationToken ct) =>
        PublicUses(db, asset, now).Take(most).ToListAsync(ct);

    static IQueryable<Guid> PublicUses(NewsDbContext db, Guid asset, DateTimeOffset now) =>
        db.ArticleAssets.Where(u => u.AssetId == asset).Join(db.Articles.VisibleAt(now), u => u.ArticleId, a => a.Id, (u, a) => a.Id);
}

internal static class RenditionLinks
{
    public const string Prefix = "/media";

    /// <summary>The longest <see cref="Path"/>: /media/{uuid}/{preset}.{format}?v={version}.</summary>
    public const int MaxUrlLength = 7 + 36 + 1 + MediaOptions.MaxPresetNameLength + 1 + Renditions.MaxExtensionLength + 3 + Renditions.VersionLength;

    public static string Path(Guid asset, string preset, RenditionFormat format, string version) =>
        $"{Prefix}/{asset}/{preset}.{format.Extension}?v={version}";

    /// <summary>Every preset in every format, presets in configuration order.</summary>
    public static IReadOnlyList<RenditionLink> For(Guid asset, CropSource source, MediaOptions options) =>
        options.Presets.SelectMany(p => Renditions.Formats.Select(f =>
        {
            var (width, height) = Renditions.Size(p.Value, source.Width, source.Height);
            return new RenditionLink(p.Key, f.Extension, width, height, Path(asset, p.Key, f, Renditions.Version(source, p.Key, p.Value, options.Quality)));
        })).ToList();

    /// <summary>A srcset per format from the width presets (cover presets are crops, not sizes of one picture).</summary>
    public static IReadOnlyDictionary<string, string> Srcset(IReadOnlyList<RenditionLink> links, MediaOptions options) =>
        links.Where(l => options.Presets[l.Preset].Fit == PresetFit.Width)
            .GroupBy(l => l.Format)
            .ToDictionary(g => g.Key, g => string.Join(", ", g.DistinctBy(l => l.Width).OrderBy(l => l.Width).Select(l => $"{l.Url} {l.Width}w")));
}
