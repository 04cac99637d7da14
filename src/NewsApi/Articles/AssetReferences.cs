using Microsoft.EntityFrameworkCore;
using NewsApi.Content;
using NewsApi.Data;
using NewsApi.Data.Entities;
using NewsApi.Media;

namespace NewsApi.Articles;

/// <summary>
/// An article's images that name an asset of the media library: filled in from the asset when the article is saved
/// (url of the largest width rendition, its size, the renditions, and the asset's caption, credit and alt where the
/// article gives none), and recorded as uses, which decide who may see the asset and whether it may be deleted.
/// </summary>
internal static class AssetReferences
{
    public static IEnumerable<Guid> Ids(ArticleContent content) =>
        new[] { content.CoverImage?.AssetId }
            .Concat((content.Body ?? []).Where(b => b.Type == BlockTypes.Image).Select(b => b.AssetId))
            .OfType<Guid>().Distinct();

    public static async Task<ArticleContent> Resolve(NewsDbContext db, ArticleContent content, MediaOptions options, CancellationToken ct)
    {
        var ids = Ids(content).ToList();
        if (ids.Count == 0)
            return content;
        var assets = await db.Assets.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, ct);
        Image? Picture(Guid id, string? caption, string? credit, string? alt)
        {
            if (!assets.TryGetValue(id, out var asset))
                return null;
            var renditions = RenditionLinks.For(asset.Id, new CropSource(asset.Sha256, asset.Width, asset.Height, asset.FocalX, asset.FocalY), options);
            var main = renditions.Where(r => r.Format == Renditions.Jpeg.Extension && options.Presets[r.Preset].Fit == PresetFit.Width)
                .MaxBy(r => options.Presets[r.Preset].Width) ?? renditions[0];
            return new Image(main.Url, caption ?? asset.Caption, credit ?? asset.Credit, alt ?? asset.Alt, main.Width, main.Height, asset.Id, renditions);
        }
        var cover = content.CoverImage is { AssetId: { } coverId } c ? Picture(coverId, c.Caption, c.Credit, c.Alt) ?? c : content.CoverImage;
        var body = content.Body?.Select(b => b is { Type: BlockTypes.Image, AssetId: { } id } && Picture(id, b.Caption, b.Credit, b.Alt) is { } p
            ? b with { Url = p.Url, Caption = p.Caption, Credit = p.Credit, Alt = p.Alt }
            : b).ToList();
        return content with { CoverImage = cover, Body = body };
    }

    /// <summary>Makes the article's recorded uses those of its content (tracked, saved with the article).</summary>
    public static async Task Record(NewsDbContext db, Article article, CancellationToken ct)
    {
        var wanted = Ids(ArticleFields.Of(article)).ToHashSet();
        var current = article.CreatedAt == default ? [] : await db.ArticleAssets.Where(u => u.ArticleId == article.Id).ToListAsync(ct);
        db.ArticleAssets.RemoveRange(current.Where(u => !wanted.Contains(u.AssetId)));
        db.ArticleAssets.AddRange(wanted.Where(id => current.All(u => u.AssetId != id)).Select(id => new ArticleAsset { ArticleId = article.Id, AssetId = id }));
    }

    /// <summary>The assets an article uses that have no alt text: it cannot be published until they do.</summary>
    public static Task<List<Guid>> WithoutAlt(NewsDbContext db, Guid article, CancellationToken ct) =>
        db.ArticleAssets.Where(u => u.ArticleId == article)
            .Join(db.Assets.Where(a => a.Alt == null || a.Alt == ""), u => u.AssetId, a => a.Id, (u, a) => a.Id).ToListAsync(ct);
}
