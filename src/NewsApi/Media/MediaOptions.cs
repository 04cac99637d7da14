using System.Text.RegularExpressions;

namespace NewsApi.Media;

/// <summary>How a preset fits the original: <c>Width</c> scales to a width (never up), <c>Cover</c> fills the box and crops.</summary>
internal enum PresetFit { Width, Cover }

/// <summary>One named size a rendition may be made at. Only these exist, so nobody can make the server render any size.</summary>
internal sealed class Preset
{
    public int Width { get; set; }

    /// <summary>The box's height, for <see cref="PresetFit.Cover"/>.</summary>
    public int? Height { get; set; }

    public PresetFit Fit { get; set; } = PresetFit.Width;
}

/// <summary>Where originals and renditions are kept.</summary>
internal enum StorageKind { Local, S3 }

internal sealed class S3StorageOptions
{
    /// <summary>The endpoint of an S3-compatible store (MinIO, Ceph, R2, s3rver); empty for AWS itself.</summary>
    public string? ServiceUrl { get; set; }
    public string Bucket { get; set; } = "";
    public string Region { get; set; } = "us-east-1";
    public string? AccessKey { get; set; }
    public string? SecretKey { get; set; }

    /// <summary>bucket in the path rather than the host name, as most S3-compatible stores want.</summary>
    public bool ForcePathStyle { get; set; } = true;

    /// <summary>Create the bucket at start when it is missing (development stores).</summary>
    public bool CreateBucket { get; set; }
}

/// <summary>Settings of the <c>Media</c> section: what an upload may be, the presets, and the store.</summary>
internal sealed class MediaOptions
{
    public const string Section = "Media";

    /// <summary>The longest preset name; it is part of every rendition's URL.</summary>
    public const int MaxPresetNameLength = 40;

    /// <summary>The largest width or height a preset may have, in pixels.</summary>
    public const int MaxPresetSide = 8192;

    /// <summary>The largest upload, in bytes.</summary>
    public long MaxUploadBytes { get; set; } = 40L * 1024 * 1024;

    /// <summary>The most pixels (width × height × frames) an image may declare: a decompression bomb declares far more.</summary>
    public long MaxPixels { get; set; } = 100_000_000;

    public StorageKind Storage { get; set; } = StorageKind.Local;

    /// <summary>The folder of the local store; relative paths are under the content root. Default .data/media.</summary>
    public string LocalPath { get; set; } = Path.Combine(".data", "media");

    public S3StorageOptions S3 { get; set; } = new();

    /// <summary>Renditions made at once, at most; each holds a decoded image in memory. Default: one per core.</summary>
    public int MaxConcurrentRenders { get; set; } = Environment.ProcessorCount;

    /// <summary>Quality of lossy encodings, 1–100.</summary>
    public int Quality { get; set; } = 80;

    /// <summary>
    /// The presets by name. Defaults in code; configuration adds or changes entries (Media:Presets:w1920:Width=1920).
    /// </summary>
    public Dictionary<string, Preset> Presets { get; set; } = new(StringComparer.Ordinal)
    {
        ["w320"] = new() { Width = 320 },
        ["w640"] = new() { Width = 640 },
        ["w1280"] = new() { Width = 1280 },
        ["square-400"] = new() { Width = 400, Height = 400, Fit = PresetFit.Cover },
        ["og-1200x630"] = new() { Width = 1200, Height = 630, Fit = PresetFit.Cover },
    };

    public static readonly Regex PresetName = new("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant);

    /// <summary>Why the settings cannot work, or null.</summary>
    public string? Problem()
    {
        if (MaxUploadBytes < 1024)
            return "Media:MaxUploadBytes must be at least 1024.";
        if (MaxPixels < 1_000_000)
            return "Media:MaxPixels must be at least 1000000.";
        if (Quality is < 1 or > 100)
            return "Media:Quality must be from 1 to 100.";
        if (MaxConcurrentRenders < 1)
            return "Media:MaxConcurrentRenders must be at least 1.";
        if (Presets.Count == 0)
            return "Media:Presets must name at least one preset.";
        foreach (var (name, p) in Presets)
        {
            if (!PresetName.IsMatch(name) || name.Length > MaxPresetNameLength)
                return $"Media:Presets:{name}: a preset's name is lowercase letters and digits with single hyphens, such as w640.";
            if (p.Width is < 16 or > MaxPresetSide || p.Height is < 16 or > MaxPresetSide)
                return $"Media:Presets:{name}: Width and Height must be from 16 to {MaxPresetSide}.";
            if (p.Fit == PresetFit.Cover && p.Height is null)
                return $"Media:Presets:{name}: a Cover preset needs a Height.";
        }
        if (Storage == StorageKind.Local && string.IsNullOrWhiteSpace(LocalPath))
            return "Media:LocalPath must name a folder when Media:Storage is Local.";
        if (Storage == StorageKind.S3 && string.IsNullOrWhiteSpace(S3.Bucket))
            return "Media:S3:Bucket must be set when Media:Storage is S3.";
        if (Storage == StorageKind.S3 && S3.ServiceUrl is { Length: > 0 } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
            return "Media:S3:ServiceUrl must be an absolute URL.";
        return null;
    }
}
