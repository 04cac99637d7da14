using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsApi.Api;
using NewsApi.Api.Auth;
using NewsApi.Api.OpenApi;
using NewsApi.Data;

namespace NewsApi.Media;

/// <summary>
/// <c>GET /media/{id}/{preset}.{webp|avif|jpg}</c>: an asset's rendition at a configured preset. Made on the first
/// request, stored, then served from the store. With the <c>v</c> its asset's JSON gives, the answer is immutable and
/// cached for a year (never past the asset's expiry); without it, or with an old one, for a minute.
/// </summary>
internal static class MediaEndpoints
{
    const int Year = 31_536_000;

    public static RouteGroupBuilder MapMedia(this RouteGroupBuilder root)
    {
        root.MapGet(RenditionLinks.Prefix + "/{id:guid}/{preset}.{format}", Get).WithName(MediaDocs.RenditionOperationId).WithTags("Assets")
            .Produces<byte[]>(StatusCodes.Status200OK, "image/webp", "image/avif", "image/jpeg")
            .WithParameterDocs(new Dictionary<string, ParameterDoc>
            {
                ["id"] = new("The asset's id (a UUID)."),
                ["preset"] = new("A configured preset, such as w320, w640, w1280, square-400 or og-1200x630.", MaxLength: MediaOptions.MaxPresetNameLength),
                ["format"] = new("The encoding: webp, avif or jpg.", MaxLength: Renditions.MaxExtensionLength),
                ["v"] = new("The rendition's version, as in the url the asset's renditions give; with it the answer is immutable.", MaxLength: Renditions.VersionLength),
            })
            .WithSummary("Get a rendition of an asset")
            .WithDescription("preset is one of the configured presets (Media:Presets, by default w320, w640, w1280, square-400, " +
                             "og-1200x630) and format webp, avif or jpg; anything else is a 404 listing them. Width presets " +
                             "never enlarge; crops keep the asset's focal point in view. No metadata of the original (EXIF, GPS, " +
                             "XMP) is ever served. Public once the asset is public or used by a public article; 410 after expiresAt. " +
                             "Use the url from the asset's renditions: its v makes the answer cacheable for a year.");
        return root;
    }

    public static async Task<Results<FileStreamHttpResult, FileContentHttpResult, StatusCodeHttpResult, NotFoundProblem, GoneProblem>> Get(
        Guid id, string preset, string format, string? v, NewsDbContext db, RenditionMaker maker, IOptions<MediaOptions> options,
        TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var settings = options.Value;
        if (!settings.Presets.TryGetValue(preset, out var shape))
            return Problems.NotFound($"There is no preset '{preset}'; the presets are {string.Join(", ", settings.Presets.Keys)}.");
        if (Renditions.Format(format) is not { } encoding)
            return Problems.NotFound($"There is no format '{format}'; the formats are {string.Join(", ", Renditions.Formats.Select(f => f.Extension))}.");
        var now = clock.GetUtcNow();
        var asset = await db.Assets.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct);
        if (asset is null || (!http.User.CanPreview() && !await AssetAccess.PublicAsync(db, asset, now, ct)))
            return Problems.NotFound($"There is no public asset {id}.");
        if (AssetAccess.Expired(asset, now))
            return Problems.Gone($"Asset {id} expired at {asset.ExpiresAt:O} and is no longer served.");

        var source = new CropSource(asset.Sha256, asset.Width, asset.Height, asset.FocalX, asset.FocalY);
        var version = Renditions.Version(source, preset, shape, settings.Quality);
        var lifetime = v == version ? Year : 60;
        if (asset.ExpiresAt is { } expires)
            lifetime = (int)Math.Min(lifetime, Math.Max(0, (expires - now).TotalSeconds));
        var etag = new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{version}.{encoding.Extension}\"");
        http.Response.Headers.CacheControl = lifetime >= Year
            ? string.Create(CultureInfo.InvariantCulture, $"public, max-age={lifetime}, immutable")
            : string.Create(CultureInfo.InvariantCulture, $"public, max-age={lifetime}");
        http.Response.Headers.ETag = etag.ToString();
        if (http.Request.Headers.IfNoneMatch.Any(h => h is not null && (h == "*" || h.Split(',').Any(t => t.Trim() == etag.Tag.ToString()))))
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);

        var key = Renditions.Key(asset.Id, preset, version, encoding);
        if (await maker.StoredAsync(key, ct) is { } stored)
            return TypedResults.Stream(stored, encoding.ContentType);
        return TypedResults.Bytes(await maker.MakeAsync(key, source, shape, encoding), encoding.ContentType);
    }
}
