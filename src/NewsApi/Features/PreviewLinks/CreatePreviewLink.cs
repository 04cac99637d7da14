using System.Security.Claims;
using System.Xml;
using FluentValidation;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Api.Auth;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Features.PreviewLinks;

/// <param name="Lifetime">How long the link works, as an ISO 8601 duration such as PT2H or P3D: default PT24H, at most P14D.</param>
internal sealed record PreviewLinkRequest(string? Lifetime = null)
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(24);
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(14);

    /// <summary>The lifetime asked for, or the default; null when the text is not an ISO 8601 duration.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public TimeSpan? LifetimeOrDefault => Lifetime is null ? DefaultLifetime : TryParse(Lifetime);

    static TimeSpan? TryParse(string text)
    {
        try
        {
            return XmlConvert.ToTimeSpan(text.Trim());
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            return null;
        }
    }
}

internal sealed class PreviewLinkRequestValidator : AbstractValidator<PreviewLinkRequest>
{
    public PreviewLinkRequestValidator() =>
        RuleFor(r => r.Lifetime).MaximumLength(40)
            .Must((r, _) => r.LifetimeOrDefault is { } t && t > TimeSpan.Zero && t <= PreviewLinkRequest.MaxLifetime)
            .WithMessage("lifetime must be an ISO 8601 duration longer than zero and at most P14D, such as PT2H or P3D.");
}

/// <param name="Id">The link's id, for revoking it.</param>
/// <param name="ArticleId">The article it shows.</param>
/// <param name="Url">The address to open (or hand to a frontend's preview page): it carries the token.</param>
/// <param name="Token">The secret part of the url, shown this once; only its hash is stored.</param>
/// <param name="CreatedAt">When it was made.</param>
/// <param name="ExpiresAt">From this time it answers 410.</param>
/// <param name="CreatedBy">The name of the key that made it.</param>
internal sealed record CreatedPreviewLink(Guid Id, Guid ArticleId, string Url, string Token, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, string CreatedBy);

internal static class CreatePreviewLink
{
    const string Marker = "npl_";

    public static async Task<Results<Created<CreatedPreviewLink>, ValidationProblem, NotFoundProblem, ConflictProblem>> Handle(
        Guid id, PreviewLinkRequest? request, NewsDbContext db, TimeProvider clock, ClaimsPrincipal user, HttpContext http, CancellationToken ct)
    {
        var article = await db.Articles.AsNoTracking().Where(a => a.Id == id).Select(a => new { a.Status }).FirstOrDefaultAsync(ct);
        if (article is null)
            return Problems.NotFound($"There is no article with id {id}.");
        if (article.Status == ArticleStatus.Killed)
            return Problems.Conflict("The article was killed: it can no longer be previewed.");

        var now = clock.GetUtcNow();
        // 256 random bits, like an API key, with a marker of its own so a leaked one is recognised for what it is.
        var token = ApiKeySecrets.New(Marker);
        var link = new PreviewLink
        {
            ArticleId = id, TokenHash = ApiKeySecrets.Hash(token), CreatedBy = user.Actor(), CreatedAt = now,
            ExpiresAt = now + (request ?? new()).LifetimeOrDefault!.Value,
        };
        db.PreviewLinks.Add(link);
        await db.SaveChangesAsync(ct);

        var url = UriHelper.BuildAbsolute(http.Request.Scheme, http.Request.Host, http.Request.PathBase, PreviewLinkEndpoints.Path(token));
        return TypedResults.Created($"{ApiRoutes.Prefix}/articles/{id}/preview-links",
            new CreatedPreviewLink(link.Id, id, url, token, link.CreatedAt, link.ExpiresAt, link.CreatedBy));
    }
}
