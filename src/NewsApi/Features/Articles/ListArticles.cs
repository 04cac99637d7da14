using System.Globalization;
using System.Security.Claims;
using FluentValidation;
using Mapster;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NewsApi.Reads;
using NewsApi.Api;
using NewsApi.Api.Auth;
using NewsApi.Content;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Features.Articles;

internal static class ListArticles
{
    public static readonly string[] Sorts = ["-publishedAt", "publishedAt", "-updatedAt"];
    public static readonly string[] Includes = ["section", "authors", "tags", "topics"];

    /// <summary>Top-level members of an article summary that <c>fields</c> may name.</summary>
    public static readonly string[] Fields =
    [
        "id", "slug", "title", "subtitle", "summary", "dateline", "byline", "source", "language", "coverImage",
        "status", "publishedAt", "firstPublishedAt", "updatedAt", "charCount", "readingTimeMinutes",
        "genre", "label", "urgency", "breaking", "isAccessibleForFree",
        "section", "authors", "tags", "topics", ItemShape.Body, ItemShape.BodyHtml,
    ];

    // Query values arrive as text and are checked here, so a bad value gets a 400 naming the parameter
    // instead of the framework's bare binding failure.
    /// <summary>Statuses a previewer may list with <c>status=</c>; killed articles are gone for everyone.</summary>
    public static readonly string[] Statuses = ["draft", "scheduled", "published", "unpublished", "archived"];

    /// <summary>The statuses of a <c>status=</c> value that <see cref="ValidStatuses{T}"/> accepted.</summary>
    public static IReadOnlyList<ArticleStatus> ParseStatuses(string? status) =>
        QueryValues.SplitList(status).Select(s => Enum.Parse<ArticleStatus>(s, ignoreCase: true)).ToList();

    /// <summary>A <c>fields</c> value naming only members of an article summary; the topic page's articles take the same.</summary>
    public static IRuleBuilderOptions<T, string?> ValidFields<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(f => QueryValues.SplitList(f).All(Fields.Contains)).WithMessage($"fields may name only: {string.Join(", ", Fields)}.");

    public static IRuleBuilderOptions<T, string?> ValidStatuses<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(s => s is null || QueryValues.SplitList(s) is { Count: > 0 } list && list.All(Statuses.Contains))
            .WithMessage($"status may name: {string.Join(", ", Statuses)}.");

    public sealed record Query(
        string? Section, string? Topic, string? Tag, string? Author, string? From, string? To,
        string? Sort, string? Limit, string? Cursor, string? Fields, string? Include, string? Status, string? At)
    {
        // Drafts have no publication time to page by, so a status listing pages by last change.
        public string SortOrDefault => Sort ?? (Status is null ? "-publishedAt" : "-updatedAt");
        public IReadOnlyList<ArticleStatus> StatusList => ParseStatuses(Status);
        public int LimitOrDefault => QueryValues.Limit(Limit);
        public DateTimeOffset? FromTime => QueryValues.ParseTime(From);
        public DateTimeOffset? ToTime => QueryValues.ParseTime(To);
        public DateTimeOffset? AtTime => QueryValues.ParseTime(At);
        public IReadOnlyList<string> FieldList => QueryValues.SplitList(Fields);
        public IReadOnlyList<string> IncludeList => QueryValues.SplitList(Include);

        /// <summary>A cursor pages only the list of the filters it was given out with.</summary>
        public string ListName => $"articles\n{Section}\n{Topic}\n{Tag}\n{Author}\n{From}\n{To}\n{Status}" + (At is null ? "" : $"\n{At}");
    }

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator(CursorSigner cursors)
        {
            RuleFor(q => q.Sort).Must(s => s is null || Sorts.Contains(s))
                .WithMessage($"sort must be one of {string.Join(", ", Sorts)}.");
            RuleFor(q => q.Limit).ValidLimit();
            RuleFor(q => q.From).Must(QueryValues.IsTime).WithMessage(QueryValues.TimeMessage("from"));
            RuleFor(q => q.To).Must(QueryValues.IsTime).WithMessage(QueryValues.TimeMessage("to"));
            RuleFor(q => q.At).Must(QueryValues.IsTime).WithMessage(QueryValues.TimeMessage("at"));
            RuleFor(q => q.At).Null().When(q => q.Status is not null).WithMessage("at and status do not combine: at shows the public's view at that time.");
            RuleFor(q => q).Must(q => q.FromTime is null || q.ToTime is null || q.FromTime < q.ToTime)
                .When(q => QueryValues.IsTime(q.From) && QueryValues.IsTime(q.To))
                .OverridePropertyName("to").WithMessage("to must be later than from.");
            RuleFor(q => q.Cursor).Must((q, c) => Sorts.Contains(q.SortOrDefault) == false || Cursor.TryDecode(cursors, c, q.ListName, q.SortOrDefault, out _))
                .WithMessage("cursor is not one this list gave out for this sort; start again without it.");
            RuleFor(q => q.Fields).ValidFields();
            RuleFor(q => q.Status).ValidStatuses();
            RuleFor(q => q.Sort).Must(s => s is null or "-updatedAt").When(q => q.Status is not null)
                .WithMessage("With status, the list is sorted by -updatedAt.");
            RuleFor(q => q.Include).Must(i => QueryValues.SplitList(i).All(Includes.Contains))
                .WithMessage($"include may name only: {string.Join(", ", Includes)}.");
            foreach (var (name, get) in new (string, Func<Query, string?>)[] { ("section", q => q.Section), ("topic", q => q.Topic), ("tag", q => q.Tag), ("author", q => q.Author) })
                RuleFor(q => get(q)).MaximumLength(NewsApi.Content.Slugs.MaxLookupLength).OverridePropertyName(name).WithMessage($"{name} is longer than any slug.");
        }
    }

    public static async Task<Results<SparsePage<ArticleSummary>, RenderedJson.Envelope, ValidationProblem>> Handle(
        [AsParameters] Query query, NewsDbContext db, TimeProvider clock, ClaimsPrincipal user, CursorSigner cursors, HttpContext http, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (query.At is not null && !user.CanPreview())
            return Problems.Invalid("at", ScheduledPreview.NeedsKey);
        if (query.Status is null && !user.CanPreview())
            return await Public(query, db, now, cursors, http, ct);
        var at = query.AtTime;
        var articles = at is null ? db.Articles.AsNoTracking().VisibleAt(now) : db.Articles.AsNoTracking().VisibleBySchedule(at.Value);
        if (query.Status is not null)
        {
            if (!user.CanPreview())
                return Problems.Invalid("status", "Listing by status needs a previewer, editor or admin key.");
            var statuses = query.StatusList;
            articles = db.Articles.AsNoTracking().Where(a => statuses.Contains(a.Status));
        }

        if (query.Section is { } sectionSlug)
        {
            var ids = await SectionTree.SelfAndDescendantIds(db, sectionSlug, ct);
            if (ids is null)
                return Problems.Invalid("section", $"There is no section '{sectionSlug}'.");
            articles = articles.Where(a => a.SectionId != null && ids.Contains(a.SectionId.Value));
        }
        if (query.Topic is { } topic)
        {
            if (!await db.Topics.AnyAsync(t => t.Slug == topic && t.Status == TopicStatus.Published, ct))
                return Problems.Invalid("topic", $"There is no topic '{topic}'.");
            articles = articles.Where(a => a.Topics.Any(t => t.Topic.Slug == topic));
        }
        if (query.Tag is { } tag)
        {
            if (!await db.Tags.AnyAsync(t => t.Slug == tag, ct))
                return Problems.Invalid("tag", $"There is no tag '{tag}'.");
            articles = articles.Where(a => a.Tags.Any(t => t.Tag.Slug == tag));
        }
        if (query.Author is { } author)
        {
            if (!await db.Authors.AnyAsync(a => a.Slug == author, ct))
                return Problems.Invalid("author", $"There is no author '{author}'.");
            articles = articles.Where(a => a.Authors.Any(x => x.Author.Slug == author));
        }
        // Looking ahead, a scheduled story counts from when it is due to go live.
        if (query.FromTime is { } from)
            articles = at is null ? articles.Where(a => a.PublishedAt >= from) : articles.Where(a => (a.PublishedAt ?? a.PublishAt) >= from);
        if (query.ToTime is { } to)
            articles = at is null ? articles.Where(a => a.PublishedAt < to) : articles.Where(a => (a.PublishedAt ?? a.PublishAt) < to);

        var sort = query.SortOrDefault;
        Cursor.TryDecode(cursors, query.Cursor, query.ListName, sort, out var after);
        articles = at is null ? Order(articles, sort, after) : OrderBySchedule(articles, sort, after);

        var limit = query.LimitOrDefault;
        var rows = await articles.Take(limit + 1).ProjectToType<ArticleSummary>().ToListAsync(ct);
        var page = rows.Take(limit).ToList();
        string? next = null;
        if (rows.Count > limit)
        {
            var last = page[^1];
            var time = sort == "-updatedAt" ? last.UpdatedAt
                : last.PublishedAt ?? await db.Articles.Where(a => a.Id == last.Id).Select(a => a.PublishAt).FirstAsync(ct);
            next = new Cursor(sort, time, null, last.Id).Encode(cursors, query.ListName);
        }

        page = await ArticleBodies.Apply(db, page, query.FieldList, ct);
        var items = await ArticleIncludes.Apply(db, page, query.IncludeList, ct);
        Paging.AddNextLink(http, next);
        return new SparsePage<ArticleSummary>(new Page<ArticleSummary>(items, next), query.FieldList);
    }

    /// <summary>The public's list: one statement on the read model, its items written as stored.</summary>
    static async Task<Results<SparsePage<ArticleSummary>, RenderedJson.Envelope, ValidationProblem>> Public(
        Query query, NewsDbContext db, DateTimeOffset now, CursorSigner cursors, HttpContext http, CancellationToken ct)
    {
        var sort = query.SortOrDefault;
        Cursor.TryDecode(cursors, query.Cursor, query.ListName, sort, out var after);
        var limit = query.LimitOrDefault;
        var shape = new ItemShape(query.FieldList, query.IncludeList);
        var (unknown, rows) = await PublicLists.Page(db,
            new ListFilter(query.Section, query.Topic, query.Tag, query.Author, query.FromTime, query.ToTime, sort, after, limit + 1, shape.Bodies), now, ct);
        if (unknown is not null)
        {
            var named = unknown switch { "section" => query.Section, "topic" => query.Topic, "tag" => query.Tag, _ => query.Author };
            return Problems.Invalid(unknown, $"There is no {unknown} '{named}'.");
        }
        string? next = null;
        if (rows.Count > limit)
        {
            var last = rows[limit - 1];
            next = new Cursor(sort, sort == "-updatedAt" ? last.UpdatedAt : last.PublishedAt, null, last.Id).Encode(cursors, query.ListName);
        }
        Paging.AddNextLink(http, next);
        return RenderedJson.Of(new Page<ArticleSummary>(rows.Take(limit).Select(r => ArticleSummary.Of(r.Id, r.Item, r.Bodies, shape)).ToList(), next));
    }

    /// <summary>As <see cref="Order"/>, a scheduled story placed at the time it is due to go live.</summary>
    static IQueryable<Article> OrderBySchedule(IQueryable<Article> q, string sort, Cursor? after) => sort switch
    {
        "publishedAt" => (after is null ? q : q.Where(a => EF.Functions.GreaterThan(
                ValueTuple.Create(a.PublishedAt ?? a.PublishAt, a.Id), ValueTuple.Create(after.At, after.Id))))
            .OrderBy(a => a.PublishedAt ?? a.PublishAt).ThenBy(a => a.Id),
        "-updatedAt" => Order(q, sort, after),
        _ => (after is null ? q : q.Where(a => EF.Functions.LessThan(
                ValueTuple.Create(a.PublishedAt ?? a.PublishAt, a.Id), ValueTuple.Create(after.At, after.Id))))
            .OrderByDescending(a => a.PublishedAt ?? a.PublishAt).ThenByDescending(a => a.Id),
    };

    static IQueryable<Article> Order(IQueryable<Article> q, string sort, Cursor? after) => sort switch
    {
        "publishedAt" => (after is null ? q : q.Where(a => EF.Functions.GreaterThan(
                ValueTuple.Create(a.PublishedAt, a.Id), ValueTuple.Create(after.At, after.Id))))
            .OrderBy(a => a.PublishedAt).ThenBy(a => a.Id),
        "-updatedAt" => (after is null ? q : q.Where(a => EF.Functions.LessThan(
                ValueTuple.Create(a.UpdatedAt, a.Id), ValueTuple.Create(after.At!.Value, after.Id))))
            .OrderByDescending(a => a.UpdatedAt).ThenByDescending(a => a.Id),
        _ => (after is null ? q : q.Where(a => EF.Functions.LessThan(
                ValueTuple.Create(a.PublishedAt, a.Id), ValueTuple.Create(after.At, after.Id))))
            .OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id),
    };
}
