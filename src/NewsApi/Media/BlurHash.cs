namespace NewsApi.Media;

/// <summary>
/// The BlurHash of an image (https://blurha.sh, MIT): a few DCT components in 20–30 characters that a frontend paints
/// as a blurred placeholder while the picture loads. Encoded from a small sRGB thumbnail.
/// </summary>
internal static class BlurHash
{
    const string Digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~";

    /// <summary>rgb holds width × height pixels of three bytes each, row by row.</summary>
    public static string Encode(ReadOnlySpan<byte> rgb, int width, int height, int componentsX = 4, int componentsY = 3)
    {
        var factors = new (double R, double G, double B)[componentsX * componentsY];
        for (var j = 0; j < componentsY; j++)
            for (var i = 0; i < componentsX; i++)
            {
                double r = 0, g = 0, b = 0;
                for (var y = 0; y < height; y++)
                    for (var x = 0; x < width; x++)
                    {
                        var basis = Math.Cos(Math.PI * i * x / width) * Math.Cos(Math.PI * j * y / height);
                        var p = (y * width + x) * 3;
                        r += basis * ToLinear(rgb[p]);
                        g += basis * ToLinear(rgb[p + 1]);
                        b += basis * ToLinear(rgb[p + 2]);
                    }
                var scale = (i == 0 && j == 0 ? 1.0 : 2.0) / (width * height);
                factors[j * componentsX + i] = (r * scale, g * scale, b * scale);
            }

        var hash = new System.Text.StringBuilder();
        Append(hash, componentsX - 1 + (componentsY - 1) * 9, 1);
        var max = 1.0;
        if (factors.Length > 1)
        {
            var actual = factors.Skip(1).Max(f => Math.Max(Math.Abs(f.R), Math.Max(Math.Abs(f.G), Math.Abs(f.B))));
            var quantised = (int)Math.Max(0, Math.Min(82, Math.Floor(actual * 166 - 0.5)));
            max = (quantised + 1) / 166.0;
            Append(hash, quantised, 1);
        }
        else
            Append(hash, 0, 1);
        var dc = factors[0];
        Append(hash, (ToSrgb(dc.R) << 16) + (ToSrgb(dc.G) << 8) + ToSrgb(dc.B), 4);
        foreach (var f in factors.Skip(1))
            Append(hash, Quantise(f.R, max) * 19 * 19 + Quantise(f.G, max) * 19 + Quantise(f.B, max), 2);
        return hash.ToString();
    }

    static int Quantise(double value, double max) =>
        (int)Math.Max(0, Math.Min(18, Math.Floor(SignPow(value / max, 0.5) * 9 + 9.5)));

    static double SignPow(double value, double exponent) => Math.CopySign(Math.Pow(Math.Abs(value), exponent), value);

    static double ToLinear(byte value)
    {
        var v = value / 255.0;
        return v <= 0.04045 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4);
    }

    static int ToSrgb(double value)
    {
        var v = Math.Clamp(value, 0, 1);
        return v <= 0.0031308 ? (int)(v * 12.92 * 255 + 0.5) : (int)((1.055 * Math.Pow(v, 1 / 2.4) - 0.055) * 255 + 0.5);
    }

    static void Append(System.Text.StringBuilder hash, int value, int length)
    {
        for (var i = 1; i <= length; i++)
            hash.Append(Digits[(int)(value / Math.Pow(83, length - i)) % 83]);
    }
}
