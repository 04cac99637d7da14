using System.Security.Claims;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Api.Auth;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Features.Articles;

/// <param name="PublishAt">Publish at this future time instead of now (the article is then scheduled).</param>
public sealed record PublishRequest(DateTimeOffset? PublishAt = null);

/// <param name="UnpublishAt">Take the article down at this future time instead of now.</param>
public sealed record UnpublishRequest(DateTimeOffset? UnpublishAt = null);

/// <param name="Reason">Why the article is withdrawn; shown to everyone who asks for it (410 Gone).</param>
public sealed record KillRequest(string Reason);

public sealed class KillRequestValidator : AbstractValidator<KillRequest>
{
    public KillRequestValidator() => RuleFor(k => k.Reason).NotEmpty().MaximumLength(2000).PlainText();
}

/// <summary>
/// draft → published (or scheduled with a future publishAt) → unpublished / archived; kill from anywhere, for good.
/// Each step is a revision. If-Match is optional here (the step names its own intent) but checked when sent.
/// </summary>
public static class ArticleWorkflow
{
    public static Task<Results<Ok<ArticleResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, PreconditionFailedProblem>> Publish(
        Guid id, PublishRequest? request, ArticleWriter writer, NewsDbContext db, TimeProvider clock, ClaimsPrincipal user, HttpContext http, CancellationToken ct) =>
        Step(id, "publish", writer, db, user, http, ct, article =>
        {
            var now = clock.GetUtcNow();
            if (request?.PublishAt is { } at && at <= now.AddYears(-100))
                return Problems.Invalid("publishAt", "publishAt is not a plausible time.");
            if (article.Status == ArticleStatus.Published)
                return Problems.Conflict("The article is published already.");
            if (request?.PublishAt is { } when && when > now)
            {
                (article.Status, article.PublishAt) = (ArticleStatus.Scheduled, when.ToUniversalTime());
                return ("scheduled", ["status", "publishAt"]);
            }
            GoLive(article, now);
            return ("published", ["status", "publishedAt"]);
        });

    public static Task<Results<Ok<ArticleResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, PreconditionFailedProblem>> Unpublish(
        Guid id, UnpublishRequest? request, ArticleWriter writer, NewsDbContext db, TimeProvider clock, ClaimsPrincipal user, HttpContext http, CancellationToken ct) =>
        Step(id, "unpublish", writer, db, user, http, ct, article =>
        {
            if (article.Status is not (ArticleStatus.Published or ArticleStatus.Scheduled))
                return Problems.Conflict($"Only a published or scheduled article can be unpublished; this one is {article.Status.ToString().ToLowerInvariant()}.");
            if (request?.UnpublishAt is { } at && at > clock.GetUtcNow())
            {
                article.UnpublishAt = at.ToUniversalTime();
                return ("unpublish-scheduled", ["unpublishAt"]);
            }
            TakeDown(article);
            return ("unpublished", ["status"]);
        });

    public static Task<Results<Ok<ArticleResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, PreconditionFailedProblem>> Archive(
        Guid id, ArticleWriter writer, NewsDbContext db, ClaimsPrincipal user, HttpContext http, CancellationToken ct) =>
        Step(id, "archive", writer, db, user, http, ct, article =>
        {
            if (article.Status == ArticleStatus.Archived)
                return Problems.Conflict("The article is archived already.");
            (article.Status, article.PublishAt, article.UnpublishAt) = (ArticleStatus.Archived, null, null);
            return ("archived", ["status"]);
        });

    /// <summary>Withdraws an article for good: it answers 410 with the reason and leaves every topic and featured list.</summary>
    public static Task<Results<Ok<ArticleResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, PreconditionFailedProblem>> Kill(
        Guid id, KillRequest request, ArticleWriter writer, NewsDbContext db, TimeProvider clock, ClaimsPrincipal user, HttpContext http, CancellationToken ct) =>
        Step(id, "kill", writer, db, user, http, ct, article =>
        {
            var now = clock.GetUtcNow();
            (article.Status, article.KilledAt, article.KillReason) = (ArticleStatus.Killed, now, request.Reason.Trim());
            (article.PublishAt, article.UnpublishAt) = (null, null);
            db.TopicArticles.RemoveRange(db.TopicArticles.Where(m => m.ArticleId == article.Id));
            foreach (var entry in db.FeaturedListEntries.Where(e => e.ArticleId == article.Id && e.RemovedAt == null))
                entry.RemovedAt = now;
            return ("killed", ["status", "killReason"]);
        });

    /// <summary>Makes an article live now; also what the scheduler does when a scheduled time comes.</summary>
    public static void GoLive(Article article, DateTimeOffset now)
    {
        article.Status = ArticleStatus.Published;
        article.PublishedAt = now;
        article.FirstPublishedAt ??= now;
        article.PublishAt = null;
    }

    public static void TakeDown(Article article)
    {
        article.Status = ArticleStatus.Unpublished;
        (article.PublishAt, article.UnpublishAt) = (null, null);
    }

    static async Task<Results<Ok<ArticleResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, PreconditionFailedProblem>> Step(
        Guid id, string name, ArticleWriter writer, NewsDbContext db, ClaimsPrincipal user, HttpContext http, CancellationToken ct,
        Func<Article, OneOf> apply)
    {
        var article = await writer.Load(id, ct);
        if (article is null)
            return Problems.NotFound($"There is no article with id {id}.");
        if (article.Status == ArticleStatus.Killed)
            return Problems.Conflict($"The article was killed ({article.KillReason}); it cannot {name}.");
        if (http.Request.Headers.IfMatch.Count > 0)
        {
            var (version, problem) = Preconditions.IfMatch(http, article.Version);
            if (problem is PreconditionFailedProblem stale)
                return stale;
            if (version is { } v)
                db.Entry(article).Property(a => a.Version).OriginalValue = v;
        }

        var outcome = apply(article);
        if (outcome.Problem is { } refused)
            return refused switch
            {
                ConflictProblem c => c,
                ValidationProblem v => v,
                _ => throw new InvalidOperationException("Unexpected workflow outcome."),
            };
        await writer.Revise(article, user.Actor(), outcome.Action!, outcome.Fields!, ct);
        switch (await ResourceWrites.Save(db, ct))
        {
            case ConflictProblem conflict: return conflict;
            case PreconditionFailedProblem stale: return stale;
        }
        Preconditions.SetETag(http, article.Version);
        return TypedResults.Ok(await ArticleReads.Response(db, id, ct));
    }

    /// <summary>What a workflow step did (its revision action and fields), or why it refused.</summary>
    public readonly record struct OneOf(string? Action, IReadOnlyList<string>? Fields, IResult? Problem)
    {
        public static implicit operator OneOf((string Action, string[] Fields) done) => new(done.Action, done.Fields, null);
        public static implicit operator OneOf(ConflictProblem problem) => new(null, null, problem);
        public static implicit operator OneOf(ValidationProblem problem) => new(null, null, problem);
    }
}
