using System.Text;
using System.Text.RegularExpressions;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsApi.Api;
using NewsApi.Api.Auth;
using NewsApi.Api.OpenApi;
using NewsApi.Data;
using NewsApi.Media;
using NewsApi.Search;

namespace NewsApi.Features.Assets;


internal static class AssetEndpoints
{
    const string Group = "/assets";

    /// <summary>The asset's address, for Location headers.</summary>
    public static string Path(Guid id) => $"{ApiRoutes.Prefix}{Group}/{id}";

    public static RouteGroupBuilder MapAssets(this RouteGroupBuilder api)
    {
        var assets = api.MapGroup(Group).WithTags("Assets").WithResourceParameters().WithParameterDocs(new Dictionary<string, ParameterDoc>
        {
            ["q"] = new("Text the caption or the credit contains, in Traditional or Simplified characters alike, e.g. 烏鎮 (also finds 乌镇).", MaxLength: 200),
        });
        assets.MapGet("/{id:guid}", Get).WithName("getAsset")
            .WithSummary("Get an asset")
            .WithDescription("Its facts, metadata and renditions (with srcset). Public once marked public or used by a public " +
                             "article, until expiresAt; any key sees every asset.");
        assets.MapGet("/", List).WithName("listAssets").WithValidation().RequireAuthorization(Policies.Previewer)
            .WithSummary("List and search assets")
            .WithDescription("Newest first; q finds assets whose caption or credit contains it. Paged with nextCursor.");

        var writes = assets.MapGroup("").RequireAuthorization(Policies.Editor);
        writes.MapPost("/", UploadAsset.Handle).WithName(MediaDocs.UploadOperationId).WithBodyLimit(MediaSetup.UploadLimit)
            // */*: what the file is comes from its bytes, so no Content-Type is refused before they are read.
            .Accepts<UploadForm>("multipart/form-data", "*/*")
            .WithSummary("Upload a photo")
            .WithDescription("multipart/form-data with one file part, or the raw bytes as the body. JPEG, PNG, WebP, AVIF and GIF " +
                             "are taken, recognised by their bytes; SVG is refused (it can carry script). Refusals are problems " +
                             "naming their rule: file-type and svg (415), pixel-limit and unreadable (422, Media:MaxPixels), " +
                             "size-limit (413, Media:MaxUploadBytes). The same bytes again answer 200 with the asset they are.");
        writes.MapPatch("/{id:guid}", WriteAsset.Patch).WithName("patchAsset")
            .Accepts<System.Text.Json.Nodes.JsonObject>("application/merge-patch+json", "application/json")
            .WithSummary("Change an asset's metadata (JSON Merge Patch)")
            .WithDescription("caption, alt, credit, copyright, source, usageTerms, expiresAt, focalPoint, public. If-Match is " +
                             "required (428 without it, 412 when stale). A new focal point gives the crops new URLs.");
        writes.MapDelete("/{id:guid}", WriteAsset.Delete).WithName("deleteAsset")
            .WithSummary("Delete an asset")
            .WithDescription("Requires If-Match. Refused with 409 while a published article uses it; its original and " +
                             "renditions are removed from the store.");
        return api;
    }

    public static async Task<Results<Ok<AssetResponse>, NotFoundProblem, GoneProblem>> Get(
        Guid id, NewsDbContext db, IOptions<MediaOptions> options, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var asset = await db.Assets.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct);
        var now = clock.GetUtcNow();
        var preview = http.User.CanPreview();
        if (asset is null || (!preview && !await AssetAccess.PublicAsync(db, asset, now, ct)))
            return Problems.NotFound($"There is no public asset {id}.");
        if (!preview && AssetAccess.Expired(asset, now))
            return Problems.Gone($"Asset {id} expired at {asset.ExpiresAt:O}.");
        if (!preview)
            http.Response.Headers.CacheControl = "public, max-age=60";
        Preconditions.SetETag(http, asset.Version);
        return TypedResults.Ok(AssetResponse.From(asset, options.Value));
    }

    /// <param name="Q">Text the caption or the credit contains.</param>
    /// <param name="Limit">1–100, default 20.</param>
    /// <param name="Cursor">nextCursor of the previous page.</param>
    public sealed record Query(string? Q, string? Limit, string? Cursor)
    {
        public int LimitOrDefault => QueryValues.Limit(Limit);
    }

    const string ListName = "assets";

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator(CursorSigner cursors)
        {
            RuleFor(q => q.Q).MaximumLength(200);
            RuleFor(q => q.Limit).ValidLimit();
            RuleFor(q => q.Cursor).Must(c => Cursor.TryDecode(cursors, c, ListName, "id", out _))
                .WithMessage("cursor is not one this list gave out; start again without it.");
        }
    }

    /// <summary>
    /// A PostgreSQL regular expression (case-insensitive, as ~*) for text containing <paramref name="q"/> in either
    /// script, as the article search folds them (Search/ScriptFolding): each character as the class of its spellings
    /// (烏鎮 as [烏乌][鎮镇鎭]); anything but a letter or digit escaped, so q is text, never a pattern.
    /// </summary>
    static string Contains(string q)
    {
        var pattern = new StringBuilder();
        foreach (var rune in q.EnumerateRunes())
        {
            var spellings = ScriptFolding.Spellings(rune);
            if (spellings.Count > 1)
                pattern.Append('[').AppendJoin("", spellings).Append(']');
            else if (Rune.IsLetterOrDigit(rune))
                pattern.Append(rune.ToString());
            else
                pattern.Append('\\').Append(rune.ToString());
        }
        return pattern.ToString();
    }

    public static async Task<Results<Ok<Page<AssetResponse>>, ValidationProblem>> List(
        [AsParameters] Query query, NewsDbContext db, CursorSigner cursors, IOptions<MediaOptions> options, HttpContext http, CancellationToken ct)
    {
        Cursor.TryDecode(cursors, query.Cursor, ListName, "id", out var after);
        var assets = db.Assets.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            var pattern = Contains(query.Q.Trim());
            assets = assets.Where(a => Regex.IsMatch(a.Caption!, pattern, RegexOptions.IgnoreCase) || Regex.IsMatch(a.Credit!, pattern, RegexOptions.IgnoreCase));
        }
        // UUIDv7 ids grow with time: the id alone is the newest-first keyset.
        if (after is not null)
            assets = assets.Where(a => a.Id.CompareTo(after.Id) < 0);
        var limit = query.LimitOrDefault;
        var rows = await assets.OrderByDescending(a => a.Id).Take(limit + 1).ToListAsync(ct);
        var next = rows.Count > limit ? new Cursor("id", null, null, rows[limit - 1].Id).Encode(cursors, ListName) : null;
        Paging.AddNextLink(http, next);
        return TypedResults.Ok(new Page<AssetResponse>(rows.Take(limit).Select(a => AssetResponse.From(a, options.Value)).ToList(), next));
    }
}
