using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Features.Topics;

/// <param name="Articles">Ids of the topic's articles, in the order the page shows them; replaces the whole membership (at most 500).</param>
internal sealed record TopicArticlesRequest(IReadOnlyList<Guid> Articles);

/// <param name="Article">Id of the article to add.</param>
/// <param name="Position">Where it goes, from 1 (first); the articles from there on move down one. Default: last.</param>
internal sealed record TopicArticleRequest(Guid Article, int? Position = null);

internal sealed class TopicArticlesRequestValidator : AbstractValidator<TopicArticlesRequest>
{
    public TopicArticlesRequestValidator(NewsDbContext db)
    {
        RuleFor(r => r.Articles).NotNull()
            .MaxCount(TopicMembership.MaxArticles).WithMessage($"articles may hold at most {TopicMembership.MaxArticles} ids.")
            .Must(a => a is null || a.Distinct().Count() == a.Count).WithMessage("articles names an article twice.")
            .CustomAsync(async (ids, context, ct) =>
            {
                if (ids is { Count: > 0 and <= TopicMembership.MaxArticles } && await TopicMembership.Unusable(db, ids, ct) is { } reason)
                    context.AddFailure(reason);
            });
    }
}

internal sealed class TopicArticleRequestValidator : AbstractValidator<TopicArticleRequest>
{
    public TopicArticleRequestValidator(NewsDbContext db)
    {
        RuleFor(r => r.Article).NotEmpty().CustomAsync(async (id, context, ct) =>
        {
            if (id != Guid.Empty && await TopicMembership.Unusable(db, [id], ct) is { } reason)
                context.AddFailure(reason);
        });
        RuleFor(r => r.Position).InclusiveBetween(1, TopicMembership.MaxArticles);
    }
}

/// <summary>Which articles a topic page gathers, and in what order. Every change is a write to the topic (If-Match, new ETag).</summary>
internal static class TopicMembership
{
    public const int MaxArticles = 500;

    /// <summary>Why these articles cannot be in a topic (unknown or killed), or null when they all can.</summary>
    internal static async Task<string?> Unusable(NewsDbContext db, IReadOnlyList<Guid> ids, CancellationToken ct)
    {
        var found = await db.Articles.Where(a => ids.Contains(a.Id)).Select(a => new { a.Id, a.Status }).ToDictionaryAsync(a => a.Id, a => a.Status, ct);
        if (ids.FirstOrDefault(id => !found.ContainsKey(id)) is var missing && missing != Guid.Empty)
            return $"There is no article {missing}.";
        if (found.FirstOrDefault(a => a.Value == ArticleStatus.Killed) is { Key: var killed } && killed != Guid.Empty)
            return $"The article {killed} was killed and can be in no topic.";
        return null;
    }

    /// <summary>Replaces the membership with these articles in this order.</summary>
    public static Task<Results<Ok<TopicResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, PreconditionFailedProblem, PreconditionRequiredProblem>> Replace(
        string slug, TopicArticlesRequest request, NewsDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        Change(slug, topic =>
        {
            Renumber(topic, request.Articles);
            return null;
        }, db, clock, http, ct);

    public static Task<Results<Ok<TopicResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, PreconditionFailedProblem, PreconditionRequiredProblem>> Add(
        string slug, TopicArticleRequest request, NewsDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        Change(slug, topic =>
        {
            var order = Order(topic);
            if (order.Contains(request.Article))
                return Problems.Conflict($"The article {request.Article} is in the topic already; PUT the topic's articles to move it.");
            if (order.Count >= MaxArticles)
                return Problems.Conflict($"The topic holds the most articles it may ({MaxArticles}); remove one first.");
            order.Insert(Math.Min((request.Position ?? int.MaxValue) - 1, order.Count), request.Article);
            Renumber(topic, order);
            return null;
        }, db, clock, http, ct);

    /// <summary>Loads the topic with its articles, checks If-Match, applies <paramref name="edit"/> and saves.</summary>
    static async Task<Results<Ok<TopicResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, PreconditionFailedProblem, PreconditionRequiredProblem>> Change(
        string slug, Func<Topic, ConflictProblem?> edit, NewsDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var topic = await Load(db, slug, ct);
        if (topic is null)
            return Problems.NotFound($"There is no topic '{slug}'.");
        switch (Preconditions.IfMatch(http, topic.Version).Problem)
        {
            case PreconditionRequiredProblem required: return required;
            case PreconditionFailedProblem failed: return failed;
        }
        if (edit(topic) is { } refused)
            return refused;
        return await Persist(db, topic, clock, http, ct) switch
        {
            ConflictProblem conflict => conflict,
            PreconditionFailedProblem stale => stale,
            _ => TypedResults.Ok(await GetTopic.Read(db, http.RequestServices.GetRequiredService<CursorSigner>(), topic, Paging.MaxLimit, null, clock.GetUtcNow(), null, ct)),
        };
    }

    /// <summary>Takes one article off the topic; the article itself stays as it is.</summary>
    public static async Task<Results<NoContent, NotFoundProblem, ConflictProblem, PreconditionFailedProblem, PreconditionRequiredProblem>> Remove(
        string slug, Guid articleId, NewsDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var topic = await Load(db, slug, ct);
        if (topic is null)
            return Problems.NotFound($"There is no topic '{slug}'.");
        switch (Preconditions.IfMatch(http, topic.Version).Problem)
        {
            case PreconditionRequiredProblem required: return required;
            case PreconditionFailedProblem failed: return failed;
        }
        var order = Order(topic);
        if (!order.Remove(articleId))
            return Problems.NotFound($"The article {articleId} is not in the topic '{slug}'.");
        Renumber(topic, order);
        return await Persist(db, topic, clock, http, ct) switch
        {
            ConflictProblem conflict => conflict,
            PreconditionFailedProblem stale => stale,
            _ => TypedResults.NoContent(),
        };
    }

    static Task<Topic?> Load(NewsDbContext db, string slug, CancellationToken ct) =>
        db.Topics.Include(t => t.Articles).FirstOrDefaultAsync(t => t.Slug == slug, ct);

    static List<Guid> Order(Topic topic) =>
        topic.Articles.OrderBy(m => m.Position).ThenBy(m => m.ArticleId).Select(m => m.ArticleId).ToList();

    /// <summary>Positions 1, 2, 3… in the given order: members kept are renumbered in place, the rest removed or added.</summary>
    internal static void Renumber(Topic topic, IReadOnlyList<Guid> order)
    {
        var members = topic.Articles.ToDictionary(m => m.ArticleId);
        topic.Articles.RemoveAll(m => !order.Contains(m.ArticleId));
        for (var i = 0; i < order.Count; i++)
        {
            if (members.TryGetValue(order[i], out var member))
                member.Position = i + 1;
            else
                topic.Articles.Add(new TopicArticle { TopicId = topic.Id, ArticleId = order[i], Position = i + 1 });
        }
    }

    /// <summary>Saves the membership and touches the topic; the new ETag goes on the response.</summary>
    static async Task<ProblemResult?> Persist(NewsDbContext db, Topic topic, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        db.Touch(topic, t => t.UpdatedAt, clock.GetUtcNow());
        await WriteTopic.Revise(db, topic, http, "updated", clock, ct);
        if (await ResourceWrites.Save(db, ct) is { } problem)
            return problem;
        Preconditions.SetETag(http, topic.Version);
        return null;
    }
}
