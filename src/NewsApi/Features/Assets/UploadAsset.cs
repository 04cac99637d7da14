using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using NewsApi.Api;
using NewsApi.Data;
using NewsApi.Data.Entities;
using NewsApi.Media;

namespace NewsApi.Features.Assets;

/// <summary>
/// POST /api/v1/assets: a photo as multipart/form-data (its first file part) or as the raw body. What the file is comes
/// from its bytes; the same bytes uploaded again answer 200 with the asset they already are, a new file 201.
/// </summary>
internal static class UploadAsset
{
    public static async Task<Results<Created<AssetResponse>, Ok<AssetResponse>, MediaRefusal>> Handle(
        HttpContext http, NewsDbContext db, AssetIntake intake, IOptions<MediaOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var (received, refusal) = await Receive(http, intake, ct);
        if (received is null)
            return refusal!;
        using (received)
        {
            if (await Existing(db, received.Sha256, ct) is { } same)
                return Same(http, same, options.Value);
            await intake.StoreAsync(received, ct);
            var now = clock.GetUtcNow();
            var facts = received.Facts;
            var asset = new Asset
            {
                Sha256 = received.Sha256, ContentType = facts.Format.ContentType, Bytes = received.Bytes,
                Width = facts.Width, Height = facts.Height, DominantColor = facts.DominantColor, BlurHash = facts.BlurHash,
                CreatedAt = now, UpdatedAt = now,
            };
            db.Assets.Add(asset);
            if (await ResourceWrites.Save(db, ct) is not null)
            {
                // The same file, uploaded at the same moment by another request, won the unique hash: it is that asset.
                if (await Existing(db, received.Sha256, ct) is { } raced)
                    return Same(http, raced, options.Value);
                throw new InvalidOperationException("The asset could not be saved.");
            }
            Preconditions.SetETag(http, asset.Version);
            return TypedResults.Created(AssetEndpoints.Path(asset.Id), AssetResponse.From(asset, options.Value));
        }
    }

    static Task<Asset?> Existing(NewsDbContext db, string sha256, CancellationToken ct) =>
        db.Assets.AsNoTracking().FirstOrDefaultAsync(a => a.Sha256 == sha256, ct);

    static Ok<AssetResponse> Same(HttpContext http, Asset asset, MediaOptions options)
    {
        Preconditions.SetETag(http, asset.Version);
        http.Response.Headers.Location = AssetEndpoints.Path(asset.Id);
        return TypedResults.Ok(AssetResponse.From(asset, options));
    }

    static async Task<(ReceivedFile?, MediaRefusal?)> Receive(HttpContext http, AssetIntake intake, CancellationToken ct)
    {
        try
        {
            if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
                return await intake.ReceiveAsync(http.Request.Body, ct);
            var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
            if (string.IsNullOrEmpty(boundary))
                return (null, MediaRefusal.NoFile());
            var reader = new MultipartReader(boundary, http.Request.Body);
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) && disposition.IsFileDisposition())
                    return await intake.ReceiveAsync(section.Body, ct);
            }
            return (null, MediaRefusal.NoFile());
        }
        // A body Kestrel stopped at Media:MaxUploadBytes (a BadHttpRequestException, an IOException too) goes on to the
        // exception handler, which answers the same 413 problem as for a Content-Length over the limit.
        catch (Exception e) when (e is InvalidDataException or IOException && e is not BadHttpRequestException && !ct.IsCancellationRequested)
        {
            return (null, new MediaRefusal(StatusCodes.Status400BadRequest, "malformed-multipart", "The multipart/form-data body is malformed: " + e.Message));
        }
    }
}
