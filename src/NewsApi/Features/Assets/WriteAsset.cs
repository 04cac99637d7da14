using System.Text.Json.Nodes;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsApi.Api;
using NewsApi.Data;
using NewsApi.Data.Entities;
using NewsApi.Media;

namespace NewsApi.Features.Assets;

/// <summary>What an editor may write of an asset; its facts (size, hash, colours) are read from the file, never written.</summary>
/// <param name="Caption">Plain text, up to 1,000 characters.</param>
/// <param name="Alt">Alternative text for readers who cannot see the picture, up to 1,000 characters.</param>
/// <param name="Credit">Up to 200 characters, e.g. 中新社記者 張亨偉 攝.</param>
/// <param name="Copyright">Up to 200 characters.</param>
/// <param name="Source">Up to 200 characters.</param>
/// <param name="UsageTerms">Up to 1,000 characters.</param>
/// <param name="ExpiresAt">After this the asset is no longer served; null: never.</param>
/// <param name="FocalPoint">x and y from 0 to 1; null: the centre.</param>
/// <param name="Public">Readable by anyone without a public article using it.</param>
internal sealed record AssetRequest(
    string? Caption = null, string? Alt = null, string? Credit = null, string? Copyright = null, string? Source = null,
    string? UsageTerms = null, DateTimeOffset? ExpiresAt = null, FocalPoint? FocalPoint = null, bool Public = false);

internal sealed class AssetRequestValidator : AbstractValidator<AssetRequest>
{
    public AssetRequestValidator()
    {
        RuleFor(a => a.Caption).MaximumLength(1000).PlainText();
        RuleFor(a => a.Alt).MaximumLength(1000).PlainText();
        RuleFor(a => a.Credit).MaximumLength(200).PlainText();
        RuleFor(a => a.Copyright).MaximumLength(200).PlainText();
        RuleFor(a => a.Source).MaximumLength(200).PlainText();
        RuleFor(a => a.UsageTerms).MaximumLength(1000).PlainText();
        RuleFor(a => a.FocalPoint!.X).InclusiveBetween(0, 1).WithName("focalPoint.x").When(a => a.FocalPoint is not null);
        RuleFor(a => a.FocalPoint!.Y).InclusiveBetween(0, 1).WithName("focalPoint.y").When(a => a.FocalPoint is not null);
    }
}

internal static class WriteAsset
{
    public static async Task<Results<Ok<AssetResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, PreconditionFailedProblem, PreconditionRequiredProblem>> Patch(
        Guid id, JsonObject patch, NewsDbContext db, HttpContext http, IValidator<AssetRequest> validator,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, IOptions<MediaOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var asset = await db.Assets.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (asset is null)
            return Problems.NotFound($"There is no asset {id}.");
        switch (Preconditions.IfMatch(http, asset.Version).Problem)
        {
            case PreconditionRequiredProblem required: return required;
            case PreconditionFailedProblem failed: return failed;
        }
        var current = new AssetRequest(asset.Caption, asset.Alt, asset.Credit, asset.Copyright, asset.Source, asset.UsageTerms,
            asset.ExpiresAt, asset is { FocalX: { } x, FocalY: { } y } ? new FocalPoint(x, y) : null, asset.Public);
        var (request, invalid) = ResourceWrites.Merge(current, patch, json.Value.SerializerOptions);
        if (invalid is not null || request is null)
            return invalid ?? Problems.Invalid("body", "The merged asset is not valid.");
        if (await ResourceWrites.Validate(validator, request, ct) is { } problem)
            return problem;

        asset.Caption = Trimmed(request.Caption);
        asset.Alt = Trimmed(request.Alt);
        asset.Credit = Trimmed(request.Credit);
        asset.Copyright = Trimmed(request.Copyright);
        asset.Source = Trimmed(request.Source);
        asset.UsageTerms = Trimmed(request.UsageTerms);
        asset.ExpiresAt = request.ExpiresAt?.ToUniversalTime();
        asset.FocalX = request.FocalPoint?.X;
        asset.FocalY = request.FocalPoint?.Y;
        asset.Public = request.Public;
        asset.UpdatedAt = clock.GetUtcNow();
        switch (await ResourceWrites.Save(db, ct))
        {
            case ConflictProblem conflict: return conflict;
            case PreconditionFailedProblem stale: return stale;
        }
        Preconditions.SetETag(http, asset.Version);
        return TypedResults.Ok(AssetResponse.From(asset, options.Value));
    }

    /// <summary>Refused while a published article uses the asset; otherwise its original and renditions go with it.</summary>
    public static async Task<Results<NoContent, NotFoundProblem, ConflictProblem, PreconditionFailedProblem, PreconditionRequiredProblem>> Delete(
        Guid id, NewsDbContext db, IMediaStore store, HttpContext http, CancellationToken ct)
    {
        var asset = await db.Assets.FirstOrDefaultAsync(a => a.Id == id, ct);
        var result = await ResourceWrites.Delete(db, asset, $"There is no asset {id}.", a => a.Version, http, ct, async a =>
        {
            var users = await db.ArticleAssets.Where(u => u.AssetId == a.Id)
                .Join(db.Articles.Where(x => x.Status == ArticleStatus.Published), u => u.ArticleId, x => x.Id, (u, x) => x.Slug)
                .Take(5).ToListAsync(ct);
            return users.Count > 0
                ? Problems.Conflict($"The asset is used by published articles ({string.Join(", ", users)}); take it out of them first.")
                : null;
        });
        if (result.Result is NoContent && asset is not null)
        {
            await store.DeletePrefixAsync(Renditions.Prefix(asset.Id), ct);
            await store.DeletePrefixAsync(Renditions.OriginalKey(asset.Sha256), ct);
        }
        return result;
    }

    static string? Trimmed(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
