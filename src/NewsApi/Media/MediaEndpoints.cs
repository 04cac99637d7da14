using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsApi.Api;
using NewsApi.Api.Auth;
using NewsApi.Api.Caching;
using NewsApi.Api.OpenApi;
using NewsApi.Data;

namespace NewsApi.Media;

/// <summary>
/// <c>GET /media/{id}/{preset}.{webp|avif|jpg}</c>: an asset's rendition at a configured preset. Made on the first
/// request, stored, then served from the store. With the <c>v</c> its asset's JSON gives, the answer is immutable and
/// cached for a year (never past the asset's expiry); without it, or with an old one, for a minute. The public's
/// answers with the current v are also kept by this service (<see cref="RenditionCache"/>), so a stored rendition is
/// served at the speed of a cached public read.
/// </summary>
internal static class MediaEndpoints
{
    const int Year = 31_536_000;

    public static RouteGroupBuilder MapMedia(this RouteGroupBuilder root)
    {
        root.MapGet(RenditionLinks.Prefix + "/{id:guid}/{preset}.{format}", Get).WithName(MediaDocs.RenditionOperationId).WithTags("Assets")
            .WithMetadata(new RenditionRoute())
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
        Guid id, string preset, string format, string? v, NewsDbContext db, RenditionMaker maker, RenditionCache cache,
        IOptions<MediaOptions> options, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var settings = options.Value;
        if (!settings.Presets.TryGetValue(preset, out var shape))
            return Problems.NotFound($"There is no preset '{preset}'; the presets are {string.Join(", ", settings.Presets.Keys)}.");
        if (Renditions.Format(format) is not { } encoding)
            return Problems.NotFound($"There is no format '{format}'; the formats are {string.Join(", ", Renditions.Formats.Select(f => f.Extension))}.");
        var now = clock.GetUtcNow();
        var preview = http.User.CanPreview();
        // The public's versioned url, not kept yet (UseKeptRenditions serves it once it is).
        var cacheable = !preview && v is not null && cache.On;
        var evictionsBefore = cache.EvictionsNow;
        var asset = await db.Assets.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct);
        // Why the public may see it: its own flag (no articles), or the public articles that use it.
        List<Guid> uses = [];
        if (asset is not null && !preview && !asset.Public)
            uses = await AssetAccess.PublicUsesAsync(db, asset.Id, now, RenditionCache.MaxArticles + 1, ct);
        if (asset is null || (!preview && !asset.Public && uses.Count == 0))
            return Problems.NotFound($"There is no public asset {id}.");
        if (AssetAccess.Expired(asset.ExpiresAt, now))
            return Problems.Gone($"Asset {id} expired at {asset.ExpiresAt:O} and is no longer served.");

        var source = new CropSource(asset.Sha256, asset.Width, asset.Height, asset.FocalX, asset.FocalY);
        var version = Renditions.Version(source, preset, shape, settings.Quality);
        var current = v == version;
        if (Answer(http, version, encoding, current ? Year : 60, asset.ExpiresAt, now))
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);

        var key = Renditions.Key(asset.Id, preset, version, encoding);
        var keep = cacheable && current && uses.Count <= RenditionCache.MaxArticles;
        Task Keep(byte[] bytes) => cache.KeepAsync(asset.Id, preset, encoding, version, asset.ExpiresAt, uses, bytes,
            Lifetime(Year, asset.ExpiresAt, now), evictionsBefore);
        if (await maker.StoredAsync(key, ct) is { } stored)
        {
            if (!keep || stored.CanSeek && stored.Length > RenditionCache.MaxBytes)
                return TypedResults.Stream(stored, encoding.ContentType);
            // Read whole to be kept; one of unknown length (from S3) too: renditions are made whole in memory anyway.
            byte[] read;
            await using (stored)
            {
                using var copy = new MemoryStream();
                await stored.CopyToAsync(copy, ct);
                read = copy.ToArray();
            }
            await Keep(read);
            return TypedResults.Bytes(read, encoding.ContentType);
        }
        var made = await maker.MakeAsync(key, source, shape, encoding);
        if (keep)
            await Keep(made);
        return TypedResults.Bytes(made, encoding.ContentType);
    }

    /// <summary>The lifetime asked for, never past the asset's expiry.</summary>
    static TimeSpan Lifetime(int seconds, DateTimeOffset? expiresAt, DateTimeOffset now) =>
        TimeSpan.FromSeconds(expiresAt is { } expires ? Math.Min(seconds, Math.Max(0, (expires - now).TotalSeconds)) : seconds);

    /// <summary>
    /// The public's hits on a versioned url, served before the endpoint runs (after the key check and the rate limits,
    /// so they still count): a hit binds no database context or store and runs none of the endpoint's machinery, which
    /// for a 75 KB answer cost as much as writing it. Anything else (a key that may preview, no v, a preset or format
    /// that does not exist, a miss, an expired asset) goes on to the endpoint, which answers and keeps it.
    /// </summary>
    public static WebApplication UseKeptRenditions(this WebApplication app)
    {
        var cache = app.Services.GetRequiredService<RenditionCache>();
        var options = app.Services.GetRequiredService<IOptions<MediaOptions>>();
        var clock = app.Services.GetRequiredService<TimeProvider>();
        app.Use(async (http, next) =>
        {
            if (!await ServeKept(http, cache, options.Value, clock))
                await next(http);
        });
        return app;
    }

    static async ValueTask<bool> ServeKept(HttpContext http, RenditionCache cache, MediaOptions settings, TimeProvider clock)
    {
        var request = http.Request;
        // The route is the GET one (MapGet: no HEAD).
        if (!cache.On || http.GetEndpoint()?.Metadata.GetMetadata<RenditionRoute>() is null || http.User.CanPreview()
            || request.Query["v"] is not [{ } v] || request.RouteValues["preset"] is not string preset || !settings.Presets.ContainsKey(preset)
            || request.RouteValues["format"] is not string format || Renditions.Format(format) is not { } encoding
            || !Guid.TryParse(request.RouteValues["id"] as string, out var id))
            return false;
        var now = clock.GetUtcNow();
        if (await cache.GetAsync(id, preset, encoding, v, http.RequestAborted) is not { } hit || AssetAccess.Expired(hit.ExpiresAt, now))
            return false;
        var response = http.Response;
        if (Answer(http, v, encoding, Year, hit.ExpiresAt, now))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return true;
        }
        response.ContentType = encoding.ContentType;
        response.ContentLength = hit.Body.Length;
        await response.BodyWriter.WriteAsync(hit.Body, http.RequestAborted);
        return true;
    }

    /// <summary>Marks the rendition route, whose public hits <see cref="UseKeptRenditions"/> serves.</summary>
    sealed class RenditionRoute;

    /// <summary>Sets the answer's Cache-Control and ETag; true (a 304) when If-None-Match already holds it.</summary>
    static bool Answer(HttpContext http, string version, RenditionFormat encoding, int seconds, DateTimeOffset? expiresAt, DateTimeOffset now)
    {
        var lifetime = (int)Lifetime(seconds, expiresAt, now).TotalSeconds;
        var etag = $"\"{version}.{encoding.Extension}\"";
        http.Response.Headers.CacheControl = lifetime >= Year
            ? string.Create(CultureInfo.InvariantCulture, $"public, max-age={lifetime}, immutable")
            : string.Create(CultureInfo.InvariantCulture, $"public, max-age={lifetime}");
        http.Response.Headers.ETag = etag;
        return NotModified.Applies(http.Request, etag, lastModified: null);
    }
}
