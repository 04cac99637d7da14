using System.Security.Claims;
using System.Text.Json;
using FluentValidation;
using Mapster;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsApi.Reads;
using NewsApi.Api;
using NewsApi.Changes;
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
    public sealed record Query(string? Limit, string? Cursor, string? Fields, string? At)
    {
        public int LimitOrDefault => QueryValues.Limit(Limit);
        public DateTimeOffset? AtTime => QueryValues.ParseTime(At);
        public IReadOnlyList<string> FieldList => QueryValues.SplitList(Fields);
    }

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.Limit).ValidLimit();
            RuleFor(q => q.Fields).ValidFields();
            RuleFor(q => q.At).Must(QueryValues.IsTime).WithMessage(QueryValues.TimeMessage("at"));
        }
    }

    /// <summary>
    /// The public see published topics and their public articles, as the read model stored them (one query). A key of
    /// any role (a preview) also sees draft and archived topics and every article but killed ones, each carrying its
    /// status. <c>fields</c> trims the articles as on the article list, and brings their bodies when it names them.
    /// </summary>
    public static async Task<Results<Ok<TopicResponse>, RenderedJson.Envelope, RedirectHttpResult, NotFoundProblem, ValidationProblem>> Handle(
        string slug, [AsParameters] Query query, NewsDbContext db, TimeProvider clock, ClaimsPrincipal user, CursorSigner cursors, HttpContext http,
        IOptions<JsonOptions> json, CancellationToken ct)
    {
        var missing = $"There is no topic '{slug}'.";
        // Checked here, not by the validator: a cursor pages only the topic it was given out for, which the route names.
        if (!TryDecode(cursors, query.Cursor, slug, out var after))
            return Problems.Invalid("cursor", "cursor is not one this topic gave out; start again without it.");
        var shape = new ItemShape(query.FieldList, []);
        if (query.At is not null && !user.CanPreview())
            return Problems.Invalid("at", ScheduledPreview.NeedsKey);
        if (!user.CanPreview())
        {
            var limit = query.LimitOrDefault;
            if (await PublicLists.Topic(db, slug, after, limit + 1, shape.Bodies, clock.GetUtcNow(), ct) is not { } stored)
                return await MovedFrom(db, slug, preview: false, http, ct) is { } moved ? moved : Problems.NotFound(missing);
            Preconditions.SetETag(http, stored.Topic.Version);
            var items = stored.Items.Take(limit).Select(i => ArticleSummary.Of(i.Id, i.Item, i.Bodies, shape)).ToList();
            var next = stored.Items.Count > limit ? new Cursor("position", null, stored.Items[limit - 1].Position, stored.Items[limit - 1].Id).Encode(cursors, ListName(slug)) : null;
            Paging.AddNextLink(http, next);
            return RenderedJson.Of(Response(stored.Topic, new Page<ArticleSummary>(items, next)));
        }

        var topic = await db.Topics.AsNoTracking().FirstOrDefaultAsync(t => t.Slug == slug, ct);
        if (topic is null)
            return await MovedFrom(db, slug, preview: true, http, ct) is { } moved ? moved : Problems.NotFound(missing);
        Preconditions.SetETag(http, topic.Version);
        var read = await Read(db, cursors, topic, query.LimitOrDefault, after, clock.GetUtcNow(), http, ct, query.AtTime);
        if (query.FieldList.Count == 0)
            return TypedResults.Ok(read);
        // A preview's articles trimmed by the same rule as the public's stored items.
        var full = await ArticleBodies.Apply(db, read.Articles.Items.ToList(), query.FieldList, ct);
        var trimmed = full.Select(a => ArticleSummary.Of(a.Id, JsonSerializer.SerializeToUtf8Bytes(a, json.Value.SerializerOptions), null, shape)).ToList();
        return RenderedJson.Of(read with { Articles = read.Articles with { Items = trimmed } });
    }

    /// <summary>An old slug of a topic the caller may read answers 301; one of an unpublished topic is as unknown to the public as the topic.</summary>
    static async Task<RedirectHttpResult?> MovedFrom(NewsDbContext db, string slug, bool preview, HttpContext http, CancellationToken ct)
    {
        if (await RetiredSlugs.Current(db, ResourceKinds.Topic, slug, ct) is not { } current)
            return null;
        if (!preview && !await db.Topics.AnyAsync(t => t.Slug == current && t.Status == TopicStatus.Published, ct))
            return null;
        return Moved.To(http, TopicEndpoints.Path(current));
    }

    static string ListName(string slug) => $"topic\n{slug}";

    static bool TryDecode(CursorSigner cursors, string? text, string slug, out Cursor? after) =>
        Cursor.TryDecode(cursors, text, ListName(slug), "position", out after) && (after is null || after.Position is not null);

    static TopicResponse Response(Topic topic, Page<ArticleSummary> articles) =>
        new(topic.Slug, topic.Title, topic.Description, topic.CoverImage, topic.Status, topic.UpdatedAt, articles);

    /// <summary>
    /// A page of the topic as a preview sees it (every article but killed ones), or with <paramref name="at"/> as the
    /// public will see it then (<see cref="ScheduledPreview"/>): for reads with a key and for writes' answers.
    /// </summary>
    internal static async Task<TopicResponse> Read(
        NewsDbContext db, CursorSigner cursors, Topic topic, int limit, Cursor? after, DateTimeOffset now, HttpContext? http, CancellationToken ct,
        DateTimeOffset? at = null)
    {
        var visible = at is null ? db.Articles.Where(ArticleVisibility.InPreviewLists) : db.Articles.VisibleBySchedule(at.Value);
        var members = db.TopicArticles.AsNoTracking()
            .Where(m => m.TopicId == topic.Id && visible.Any(a => a.Id == m.ArticleId));
        if (after is not null)
            members = members.Where(m => EF.Functions.GreaterThan(ValueTuple.Create(m.Position, m.ArticleId), ValueTuple.Create(after.Position!.Value, after.Id)));

        var rows = await members.OrderBy(m => m.Position).ThenBy(m => m.ArticleId).Take(limit + 1)
            .Select(m => new { m.Position, m.ArticleId }).ToListAsync(ct);
        var ids = rows.Take(limit).Select(r => r.ArticleId).ToList();
        var articles = (await db.Articles.AsNoTracking().Where(a => ids.Contains(a.Id)).ProjectToType<ArticleSummary>().ToListAsync(ct))
            .OrderBy(a => ids.IndexOf(a.Id)).ToList();
        var next = rows.Count > limit ? new Cursor("position", null, rows[limit - 1].Position, rows[limit - 1].ArticleId).Encode(cursors, ListName(topic.Slug)) : null;
        // Writes answer with the first page only; the Link header belongs to reads.
        if (http is not null)
            Paging.AddNextLink(http, next);

        return Response(topic, new Page<ArticleSummary>(articles, next));
    }
}
