using NetVips;

namespace NewsApi.Media;

/// <summary>What the library records of an image from its bytes: the size as shown and a placeholder.</summary>
internal sealed record ImageFacts(ImageFormat Format, int Width, int Height, string DominantColor, string BlurHash);

/// <summary>
/// Reads an uploaded file: its kind from the first bytes, its declared size from the header alone (so a decompression
/// bomb is refused before a pixel is decoded), then a 32-pixel thumbnail, decoded in full, for the dominant colour and
/// the BlurHash. A file that does not decode is refused here, before it is stored.
/// </summary>
internal static class ImageProbe
{
    public static (ImageFacts? Facts, MediaRefusal? Refusal) Inspect(string path, ReadOnlySpan<byte> head, long maxPixels)
    {
        if (ImageFormats.Detect(head) is not { } format)
            return (null, ImageFormats.IsSvg(head) ? MediaRefusal.Svg() : MediaRefusal.FileType());
        try
        {
            int width, height;
            using (var header = Image.NewFromFile(path, access: Enums.Access.Sequential))
            {
                long pages = header.Contains("n-pages") ? Math.Max(1, (int)header.Get("n-pages")) : 1;
                var pixels = (long)header.Width * header.Height * pages;
                if (pixels > maxPixels)
                    return (null, MediaRefusal.PixelLimit(pixels, maxPixels));
                var turned = header.Contains("orientation") && (int)header.Get("orientation") is >= 5 and <= 8;
                (width, height) = turned ? (header.Height, header.Width) : (header.Width, header.Height);
            }
            using var small = Image.Thumbnail(path, 32, height: 32, failOn: Enums.FailOn.Truncated);
            using var rgb = Rgb(small);
            var pixelBytes = rgb.WriteToMemory<byte>();
            return (new ImageFacts(format, width, height, Dominant(pixelBytes), BlurHash.Encode(pixelBytes, rgb.Width, rgb.Height)), null);
        }
        catch (VipsException)
        {
            return (null, MediaRefusal.Unreadable());
        }
    }

    /// <summary>Three 8-bit sRGB bands, transparency laid on white, as a page shows it.</summary>
    public static Image Rgb(Image image)
    {
        var srgb = image.Interpretation == Enums.Interpretation.Srgb ? image.Copy() : image.Colourspace(Enums.Interpretation.Srgb);
        if (srgb.HasAlpha())
        {
            var flat = srgb.Flatten(background: [255, 255, 255]);
            srgb.Dispose();
            srgb = flat;
        }
        if (srgb.Bands > 3)
        {
            var three = srgb.ExtractBand(0, 3);
            srgb.Dispose();
            srgb = three;
        }
        var bytes = srgb.Cast(Enums.BandFormat.Uchar);
        srgb.Dispose();
        return bytes;
    }

    /// <summary>The most frequent colour at 4 bits a channel, as the mean of the pixels in that bucket.</summary>
    static string Dominant(byte[] rgb)
    {
        var counts = new Dictionary<int, (int N, long R, long G, long B)>();
        for (var p = 0; p + 2 < rgb.Length; p += 3)
        {
            var bucket = (rgb[p] >> 4 << 8) | (rgb[p + 1] >> 4 << 4) | (rgb[p + 2] >> 4);
            var c = counts.GetValueOrDefault(bucket);
            counts[bucket] = (c.N + 1, c.R + rgb[p], c.G + rgb[p + 1], c.B + rgb[p + 2]);
        }
        var top = counts.Values.MaxBy(c => c.N);
        return top.N == 0 ? "#808080" : $"#{top.R / top.N:x2}{top.G / top.N:x2}{top.B / top.N:x2}";
    }
}
