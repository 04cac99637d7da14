using System.Text;

namespace NewsApi.Media;

/// <summary>A kind of image the library accepts, known by its first bytes.</summary>
internal sealed record ImageFormat(string Name, string ContentType);

/// <summary>
/// What a file is, read from its first bytes: never the file name nor the Content-Type a client sends, which say only
/// what the sender believes. SVG is text that can carry script, so it is recognised in order to be refused.
/// </summary>
internal static class ImageFormats
{
    public static readonly ImageFormat Jpeg = new("jpeg", "image/jpeg");
    public static readonly ImageFormat Png = new("png", "image/png");
    public static readonly ImageFormat WebP = new("webp", "image/webp");
    public static readonly ImageFormat Avif = new("avif", "image/avif");
    public static readonly ImageFormat Gif = new("gif", "image/gif");

    public static readonly IReadOnlyList<ImageFormat> Accepted = [Jpeg, Png, WebP, Avif, Gif];

    /// <summary>How many leading bytes <see cref="Detect"/> reads.</summary>
    public const int SniffLength = 512;

    public static ImageFormat? Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
            return Jpeg;
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
            return Png;
        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8))
            return Gif;
        if (head.Length >= 12 && head[..4].SequenceEqual("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
            return WebP;
        // ISO BMFF: a box of type ftyp whose major or a compatible brand is an AVIF brand (HEIC is not accepted).
        if (head.Length >= 16 && head[4..8].SequenceEqual("ftyp"u8))
        {
            var size = Math.Min((int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(head), head.Length);
            for (var i = 8; i + 4 <= size; i += 4)
                if (i != 12 && (head.Slice(i, 4).SequenceEqual("avif"u8) || head.Slice(i, 4).SequenceEqual("avis"u8)))
                    return Avif;
        }
        return null;
    }

    /// <summary>
    /// What an image at this address claims to be by its extension (a rendition's, or a url given with a story), for
    /// the media type feeds must state; null when the address does not say.
    /// </summary>
    public static ImageFormat? ByAddress(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) ? Path.GetExtension(u.AbsolutePath).ToLowerInvariant() switch
        {
            ".jpg" or ".jpeg" => Jpeg,
            ".png" => Png,
            ".webp" => WebP,
            ".avif" => Avif,
            ".gif" => Gif,
            _ => null,
        } : null;

    /// <summary>Whether the bytes are an SVG document (possibly after a BOM, an XML declaration, comments or a doctype).</summary>
    public static bool IsSvg(ReadOnlySpan<byte> head)
    {
        var text = Encoding.UTF8.GetString(head).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        return text.StartsWith('<') && text.Contains("<svg", StringComparison.OrdinalIgnoreCase);
    }
}
