using System.Security.Claims;
using System.Text.Json.Nodes;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsApi.Api;
using NewsApi.Api.Auth;
using NewsApi.Content;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Features.Articles;

public static class WriteArticle
{
    /// <summary>Creates a draft. The slug is generated from the title when absent (pinyin for Chinese).</summary>
    public static async Task<Results<Created<ArticleResponse>, ValidationProblem, ConflictProblem>> Create(
        ArticleContent content, ArticleWriter writer, NewsDbContext db, TimeProvider clock, ClaimsPrincipal user, HttpContext http, CancellationToken ct)
    {
        var article = new Article { Slug = "", Title = content.Title };
        var fields = await writer.Apply(article, content, ct);
        article.CreatedAt = article.UpdatedAt = clock.GetUtcNow();

        if (content.ExternalId is { } externalId && await db.Articles.AnyAsync(a => a.ExternalId == externalId, ct))
            return Problems.Conflict($"An article with externalId '{externalId}' exists already; update it instead.");

        if (content.Slug is { } wanted)
        {
            if (await db.Articles.AnyAsync(a => a.Slug == wanted, ct))
                return Problems.Conflict($"The slug '{wanted}' is taken; choose another or leave slug out to have one generated.");
            article.Slug = wanted;
        }
        else
            article.Slug = await ResourceWrites.FreeSlug(db.Articles.Select(a => a.Slug), Slugs.From(content.Title, article.Id.ToString("N")[..12]), ct);

        db.Articles.Add(article);
        await db.ArticleSlugs.Where(s => s.Slug == article.Slug).ExecuteDeleteAsync(ct);
        await writer.Revise(article, user.Actor(), "created", fields, ct);
        if (await ResourceWrites.Save(db, ct) is ConflictProblem conflict)
            return conflict;

        var response = await ArticleReads.Response(db, article.Id, ct);
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
        Guid id, NewsDbContext db, HttpContext http, CancellationToken ct)
    {
        var article = await db.Articles.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (article is null)
            return Problems.NotFound($"There is no article with id {id}.");
        var (version, problem) = Preconditions.IfMatch(http, article.Version);
        if (problem is PreconditionRequiredProblem required)
            return required;
        if (problem is PreconditionFailedProblem failed)
            return failed;
        if (article.Status is ArticleStatus.Published or ArticleStatus.Scheduled)
            return Problems.Conflict("A published or scheduled article cannot be deleted: unpublish, archive or kill it first.");
        db.Entry(article).Property(a => a.Version).OriginalValue = version!.Value;
        db.Articles.Remove(article);
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
        if (article.Status == ArticleStatus.Killed)
            return Problems.Conflict($"The article was killed ({article.KillReason}) and can no longer change.");

        var content = change(ArticleWriter.ContentOf(article));
        if (content is null)
            return Problems.Invalid("body", "The merged article is not valid JSON for an article.");
        if (validator is not null && await validator.ValidateAsync(content, ct) is { IsValid: false } result)
            return Problems.Invalid(result.ToDictionary());
        if (content.ExternalId is { } externalId && await db.Articles.AnyAsync(a => a.ExternalId == externalId && a.Id != id, ct))
            return Problems.Conflict($"Another article has externalId '{externalId}'.");
        if (content.Slug is { } slug && await db.Articles.AnyAsync(a => a.Slug == slug && a.Id != id, ct))
            return Problems.Conflict($"The slug '{slug}' is taken by another article.");

        db.Entry(article).Property(a => a.Version).OriginalValue = version!.Value;
        var fields = await writer.Apply(article, content, ct);
        if (fields.Count > 0)
        {
            await writer.Revise(article, user.Actor(), "updated", fields, ct);
            switch (await ResourceWrites.Save(db, ct))
            {
                case ConflictProblem conflict: return conflict;
                case PreconditionFailedProblem stale: return stale;
            }
        }
        Preconditions.SetETag(http, article.Version);
        return TypedResults.Ok(await ArticleReads.Response(db, article.Id, ct));
    }
}
