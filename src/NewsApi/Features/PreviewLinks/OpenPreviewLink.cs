using Mapster;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Api.Auth;
using NewsApi.Api.OpenApi;
using NewsApi.Data;
using NewsApi.Data.Entities;
using NewsApi.Features.Articles;
using NewsApi.Reads;

namespace NewsApi.Features.PreviewLinks;

internal static class OpenPreviewLink
{
    // Far longer than any token made here (npl_ and 43 characters); a longer one is not looked up.
    const int MaxTokenLength = 100;

    public static readonly IReadOnlyDictionary<string, ParameterDoc> Parameters = new Dictionary<string, ParameterDoc>
    {
        ["token"] = new("The token from the preview link's url.", MaxLength: MaxTokenLength),
    };

    /// <summary>
    /// What a link shows is not public: no cache may keep it (routes not marked PublicRead never enter the service's
    /// own), no search engine may index it, and no page opened from it learns the address through Referer. Set as the
    /// answer starts, so problems carry them too.
    /// </summary>
    public static async ValueTask<object?> NeverStored(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var response = context.HttpContext.Response;
        response.OnStarting(() =>
        {
            response.Headers.CacheControl = "private, no-store";
            response.Headers["X-Robots-Tag"] = "noindex";
            response.Headers["Referrer-Policy"] = "no-referrer";
            return Task.CompletedTask;
        });
        return await next(context);
    }

    public static async Task<Results<Ok<ArticleResponse>, NotFoundProblem, GoneProblem>> Handle(
        string token, NewsDbContext db, TimeProvider clock, CancellationToken ct)
    {
        const string unknown = "There is no preview link with this token.";
        if (token.Length > MaxTokenLength)
            return Problems.NotFound(unknown);
        var hash = ApiKeySecrets.Hash(token);
        var link = await db.PreviewLinks.AsNoTracking().FirstOrDefaultAsync(l => l.TokenHash == hash, ct);
        if (link is null)
            return Problems.NotFound(unknown);
        if (link.RevokedAt is { } revoked)
            return Problems.Gone($"This preview link was revoked at {revoked:u}.");
        if (link.ExpiresAt <= clock.GetUtcNow())
            return Problems.Gone($"This preview link expired at {link.ExpiresAt:u}.");
        var article = await ArticleReads.Find(db, a => a.Id == link.ArticleId, ct);
        if (article is null)
            return Problems.NotFound(unknown);
        // The kill's reason is for those who may read it; the link's holder learns only that the story is gone.
        if (article.Status == ArticleStatus.Killed)
            return Problems.Gone("The article was withdrawn; its preview links no longer work.");
        return TypedResults.Ok(article.Adapt<ArticleResponse>());
    }
}
