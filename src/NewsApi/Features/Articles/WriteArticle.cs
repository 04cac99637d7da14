using System.Security.Claims;
using System.Text.Json.Nodes;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsApi.Reads;
using NewsApi.Api;
using NewsApi.Api.Auth;
using NewsApi.Articles;
using NewsApi.Content;
using NewsApi.Data;

namespace NewsApi.Features.Articles;

internal static class WriteArticle
{
    /// <summary>Creates a draft. The slug is generated from the title when absent (pinyin for Chinese).</summary>
    public static async Task<Results<Created<ArticleResponse>, ValidationProblem, ConflictProblem>> Create(
        ArticleContent content, ArticleWriter writer, NewsDbContext db, ClaimsPrincipal user, HttpContext http, CancellationToken ct)
    {
        var (article, refused) = await writer.Create(content, user.Actor(), ct);
        if (refused is not null)
            return Problems.Conflict(refused.Detail); // a create refuses only as a conflict
        if (await ResourceWrites.Save(db, ct) is ConflictProblem conflict)
            return conflict;

        var response = await ArticleReads.Response(db, article!.Id, ct);
        Preconditions.SetETag(http, article.Version);
        return TypedResults.Created(ArticleEndpoints.Path(article.Id), response);
    }

    /// <summary>Replaces the whole content: members left out are cleared (the slug, when left out, stays).</summary>
    public static async Task<Results<Ok<ArticleResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, PreconditionFailedProblem, PreconditionRequiredProblem>> Replace(
        Guid id, ArticleContent content, ArticleWriter writer, NewsDbContext db, ClaimsPrincipal user, HttpContext http, CancellationToken ct) =>
        await Change(id, _ => content, writer, db, user, http, ct);

    /// <summary>Changes only the members sent (JSON Merge Patch, RFC 7396): null removes a member.</summary>
    public static async Task<Results<Ok<ArticleResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, PreconditionFailedProblem, PreconditionRequiredProblem>> Patch(
        Guid id, JsonObject patch, ArticleWriter writer, NewsDbContext db, ClaimsPrincipal user, HttpContext http,
        IValidator<ArticleContent> validator, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        ValidationProblem? invalid = null;
        var result = await Change(id, current =>
        {
            (var merged, invalid) = ResourceWrites.Merge(current, patch, json.Value.SerializerOptions);
            return merged;
        }, writer, db, user, http, ct, validator);
        return invalid ?? result;
    }

    public static async Task<Results<NoContent, NotFoundProblem, ConflictProblem, PreconditionFailedProblem, PreconditionRequiredProblem>> Delete(
        Guid id, ArticleWriter writer, NewsDbContext db, ClaimsPrincipal user, HttpContext http, CancellationToken ct)
    {
        var article = await writer.Load(id, ct);
        if (article is null)
            return Problems.NotFound($"There is no article with id {id}.");
        var (version, problem) = Preconditions.IfMatch(http, article.Version);
        if (problem is PreconditionRequiredProblem required)
            return required;
        if (problem is PreconditionFailedProblem failed)
            return failed;
        writer.Expect(article, version!.Value);
        if (await writer.Delete(article, user.Actor(), ct) is { } refused)
            return Problems.Conflict(refused.Detail);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new PreconditionFailedProblem("The article changed while it was being deleted. Read it again and retry.");
        }
        return TypedResults.NoContent();
    }

    static async Task<Results<Ok<ArticleResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, PreconditionFailedProblem, PreconditionRequiredProblem>> Change(
        Guid id, Func<ArticleContent, ArticleContent?> change, ArticleWriter writer, NewsDbContext db, ClaimsPrincipal user, HttpContext http,
        CancellationToken ct, IValidator<ArticleContent>? validator = null)
    {
        var article = await writer.Load(id, ct);
        if (article is null)
            return Problems.NotFound($"There is no article with id {id}.");
        var (version, problem) = Preconditions.IfMatch(http, article.Version);
        if (problem is PreconditionRequiredProblem required)
            return required;
        if (problem is PreconditionFailedProblem failed)
            return failed;
        if (ArticleLifecycle.Frozen(article) is { } frozen)
            return Problems.Conflict(frozen.Detail);

        var content = change(ArticleFields.Of(article));
        if (content is null)
            return Problems.Invalid("body", "The merged article is not valid JSON for an article.");
        if (validator is not null && await ResourceWrites.Validate(validator, content, ct) is { } invalid)
            return invalid;

        writer.Expect(article, version!.Value);
        var (fields, refused) = await writer.Change(article, content, user.Actor(), ct);
        if (refused is { Kind: RefusalKind.Invalid })
            return Problems.Invalid(refused.Member, refused.Detail);
        if (refused is not null)
            return Problems.Conflict(refused.Detail);
        if (fields.Count > 0)
            switch (await ResourceWrites.Save(db, ct))
            {
                case ConflictProblem conflict: return conflict;
                case PreconditionFailedProblem stale: return stale;
            }
        Preconditions.SetETag(http, article.Version);
        return TypedResults.Ok(await ArticleReads.Response(db, article.Id, ct));
    }
}
