using System.Globalization;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Content;
using NewsApi.Data;
using NewsApi.Reads;

namespace NewsApi.Features.Related;

internal static class GetRelated
{
    public const int DefaultLimit = 10;
    public const int MaxLimit = 50;

    public sealed record Query(string? Limit)
    {
        public int LimitOrDefault => Limit is null ? DefaultLimit : int.Parse(Limit, CultureInfo.InvariantCulture);
    }

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator() => RuleFor(q => q.Limit)
            .Must(l => l is null || int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= MaxLimit)
            .WithMessage($"limit must be a whole number from 1 to {MaxLimit}.");
    }

    /// <summary>The editors' choice first (the public ones, in their order), then suggestions to fill the limit; stored items throughout.</summary>
    public static async Task<Results<RenderedJson.Envelope, NotFoundProblem, GoneProblem, ValidationProblem>> Handle(
        Guid id, [AsParameters] Query query, NewsDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var source = await PublicArticles.ById(db, id, now, ct);
        if (source?.KillReason is { } reason)
            return Problems.Gone($"This article was withdrawn: {reason}");
        if (source?.Document is null)
            return Problems.NotFound($"There is no published article with id {id}.");

        var limit = query.LimitOrDefault;
        var chosen = await db.Articles.AsNoTracking().Where(a => a.Id == id).Select(a => a.RelatedIds).FirstAsync(ct);
        var stored = await PublicArticles.Items(db, chosen, now, ct);
        var items = chosen.Where(stored.ContainsKey).Take(limit).Select(r => ArticleSummary.Of(r, stored[r], null, ItemShape.Summary)).ToList();
        if (items.Count < limit)
            items.AddRange((await Suggestions(db, id, chosen, limit - items.Count, now, ct)).Select(r => ArticleSummary.Of(r.Id, r.Item, null, ItemShape.Summary)));
        return RenderedJson.Of(new Page<ArticleSummary>(items, null));
    }

    // Each source of candidates is bounded to its newest rows, so a tag on half the archive costs no more than a
    // thousand: topic pages shared (4 points), tags shared (2 each), likeness of title and summary (the search index's
    // head vector, matched by any of the article's own terms, each quoted as tsquery wants, ranked 0–1). $1 the article, $2 now, $3 its chosen ones,
    // $4 the limit.
    internal static readonly string SuggestionsSql = $"""
        WITH terms AS (
            SELECT (SELECT string_agg('''' || replace(replace(t, '\', '\\'), '''', '''''') || '''', ' | ') FROM unnest(tsvector_to_array(h.head)) t)::tsquery AS q
            FROM article_search_documents h WHERE h.article_id = $1 AND length(h.head) > 0),
        candidates AS (
            (SELECT n.article_id AS id FROM topic_articles m JOIN topic_articles n ON n.topic_id = m.topic_id JOIN article_reads r ON r.id = n.article_id
             WHERE m.article_id = $1 AND r.kill_reason IS NULL ORDER BY r.published_at DESC LIMIT 1000)
            UNION
            (SELECT y.article_id FROM article_tags x JOIN article_tags y ON y.tag_id = x.tag_id JOIN article_reads r ON r.id = y.article_id
             WHERE x.article_id = $1 AND r.kill_reason IS NULL ORDER BY r.published_at DESC LIMIT 1000)
            UNION
            (SELECT d.article_id FROM article_search_documents d, terms
             WHERE d.document @@ terms.q AND d.published_at IS NOT NULL ORDER BY d.published_at DESC LIMIT 1000))
        SELECT r.id, r.item, r.published_at, r.updated_at, 0, NULL::bytea FROM candidates c JOIN article_reads r ON r.id = c.id,
            LATERAL (SELECT
                4 * (SELECT count(*) FROM topic_articles m JOIN topic_articles n ON n.topic_id = m.topic_id WHERE m.article_id = $1 AND n.article_id = r.id)
                + 2 * (SELECT count(*) FROM article_tags x JOIN article_tags y ON y.tag_id = x.tag_id WHERE x.article_id = $1 AND y.article_id = r.id)
                + coalesce((SELECT ts_rank(d.head, terms.q) FROM article_search_documents d, terms WHERE d.article_id = r.id), 0) AS score) s
        WHERE {ArticleVisibility.PublicReadRow("$2")} AND r.id <> $1 AND NOT (r.id = ANY($3)) AND s.score > 0
        ORDER BY s.score DESC, r.published_at DESC, r.id DESC LIMIT $4
        """;

    static async Task<List<StoredItem>> Suggestions(NewsDbContext db, Guid id, List<Guid> chosen, int limit, DateTimeOffset now, CancellationToken ct) =>
        (await StoredRows.Items(db, SuggestionsSql, [id, now, chosen.ToArray(), limit], 0, ct)).Rows;
}
