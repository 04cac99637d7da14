using System.Security.Claims;
using FluentValidation;
using Mapster;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Api.Auth;
using NewsApi.Content;
using NewsApi.Data;
using NewsApi.Data.Entities;
using NewsApi.Features.Articles;

namespace NewsApi.Features.Topics;

internal sealed record TopicResponse(
    string Slug, string Title, string? Description, Image? CoverImage, TopicStatus Status, DateTimeOffset UpdatedAt, Page<ArticleSummary> Articles);

internal static class GetTopic
{
    public sealed record Query(string? Limit, string? Cursor)
    {
        public int LimitOrDefault => QueryValues.Limit(Limit);
    }

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.Limit).ValidLimit();
            RuleFor(q => q.Cursor).Must(c => Cursor.TryDecode(c, "position", out var cursor) && (cursor is null || cursor.Position is not null))
                .WithMessage("cursor is not one this topic gave out; start again without it.");
        }
    }

    /// <summary>
    /// The public see published topics and their public articles. A key of any role (a preview) also sees draft and
    /// archived topics and every article but killed ones, each carrying its status.
    /// </summary>
    public static async Task<Results<Ok<TopicResponse>, NotFoundProblem, ValidationProblem>> Handle(
        string slug, [AsParameters] Query query, NewsDbContext db, TimeProvider clock, ClaimsPrincipal user, HttpContext http, CancellationToken ct)
    {
        var preview = user.CanPreview();
        var topic = await db.Topics.AsNoTracking().FirstOrDefaultAsync(t => t.Slug == slug && (preview || t.Status == TopicStatus.Published), ct);
        if (topic is null)
            return Problems.NotFound($"There is no topic '{slug}'.");
        Preconditions.SetETag(http, topic.Version);
        return TypedResults.Ok(await Read(db, topic, preview, query.LimitOrDefault, query.Cursor, clock.GetUtcNow(), http, ct));
    }

    internal static async Task<TopicResponse> Read(
        NewsDbContext db, Topic topic, bool preview, int limit, string? cursor, DateTimeOffset now, HttpContext? http, CancellationToken ct)
    {
        Cursor.TryDecode(cursor, "position", out var after);
        var visible = preview ? db.Articles.Where(ArticleVisibility.InPreviewLists) : db.Articles.VisibleAt(now);
        var members = db.TopicArticles.AsNoTracking()
            .Where(m => m.TopicId == topic.Id && visible.Any(a => a.Id == m.ArticleId));
        if (after is not null)
            members = members.Where(m => EF.Functions.GreaterThan(ValueTuple.Create(m.Position, m.ArticleId), ValueTuple.Create(after.Position!.Value, after.Id)));

        var rows = await members.OrderBy(m => m.Position).ThenBy(m => m.ArticleId).Take(limit + 1)
            .Select(m => new { m.Position, m.ArticleId }).ToListAsync(ct);
        var ids = rows.Take(limit).Select(r => r.ArticleId).ToList();
        var articles = (await db.Articles.AsNoTracking().Where(a => ids.Contains(a.Id)).ProjectToType<ArticleSummary>().ToListAsync(ct))
            .OrderBy(a => ids.IndexOf(a.Id)).ToList();
        var next = rows.Count > limit ? new Cursor("position", null, rows[limit - 1].Position, rows[limit - 1].ArticleId).Encode() : null;
        // Writes answer with the first page only; the Link header belongs to reads.
        if (http is not null)
            Paging.AddNextLink(http, next);

        return new TopicResponse(topic.Slug, topic.Title, topic.Description, topic.CoverImage, topic.Status, topic.UpdatedAt,
            new Page<ArticleSummary>(articles, next));
    }
}
