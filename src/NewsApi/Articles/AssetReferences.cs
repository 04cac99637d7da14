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
        Images(content).Select(i => i.AssetId)
            .Concat((content.Body ?? []).Where(b => b.Type == BlockTypes.Image).Select(b => b.AssetId))
            .OfType<Guid>().Distinct();

    /// <summary>The pictures of the content that are <see cref="Image"/>s: the cover, gallery pictures and video posters.</summary>
    static IEnumerable<Image> Images(ArticleContent content) =>
        new[] { content.CoverImage }
            .Concat((content.Body ?? []).SelectMany(b => b.Images ?? []))
            .Concat((content.Body ?? []).Select(b => b.Poster))
            .OfType<Image>();

    public static async Task<ArticleContent> Resolve(NewsDbContext db, ArticleContent content, MediaOptions options, CancellationToken ct)
    {
        var ids = Ids(content).ToList();
        var assets = ids.Count == 0 ? [] : await db.Assets.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, ct);
        return Resolve(assets, content, options);
    }

    /// <summary>
    /// Fills in the content's pictures from these assets (an import looks up a whole batch's at once); renditions sent
    /// for a picture that names no asset are dropped, since they are the service's to say.
    /// </summary>
    public static ArticleContent Resolve(IReadOnlyDictionary<Guid, Asset> assets, ArticleContent content, MediaOptions options)
    {
        Image? Picture(Image? image)
        {
            if (image is null)
                return null;
            if (image.AssetId is not { } id || !assets.TryGetValue(id, out var asset))
                return image with { Renditions = null };
            var renditions = RenditionLinks.For(asset.Id, new CropSource(asset.Sha256, asset.Width, asset.Height, asset.FocalX, asset.FocalY), options);
            var main = renditions.Where(r => r.Format == Renditions.Jpeg.Extension && options.Presets[r.Preset].Fit == PresetFit.Width)
                .MaxBy(r => options.Presets[r.Preset].Width) ?? renditions[0];
            return new Image(main.Url, image.Caption ?? asset.Caption, image.Credit ?? asset.Credit, image.Alt ?? asset.Alt, main.Width, main.Height, asset.Id, renditions);
        }
        var body = content.Body?.Select(b => b.Type switch
        {
            BlockTypes.Image when Picture(new Image(b.Url ?? "", b.Caption, b.Credit, b.Alt, b.Width, b.Height, b.AssetId)) is { } p =>
                b with { Url = b.AssetId is null ? b.Url : p.Url, Caption = p.Caption, Credit = p.Credit, Alt = p.Alt, Width = p.Width, Height = p.Height, Renditions = p.Renditions },
            BlockTypes.Gallery => b with { Images = b.Images?.Select(i => Picture(i)!).ToList(), Renditions = null },
            BlockTypes.Video => b with { Poster = Picture(b.Poster), Renditions = null },
            _ => b with { Renditions = null },
        }).ToList();
        return content with { CoverImage = Picture(content.CoverImage), Body = body };
    }

    /// <summary>Makes the article's recorded uses those of its content (tracked, saved with the article).</summary>
    public static async Task Record(NewsDbContext db, Article article, CancellationToken ct)
    {
        var wanted = Ids(ArticleFields.Of(article)).ToHashSet();
        var current = article.CreatedAt == default ? [] : await db.ArticleAssets.Where(u => u.ArticleId == article.Id).ToListAsync(ct);
        db.ArticleAssets.RemoveRange(current.Where(u => !wanted.Contains(u.AssetId)));
        db.ArticleAssets.AddRange(wanted.Where(id => current.All(u => u.AssetId != id)).Select(id => new ArticleAsset { ArticleId = article.Id, AssetId = id }));
    }

    /// <summary>Why an article using these assets without alt text cannot be published.</summary>
    public static string AltMissing(IEnumerable<Guid> assets) =>
        $"Every image from the media library needs alt text before the article is published; " +
        $"add it to asset {string.Join(", ", assets)} (PATCH /api/v1/assets/{{id}}).";

    /// <summary>The assets an article uses that have no alt text: it cannot be published until they do.</summary>
    public static Task<List<Guid>> WithoutAlt(NewsDbContext db, Guid article, CancellationToken ct) =>
        db.ArticleAssets.Where(u => u.ArticleId == article)
            .Join(db.Assets.Where(a => a.Alt == null || a.Alt == ""), u => u.AssetId, a => a.Id, (u, a) => a.Id).ToListAsync(ct);
}
