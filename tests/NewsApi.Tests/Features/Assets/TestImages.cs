using System.Buffers.Binary;
using System.IO.Compression;
using System.Net.Http.Headers;
using NetVips;

namespace NewsApi.Tests.Features.Assets;

/// <summary>Pictures made here with libvips, as the service reads them: no downloaded fixtures.</summary>
internal static class TestImages
{
    /// <summary>A left-to-right gradient (red rises, blue falls), so where a crop was cut can be read from its colour.</summary>
    public static Image Gradient(int width, int height)
    {
        using var xy = Image.Xyz(width, height);
        using var x = xy[0];
        using var red = x * (255.0 / Math.Max(1, width - 1));
        using var blue = 255 - red;
        using var green = red * 0 + 90;
        return red.Bandjoin(green, blue).Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
    }

    /// <summary>A JPEG of grey noise, which barely compresses, so its size follows its pixels.</summary>
    public static byte[] NoiseJpeg(int width, int height)
    {
        using var noise = Image.Gaussnoise(width, height, mean: 128, sigma: 60);
        using var grey = noise.Cast(Enums.BandFormat.Uchar);
        return grey.WriteToBuffer(".jpg", new VOption { { "Q", 90 } });
    }

    /// <summary>A noise JPEG of <paramref name="min"/> to <paramref name="max"/> bytes, its side found by a few tries.</summary>
    public static byte[] NoiseJpegOfSize(long min, long max)
    {
        var side = 256.0;
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var bytes = NoiseJpeg((int)side, (int)side);
            if (bytes.Length >= min && bytes.Length <= max)
                return bytes;
            side *= Math.Sqrt((min + max) / 2.0 / bytes.Length);
        }
        throw new InvalidOperationException($"no noise JPEG of {min} to {max} bytes");
    }

    public static byte[] Encode(Image image, string suffix) => image.WriteToBuffer(suffix);

    public static byte[] Jpeg(int width = 96, int height = 64) { using var i = Gradient(width, height); return i.WriteToBuffer(".jpg"); }

    /// <summary>A JPEG carrying a photographer's location, camera owner and orientation 6 (shown turned a quarter clockwise).</summary>
    public static byte[] JpegWithGps(int width = 96, int height = 64)
    {
        using var plain = Gradient(width, height);
        using var tagged = plain.Mutate(m =>
        {
            m.Set(GValue.GIntType, "orientation", 6);
            m.Set(GValue.GStrType, "exif-ifd3-GPSLatitudeRef", "N");
            m.Set(GValue.GStrType, "exif-ifd3-GPSLatitude", "30/1 44/1 0/1");
            m.Set(GValue.GStrType, "exif-ifd3-GPSLongitudeRef", "E");
            m.Set(GValue.GStrType, "exif-ifd3-GPSLongitude", "120/1 29/1 0/1");
            m.Set(GValue.GStrType, "exif-ifd0-Artist", "source-name");
        });
        return tagged.WriteToBuffer(".jpg");
    }

    /// <summary>A PNG header declaring 20,000 × 20,000 pixels with one tiny data chunk: a decompression bomb's shape.</summary>
    public static byte[] PngBomb()
    {
        var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, 20_000);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), 20_000);
        ihdr[8] = 8; // bit depth; colour type 0 (grey)
        Chunk(png, "IHDR", ihdr);
        var zeros = new MemoryStream();
        using (var z = new ZLibStream(zeros, CompressionLevel.SmallestSize, leaveOpen: true))
            z.Write(new byte[20_001]);
        Chunk(png, "IDAT", zeros.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>
    /// An animated GIF of five 5,000 × 5,000 frames (125 million pixels) in 70 bytes, each frame's data a single pixel:
    /// a bomb in GIF's shape. (A huge logical screen around a small frame is no bomb: the decoder takes the frames' size.)
    /// </summary>
    public static byte[] GifBomb()
    {
        var gif = new MemoryStream();
        gif.Write("GIF89a"u8);
        Span<byte> side = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(side, 5_000);
        gif.Write(side);
        gif.Write(side);
        gif.Write([0x80, 0, 0, 0, 0, 0, 255, 255, 255]); // a global table of two colours: black, white
        for (var frame = 0; frame < 5; frame++)
        {
            gif.WriteByte(0x2C); // a frame at 0,0 of 5,000 × 5,000
            gif.Write([0, 0, 0, 0]);
            gif.Write(side);
            gif.Write(side);
            gif.WriteByte(0);
            gif.Write([2, 2, 0x44, 0x01, 0]); // its LZW data: clear, pixel 0, end
        }
        gif.WriteByte(0x3B);
        return gif.ToArray();
    }

    /// <summary>The start of a HEIC photo (an ISO BMFF ftyp box of brand heic): a format this library does not take.</summary>
    public static byte[] HeicHead()
    {
        byte[] ftyp = [0, 0, 0, 0x18, .. "ftypheic"u8, 0, 0, 0, 0, .. "mif1heic"u8];
        return [.. ftyp, .. new byte[600]];
    }

    static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)data.Length);
        png.Write(length);
        var typed = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(length, System.IO.Hashing.Crc32.HashToUInt32(typed));
        png.Write(length);
    }

    public static ByteArrayContent Body(byte[] bytes, string contentType = "application/octet-stream")
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return content;
    }

    public static MultipartFormDataContent Form(byte[] bytes, string fileName = "photo.jpg")
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(file, "file", fileName);
        return form;
    }
}
