using Microsoft.Extensions.Options;
using NewsApi.Api;

namespace NewsApi.Media;

internal static class MediaSetup
{
    /// <summary>
    /// The upload's body limit: Media:MaxUploadBytes rather than the API's default for JSON bodies. Its 413 names the rule
    /// size-limit, as every other refusal of a file names its own, whether the length was announced or counted.
    /// </summary>
    public static readonly BodyLimit UploadLimit = new($"{MediaOptions.Section}:{nameof(MediaOptions.MaxUploadBytes)}",
        s => s.GetRequiredService<IOptions<MediaOptions>>().Value.MaxUploadBytes, Rule: "size-limit");

    public static IServiceCollection AddMedia(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<MediaOptions>().Bind(config.GetSection(MediaOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<MediaOptions>, MediaOptionsCheck>();
        services.AddSingleton<IMediaStore>(s =>
        {
            var options = s.GetRequiredService<IOptions<MediaOptions>>().Value;
            if (options.Storage == StorageKind.S3)
                return new S3MediaStore(options.S3);
            var root = Path.IsPathRooted(options.LocalPath)
                ? options.LocalPath
                : Path.Combine(s.GetRequiredService<IWebHostEnvironment>().ContentRootPath, options.LocalPath);
            return new LocalMediaStore(root);
        });
        services.AddSingleton<RenditionMaker>();
        services.AddSingleton<RenditionCache>();
        services.AddSingleton<AssetIntake>();
        services.ConfigureSwaggerGen(o =>
        {
            o.OperationFilter<MediaDocs>();
            o.SchemaFilter<MediaSchemaBounds>();
        });
        // libvips' operation cache would keep decoded originals and open files between requests: every rendition is
        // made once and then stored, so the cache would only hold memory.
        NetVips.Cache.Max = 0;
        NetVips.Cache.MaxFiles = 0;
        // Only loaders that have been fuzzed for hostile input (no ImageMagick, no PDF, no SVG…).
        NetVips.NetVips.BlockUntrusted = true;
        return services;
    }

    /// <summary>An S3 store that may create its bucket does so before the first request.</summary>
    public static async Task PrepareMediaStoreAsync(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<MediaOptions>>().Value;
        if (options.Storage == StorageKind.S3 && options.S3.CreateBucket && app.Services.GetRequiredService<IMediaStore>() is S3MediaStore s3)
            await s3.EnsureBucketAsync(CancellationToken.None);
    }
}

/// <summary>The settings' failure, named, in the one-line refusal SettingsCheck logs.</summary>
internal sealed class MediaOptionsCheck : IValidateOptions<MediaOptions>
{
    public ValidateOptionsResult Validate(string? name, MediaOptions options) =>
        options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
