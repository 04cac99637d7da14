using NewsApi.Data.Entities;
using NewsApi.Media;

namespace NewsApi.Features.Assets;

/// <summary>The subject's position in the picture, 0–1 from the left (x) and from the top (y).</summary>
internal sealed record FocalPoint(double X, double Y);

/// <summary>An asset as the API shows it: the entity's columns, its facts and its renditions, never the entity itself.</summary>
/// <param name="Id">UUIDv7.</param>
/// <param name="ContentType">What the original is, read from its bytes: image/jpeg, image/png, image/webp, image/avif or image/gif.</param>
/// <param name="Bytes">Size of the original.</param>
/// <param name="Width">Width as shown (EXIF orientation applied).</param>
/// <param name="Height">Height as shown.</param>
/// <param name="Sha256">Hex SHA-256 of the original: the same file uploaded again is this asset.</param>
/// <param name="DominantColor">#rrggbb, for a background while the picture loads.</param>
/// <param name="BlurHash">A BlurHash (blurha.sh) placeholder, 4×3 components.</param>
/// <param name="Caption">Plain text.</param>
/// <param name="Alt">Alternative text; an article using the asset cannot be published without it.</param>
/// <param name="Credit">e.g. 中新社記者 張亨偉 攝.</param>
/// <param name="Copyright">e.g. © 中新社.</param>
/// <param name="Source">Where it came from, e.g. 中新社.</param>
/// <param name="UsageTerms">Restrictions on use, e.g. 僅限新聞報道使用.</param>
/// <param name="ExpiresAt">After this instant the asset is no longer served.</param>
/// <param name="FocalPoint">Where crops centre; null is the middle.</param>
/// <param name="Public">Readable by anyone even when no public article uses it.</param>
/// <param name="CreatedAt">When it was first uploaded.</param>
/// <param name="UpdatedAt">When its metadata last changed.</param>
/// <param name="Renditions">Every preset in every format, with size and URL.</param>
/// <param name="Srcset">For each format, an img srcset of the width presets.</param>
internal sealed record AssetResponse(
    Guid Id, string ContentType, long Bytes, int Width, int Height, string Sha256, string DominantColor, string BlurHash,
    string? Caption, string? Alt, string? Credit, string? Copyright, string? Source, string? UsageTerms,
    DateTimeOffset? ExpiresAt, FocalPoint? FocalPoint, bool Public, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    IReadOnlyList<RenditionLink> Renditions, IReadOnlyDictionary<string, string> Srcset)
{
    public static CropSource Crop(Asset a) => new(a.Sha256, a.Width, a.Height, a.FocalX, a.FocalY);

    public static AssetResponse From(Asset a, MediaOptions options)
    {
        var renditions = RenditionLinks.For(a.Id, Crop(a), options);
        return new(a.Id, a.ContentType, a.Bytes, a.Width, a.Height, a.Sha256, a.DominantColor, a.BlurHash,
            a.Caption, a.Alt, a.Credit, a.Copyright, a.Source, a.UsageTerms, a.ExpiresAt,
            a is { FocalX: { } x, FocalY: { } y } ? new FocalPoint(x, y) : null, a.Public, a.CreatedAt, a.UpdatedAt,
            renditions, RenditionLinks.Srcset(renditions, options));
    }
}
