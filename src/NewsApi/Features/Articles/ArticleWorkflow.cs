using System.Security.Claims;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NewsApi.Reads;
using NewsApi.Api;
using NewsApi.Api.Auth;
using NewsApi.Articles;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Features.Articles;

/// <param name="PublishAt">Publish at this future time instead of now (the article is then scheduled).</param>
internal sealed record PublishRequest(DateTimeOffset? PublishAt = null);

/// <param name="UnpublishAt">Take the article down at this future time instead of now.</param>
internal sealed record UnpublishRequest(DateTimeOffset? UnpublishAt = null);

/// <param name="Reason">Why the article is withdrawn; shown to everyone who asks for it (410 Gone).</param>
internal sealed record KillRequest(string Reason);

internal sealed class KillRequestValidator : AbstractValidator<KillRequest>
{
    public KillRequestValidator() => RuleFor(k => k.Reason).NotEmpty().MaximumLength(2000).PlainText();
}

/// <summary>
/// The workflow's endpoints: draft → published (or scheduled with a future publishAt) → unpublished / archived; kill
/// from anywhere, for good (the rules are <see cref="ArticleLifecycle"/>'s). Each step is a revision. If-Match is
/// optional here (the step names its own intent) but checked when sent.
/// </summary>
internal static class ArticleWorkflow
{
    public static Task<Results<Ok<ArticleResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, PreconditionFailedProblem>> Publish(
        Guid id, PublishRequest? request, ArticleWriter writer, NewsDbContext db, ClaimsPrincipal user, HttpContext http, CancellationToken ct) =>
        Step(id, "publish", writer, db, http, article => writer.Publish(article, request?.PublishAt, user.Actor(), ct), ct);

    public static Task<Results<Ok<ArticleResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, PreconditionFailedProblem>> Unpublish(
        Guid id, UnpublishRequest? request, ArticleWriter writer, NewsDbContext db, ClaimsPrincipal user, HttpContext http, CancellationToken ct) =>
        Step(id, "unpublish", writer, db, http, article => writer.Unpublish(article, request?.UnpublishAt, user.Actor(), ct), ct);

    public static Task<Results<Ok<ArticleResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, PreconditionFailedProblem>> Archive(
        Guid id, ArticleWriter writer, NewsDbContext db, ClaimsPrincipal user, HttpContext http, CancellationToken ct) =>
        Step(id, "archive", writer, db, http, article => writer.Archive(article, user.Actor(), ct), ct);

    /// <summary>Withdraws an article for good: it answers 410 with the reason and leaves every topic and featured list.</summary>
    public static Task<Results<Ok<ArticleResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, PreconditionFailedProblem>> Kill(
        Guid id, KillRequest request, ArticleWriter writer, NewsDbContext db, ClaimsPrincipal user, HttpContext http, CancellationToken ct) =>
        Step(id, "kill", writer, db, http, article => writer.Kill(article, request.Reason, user.Actor(), ct), ct);

    static async Task<Results<Ok<ArticleResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, PreconditionFailedProblem>> Step(
        Guid id, string name, ArticleWriter writer, NewsDbContext db, HttpContext http, Func<Article, Task<Refusal?>> take, CancellationToken ct)
    {
        var article = await writer.Load(id, ct);
        if (article is null)
            return Problems.NotFound($"There is no article with id {id}.");
        if (ArticleLifecycle.Frozen(article, name) is { } frozen)
            return Problems.Conflict(frozen.Detail);
        var (version, stale) = Preconditions.OptionalIfMatch(http, article.Version);
        if (stale is not null)
            return stale;
        if (version is { } read)
            writer.Expect(article, read);

        if (await take(article) is { } refused)
            return refused.Kind == RefusalKind.Invalid ? Problems.Invalid(refused.Member, refused.Detail) : Problems.Conflict(refused.Detail);
        switch (await ResourceWrites.Save(db, ct))
        {
            case ConflictProblem conflict: return conflict;
            case PreconditionFailedProblem changed: return changed;
        }
        Preconditions.SetETag(http, article.Version);
        return TypedResults.Ok(await ArticleReads.Response(db, id, ct));
    }
}
