using System.Security.Claims;
using FluentValidation;
using Mapster;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsApi.Api;
using NewsApi.Api.Auth;
using NewsApi.Content;
using NewsApi.Features.Articles;
using NewsApi.Data;
using NewsApi.Data.Entities;
using NewsApi.Search;

namespace NewsApi.Features.Search;

internal static class SearchArticles
{
    // Query values arrive as text and are checked here, so a bad value gets a 400 naming the parameter.
    public sealed record Query(string? Q, string? Section, string? Topic, string? Tag, string? Author, string? From, string? To, string? Limit, string? Cursor,
        string? Status)
    {
        /// <summary>What a cursor is tied to: the query and the statuses searched, which decide the order.</summary>
        public string CursorKey(SearchQuery parsed) => Status is null ? parsed.TsQuery :
            parsed.TsQuery + "|" + string.Join(",", QueryValues.SplitList(Status).Select(s => s.ToLowerInvariant()).Order());

        /// <summary>A cursor pages only the results of the filters it was given out with.</summary>
        public string ListName => $"search\n{Section}\n{Topic}\n{Tag}\n{Author}\n{From}\n{To}";

        public IReadOnlyList<ArticleStatus>? StatusList => Status is null ? null : ListArticles.ParseStatuses(Status);
        public int LimitOrDefault => QueryValues.Limit(Limit);
        public DateTimeOffset? FromTime => QueryValues.ParseTime(From);
        public DateTimeOffset? ToTime => QueryValues.ParseTime(To);
    }

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator(CursorSigner cursors)
        {
            RuleFor(q => q.Q).Custom((text, context) =>
            {
                if (!SearchQuery.TryParse(text, out _, out var error))
                    context.AddFailure("q", error!);
            });
            RuleFor(q => q.Limit).ValidLimit();
            RuleFor(q => q.Status).ValidStatuses();
            RuleFor(q => q.From).Must(QueryValues.IsTime).WithMessage(QueryValues.TimeMessage("from"));
            RuleFor(q => q.To).Must(QueryValues.IsTime).WithMessage(QueryValues.TimeMessage("to"));
            RuleFor(q => q).Must(q => q.FromTime is null || q.ToTime is null || q.FromTime < q.ToTime)
                .When(q => QueryValues.IsTime(q.From) && QueryValues.IsTime(q.To))
                .OverridePropertyName("to").WithMessage("to must be later than from.");
            RuleFor(q => q.Cursor).Must((q, c) => !SearchQuery.TryParse(q.Q, out var parsed, out _) || SearchCursor.TryDecode(cursors, c, q.ListName, q.CursorKey(parsed!), out _))
                .WithMessage("cursor is not one this search gave out for this q; start again without it.");
            foreach (var (name, get) in new (string, Func<Query, string?>)[] { ("section", q => q.Section), ("topic", q => q.Topic), ("tag", q => q.Tag), ("author", q => q.Author) })
                RuleFor(q => get(q)).MaximumLength(NewsApi.Content.Slugs.MaxLookupLength).OverridePropertyName(name).WithMessage($"{name} is longer than any slug.");
        }
    }

    public static async Task<Results<Ok<Page<SearchHit>>, ValidationProblem>> Handle(
        [AsParameters] Query query, NewsDbContext db, TimeProvider clock, IOptions<SearchOptions> options, ClaimsPrincipal user,
        CursorSigner cursors, HttpContext http, CancellationToken ct)
    {
        if (query.Status is not null && !user.CanPreview())
            return Problems.Invalid("status", "Searching by status needs a previewer, editor or admin key.");
        // The validator has refused such a q already; this only gives the parsed query a name.
        if (!SearchQuery.TryParse(query.Q, out var search, out var error))
            return Problems.Invalid("q", error);
        var sql = new SearchSql(search, clock.GetUtcNow(), options.Value.RankWindow, query.StatusList);

        if (query.Section is { } sectionSlug)
        {
            var ids = await SectionTree.SelfAndDescendantIds(db, sectionSlug, ct);
            if (ids is null)
                return Problems.Invalid("section", $"There is no section '{sectionSlug}'.");
            sql.InSections(ids);
        }
        // Each filter is looked up once, for its 400 and its id.
        foreach (var (name, slug, find, keep) in new (string, string?, Func<string, Task<Guid?>>, Action<Guid>)[]
        {
            ("topic", query.Topic, s => db.Topics.Where(t => t.Slug == s && t.Status == TopicStatus.Published).Select(t => (Guid?)t.Id).FirstOrDefaultAsync(ct),
                sql.InTopic),
            ("tag", query.Tag, s => db.Tags.Where(t => t.Slug == s).Select(t => (Guid?)t.Id).FirstOrDefaultAsync(ct), sql.Tagged),
            ("author", query.Author, s => db.Authors.Where(a => a.Slug == s).Select(a => (Guid?)a.Id).FirstOrDefaultAsync(ct), sql.ByAuthor),
        })
        {
            if (slug is null)
                continue;
            if (await find(slug) is not { } id)
                return Problems.Invalid(name, $"There is no {name} '{slug}'.");
            keep(id);
        }
        sql.Between(query.FromTime, query.ToTime);

        SearchCursor.TryDecode(cursors, query.Cursor, query.ListName, query.CursorKey(search), out var after);
        var limit = query.LimitOrDefault;
        var rows = await sql.Run(db, after, limit + 1, ct);
        var pageRows = rows.Take(limit).ToList();
        string? next = null;
        if (rows.Count > limit)
        {
            var last = pageRows[^1];
            next = new SearchCursor(SearchCursor.Fingerprint(query.CursorKey(search)), last.Score, last.At, last.Id).Encode(cursors, query.ListName);
        }

        var hits = Hits(pageRows, search.Terms);
        Paging.AddNextLink(http, next);
        return TypedResults.Ok(new Page<SearchHit>(hits, next));
    }

    static List<SearchHit> Hits(List<SearchSql.Row> rows, IReadOnlyList<SearchTerm> terms)
    {
        var hits = new List<SearchHit>(rows.Count);
        // A one-character term matched the head fields only: the body marks (and is matched by) the longer terms alone.
        var bodyTerms = terms.Where(t => !t.HeadOnly).ToList();
        foreach (var (id, _, score, a) in rows)
        {
            var fields = new (string Name, string? Text)[]
            {
                ("title", a.Title), ("subtitle", a.Subtitle), ("summary", a.Summary),
                ("dateline", SearchDocument.DatelineText(a.Dateline)), ("body", a.BodyText),
            };
            var matches = fields.Select(f => (f.Name, Text: f.Text ?? "", Matches: Highlighter.Matches(f.Text ?? "", f.Name == "body" ? bodyTerms : terms))).ToList();
            var best = matches.FirstOrDefault(m => m.Name == "body" && m.Matches.Count > 0);
            if (best.Name is null)
                best = matches.Where(m => m.Name != "title" && m.Matches.Count > 0).FirstOrDefault();
            if (best.Name is null)
                best = matches.First(m => m.Name == (string.IsNullOrEmpty(a.BodyText) ? "title" : "body"));
            hits.Add(a.Adapt<SearchHit>() with
            {
                Id = id,
                Snippet = Highlighter.Snippet(best.Text, best.Matches),
                TitleHtml = Highlighter.Mark(a.Title, matches[0].Matches),
                Matched = matches.Where(m => m.Matches.Count > 0).Select(m => m.Name).ToList(),
                Score = score,
            });
        }
        return hits;
    }
}
