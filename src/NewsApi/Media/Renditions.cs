using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NetVips;

namespace NewsApi.Media;

/// <summary>An encoding a rendition may be asked for, by the extension in its URL.</summary>
internal sealed record RenditionFormat(string Extension, string ContentType);

/// <summary>What a crop is made from: the original's size as shown and where its subject is.</summary>
internal sealed record CropSource(string Sha256, int Width, int Height, double? FocalX, double? FocalY);

/// <summary>
/// The renditions of an asset: their sizes (known without rendering, for srcset), the version token that changes with
/// anything that changes their pixels (so a stored or cached rendition is never stale), and the rendering itself.
/// </summary>
internal static class Renditions
{
    public static readonly RenditionFormat WebP = new("webp", "image/webp");
    public static readonly RenditionFormat Avif = new("avif", "image/avif");
    public static readonly RenditionFormat Jpeg = new("jpg", "image/jpeg");

    public static readonly IReadOnlyList<RenditionFormat> Formats = [WebP, Avif, Jpeg];

    /// <summary>The longest extension of <see cref="Formats"/>.</summary>
    public const int MaxExtensionLength = 4;

    /// <summary>The length of <see cref="Version"/>'s token.</summary>
    public const int VersionLength = 16;

    public static RenditionFormat? Format(string extension) => Formats.FirstOrDefault(f => f.Extension == extension);

    /// <summary>The rendition's size: a width preset never enlarges; a cover preset is exactly its box.</summary>
    public static (int Width, int Height) Size(Preset preset, int width, int height)
    {
        if (preset.Fit == PresetFit.Cover)
            return (preset.Width, preset.Height!.Value);
        if (width <= preset.Width)
            return (width, height);
        return (preset.Width, Math.Max(1, (int)Math.Round((double)height * preset.Width / width)));
    }

    /// <summary>16 hex digits over the original, the preset, the focal point and the quality: part of key, URL and ETag.</summary>
    public static string Version(CropSource source, string presetName, Preset preset, int quality)
    {
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{source.Sha256}|{presetName}|{preset.Width}|{preset.Height}|{preset.Fit}|{source.FocalX:R}|{source.FocalY:R}|{quality}");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..VersionLength];
    }

    public static string OriginalKey(string sha256) => $"originals/{sha256}";

    public static string Prefix(Guid asset) => $"renditions/{asset:N}/";

    public static string Key(Guid asset, string presetName, string version, RenditionFormat format) =>
        $"{Prefix(asset)}{presetName}.{version}.{format.Extension}";

    /// <summary>
    /// Renders the original at <paramref name="path"/>: orientation applied, converted to sRGB, scaled (a cover preset
    /// scaled to fill its box, then cut around the focal point), and encoded with no metadata at all, so no EXIF, GPS,
    /// XMP or IPTC of the source ever reaches a reader.
    /// </summary>
    public static byte[] Render(string path, CropSource source, Preset preset, RenditionFormat format, int quality)
    {
        var (width, height) = Size(preset, source.Width, source.Height);
        Image image;
        if (preset.Fit == PresetFit.Width)
            image = Image.Thumbnail(path, width, height: 10_000_000, size: Enums.Size.Down);
        else
        {
            var scale = Math.Max((double)width / source.Width, (double)height / source.Height);
            var scaledWidth = Math.Max(width, (int)Math.Ceiling(source.Width * scale));
            var scaledHeight = Math.Max(height, (int)Math.Ceiling(source.Height * scale));
            using var scaled = Image.Thumbnail(path, scaledWidth, height: scaledHeight, size: Enums.Size.Force);
            var left = Around(source.FocalX, scaled.Width, width);
            var top = Around(source.FocalY, scaled.Height, height);
            image = scaled.ExtractArea(left, top, Math.Min(width, scaled.Width), Math.Min(height, scaled.Height));
        }
        using (image)
        {
            using var flat = format == Jpeg && image.HasAlpha() ? image.Flatten(background: [255, 255, 255]) : image.Copy();
            var options = new VOption { { "Q", quality }, { "keep", Enums.ForeignKeep.None } };
            if (format == Avif)
                options.Add("effort", 2); // libvips' default (4) costs about twice the time for a little less size
            return flat.WriteToBuffer("." + format.Extension, options);
        }
    }

    /// <summary>Where a window of <paramref name="window"/> pixels starts so that the focal point is as central as it can be.</summary>
    static int Around(double? focal, int length, int window) =>
        Math.Clamp((int)Math.Round((focal ?? 0.5) * length - window / 2.0), 0, Math.Max(0, length - window));
}
