using FluentValidation;
using Mapster;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Data;
using NewsApi.Data.Entities;
using NewsApi.Features.Articles;

namespace NewsApi.Features.Topics;

public sealed record TopicResponse(
    string Slug, string Title, string? Description, Image? CoverImage, DateTimeOffset UpdatedAt, Page<ArticleSummary> Articles);

public static class GetTopic
{
    public sealed record Query(string? Limit, string? Cursor)
    {
        public int LimitOrDefault => Limit is null ? Paging.DefaultLimit : int.Parse(Limit);
    }

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.Limit).Must(QueryValues.IsLimit).WithMessage($"limit must be a whole number from 1 to {Paging.MaxLimit}.");
            RuleFor(q => q.Cursor).Must(c => Cursor.TryDecode(c, "position", out var cursor) && (cursor is null || cursor.Position is not null))
                .WithMessage("cursor is not one this topic gave out; start again without it.");
        }
    }

    public static async Task<Results<Ok<TopicResponse>, NotFoundProblem, ValidationProblem>> Handle(
        string slug, [AsParameters] Query query, NewsDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var topic = await db.Topics.AsNoTracking().FirstOrDefaultAsync(t => t.Slug == slug && t.Status == TopicStatus.Published, ct);
        if (topic is null)
            return Problems.NotFound($"There is no topic '{slug}'.");

        Cursor.TryDecode(query.Cursor, "position", out var after);
        var visible = db.Articles.VisibleAt(clock.GetUtcNow());
        var members = db.TopicArticles.AsNoTracking()
            .Where(m => m.TopicId == topic.Id && visible.Any(a => a.Id == m.ArticleId));
        if (after is not null)
            members = members.Where(m => EF.Functions.GreaterThan(ValueTuple.Create(m.Position, m.ArticleId), ValueTuple.Create(after.Position!.Value, after.Id)));

        var limit = query.LimitOrDefault;
        var rows = await members.OrderBy(m => m.Position).ThenBy(m => m.ArticleId).Take(limit + 1)
            .Select(m => new { m.Position, m.ArticleId }).ToListAsync(ct);
        var ids = rows.Take(limit).Select(r => r.ArticleId).ToList();
        var articles = (await db.Articles.AsNoTracking().Where(a => ids.Contains(a.Id)).ProjectToType<ArticleSummary>().ToListAsync(ct))
            .OrderBy(a => ids.IndexOf(a.Id)).ToList();
        var next = rows.Count > limit ? new Cursor("position", null, rows[limit - 1].Position, rows[limit - 1].ArticleId).Encode() : null;
        Paging.AddNextLink(http, next);

        return TypedResults.Ok(new TopicResponse(topic.Slug, topic.Title, topic.Description, topic.CoverImage, topic.UpdatedAt,
            new Page<ArticleSummary>(articles, next)));
    }
}
