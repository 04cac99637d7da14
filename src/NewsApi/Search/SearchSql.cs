using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using NewsApi.Content;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Search;

/// <summary>
/// The ranked search query, in two steps. First the newest <c>window</c> visible articles holding every pair of the
/// query: the GIN index answers that alone, without reading a single document (from the recent months first), or
/// for a pair found in most articles the query walks the newest-first index and tests each. Then their scores from
/// the small head vectors, ordered and cut at the cursor, and where a term spans several pairs the phrase test (the
/// one step that reads whole documents) on the ordered rows until the page is full. The formula is in
/// Decisions/0006-search.md.
/// </summary>
internal sealed class SearchSql(SearchQuery query, DateTimeOffset now, int window, IReadOnlyList<ArticleStatus>? statuses = null)
{
    /// <summary>Days after which relevance counts double: a match this much newer ties one twice as relevant.</summary>
    public const double FreshnessHalfLifeDays = 30;

    public sealed record Row(Guid Id, DateTimeOffset At, double Score, Found Article);

    /// <summary>What a hit shows of its article (mapped onto the search hit by name), read with the page.</summary>
    public sealed record Found
    {
        public required string Slug { get; init; }
        public required string Title { get; init; }
        public string? Subtitle { get; init; }
        public string? Summary { get; init; }
        public Dateline? Dateline { get; init; }
        public string? Byline { get; init; }
        public required string Language { get; init; }
        public Image? CoverImage { get; init; }
        public DateTimeOffset? PublishedAt { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }
        public string? BodyText { get; init; }
    }

    readonly List<string> _conditions = [];
    readonly List<NpgsqlParameter> _parameters = [];
    bool _joinArticles = statuses is not null;
    bool _between;

    /// <summary>
    /// The time results are ordered and paged by: publication for the public, and for a status search (drafts have
    /// none) the last change where there is no publication.
    /// </summary>
    public string At => statuses is null ? "d.published_at" : "coalesce(a.published_at, a.updated_at)";

    /// <summary>Keeps to articles in these sections.</summary>
    public void InSections(IEnumerable<Guid> sections) =>
        Where("a.section_id = ANY(@sections)",
            new NpgsqlParameter("sections", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = sections.ToArray() }, onArticle: true);

    // The caller has looked each filter up by its slug, for its 400 and its id; the search reads the link table by id alone.
    public void InTopic(Guid topic) => Linked("topic_articles", "topic", topic);

    public void Tagged(Guid tag) => Linked("article_tags", "tag", tag);

    public void ByAuthor(Guid author) => Linked("article_authors", "author", author);

    void Linked(string links, string name, Guid id) =>
        Where($"EXISTS (SELECT 1 FROM {links} l WHERE l.{name}_id = @{name} AND l.article_id = d.article_id)",
            new NpgsqlParameter(name, id));

    /// <summary>Adds a condition on the search row <c>d</c>, or with <paramref name="onArticle"/> on the article <c>a</c>.</summary>
    void Where(string condition, NpgsqlParameter parameter, bool onArticle = false)
    {
        _conditions.Add(condition);
        _parameters.Add(parameter);
        _joinArticles |= onArticle;
    }

    /// <summary>
    /// Keeps to results published from <paramref name="from"/> (inclusive) until <paramref name="to"/>. A time range
    /// also turns off the recent-months stage: those months may lie outside it, and the planner would AND the GIN
    /// matches with a range scan of the newest-first index (275,000 rows, 31 ms at 1M articles).
    /// </summary>
    public void Between(DateTimeOffset? from, DateTimeOffset? to)
    {
        if (from is { } start)
            Where($"{At} >= @from", new NpgsqlParameter("from", start));
        if (to is { } end)
            Where($"{At} < @to", new NpgsqlParameter("to", end));
        _between |= from is not null || to is not null;
    }

    bool RecentFirst => statuses is null && !_between;

    /// <summary>
    /// How many of the newest rows the probe tests, and how many of them must match for the walk. Each probed row is
    /// a whole document read; since the recent-months collect beats the walk up to about a pair in ten articles, a
    /// rough probe is enough: 3 of 50 (6 %).
    /// </summary>
    const int ProbeRows = 50, CommonHits = 3;

    /// <summary>
    /// Calendar months, that of the newest publication included, that a collect looks at before it looks at every
    /// month: their lexemes (migration SearchMonths) are ANDed with the pairs, so GIN never offers older matches.
    /// </summary>
    public const int RecentMonths = 6;

    string Rows => $"""
        FROM article_search_documents d
            {(_joinArticles ? "JOIN articles a ON a.id = d.article_id" : "")}
            WHERE {(statuses is null ? ArticleVisibility.PublicSearchRow : "a.status = ANY(@statuses)")}
              {string.Concat(_conditions.Select(c => "AND " + c + "\n              "))}
        """;

    // The planner cannot tell a pair in 0.2 % of articles from one in 5 % (both are below its statistics), and
    // walking the newest-first index for a rare pair reads tens of thousands of documents. So the query measures:
    // the probe tests the newest 50 rows, and a pair in 3 or more of them is walked (the newest 100 matches are
    // near), anything rarer is collected through the GIN index and sorted: first from the recent months (their
    // lexemes ANDed in the index, so older matches are never visited), and only when those hold fewer than the
    // window, from every month. Branches whose one-time filter fails are skipped.
    string Candidates => statuses is not null ? Collect("@pairs", "") : $"""
        ({Walk})
            UNION ALL
            {(RecentFirst ? $"(SELECT id, at, head FROM recent WHERE {Rare} AND {RecentFull}) UNION ALL" : "")}
            ({Collect("@pairs", $"WHERE {Rare}{(RecentFirst ? $" AND NOT {RecentFull}" : "")}")})
        """;

    // The probe found the words rare; the recent months held a whole window of them.
    static readonly string Rare = $"(SELECT hits FROM probe) < {CommonHits}";
    const string RecentFull = "(SELECT count(*) FROM recent) = @window";

    // The vector the probe and the walk test row by row. One-character terms are unigrams of the head fields, which
    // the head holds as the document does: a common character (中, in half the titles and summaries) is walked on
    // the head's few hundred bytes, never on the document's TOAST (kilobytes to decompress a row).
    string Tested => query.HeadOnly ? "head" : "document";

    // The match is written as the function behind @@: the planner cannot take it to GIN and estimates a third of the
    // rows, so this branch is the newest-first walk in every plan, generic or not (the probe has judged the words).
    string Walk => $"""
        SELECT d.article_id AS id, {At} AS at, d.head
            {Rows}
              AND ts_match_vq(d.{Tested}, @pairs::tsquery) AND (SELECT hits FROM probe) >= {CommonHits}
            ORDER BY at DESC, id DESC
            LIMIT @window
        """;

    // OFFSET 0 plans the match on its own, without the LIMIT that would tempt the planner into walking.
    string Collect(string pairs, string when) => $"""
        SELECT id, at, head FROM (
                SELECT d.article_id AS id, {At} AS at, d.head
                {Rows}
                  AND d.document @@ {pairs}::tsquery
                OFFSET 0) matches
            {when}
            ORDER BY at DESC, id DESC
            LIMIT @window
        """;

    // The months counted back from the newest publication, not from the clock: the same for a live newsroom, and
    // right for an archive too. Every visible match outside them was published earlier.
    string Recent => $"""
        recent_months AS (
            SELECT @pairs::tsquery && string_agg(quote_literal('month:' || to_char(m, 'YYYY-MM')), ' | ')::tsquery AS query
            FROM (SELECT date_trunc('month', max(published_at) AT TIME ZONE 'UTC') AS newest FROM article_search_documents) n,
                 generate_series(n.newest - interval '{RecentMonths - 1} months', n.newest, interval '1 month') m
        ),
        recent AS MATERIALIZED (
            {Collect("(SELECT query FROM recent_months)", $"WHERE {Rare}")}
        ),
        """;

    public string Text(bool withCursor) => $"""
        WITH {(statuses is not null ? "" : $"""
        probe AS (
            SELECT count(*) FILTER (WHERE newest.tested @@ @pairs::tsquery) AS hits
            FROM (SELECT d.{Tested} AS tested {Rows} ORDER BY {At} DESC, d.article_id DESC LIMIT {ProbeRows}) newest
        ),
        {(RecentFirst ? Recent : "")}
        """)}
        candidates AS MATERIALIZED (
            {Candidates}
        ), ranked AS (
            SELECT c.id, c.at,
                   ln(1 + 4 * t / (1 + t) + 2 * s / (1 + s)) / ln(2)
                   + extract(epoch FROM c.at)::float8 / 86400 / {FreshnessHalfLifeDays.ToString(CultureInfo.InvariantCulture)} AS score
            FROM candidates c,
                 -- A head without every pair holds no cover of the query, so both ranks are 0: the cheap test spares
                 -- the ranking of the many candidates that match in the body only.
                 LATERAL (SELECT c.head @@ @pairs::tsquery AS in_head) h,
                 LATERAL (SELECT CASE WHEN h.in_head THEN ts_rank_cd('{"{"}0,0,0,1{"}"}', c.head, @query::tsquery)::float8 ELSE 0 END AS t,
                                 CASE WHEN h.in_head THEN ts_rank_cd('{"{"}0,0,1,0{"}"}', c.head, @query::tsquery)::float8 ELSE 0 END AS s) r
        )
        -- The page's articles come with it: one statement a search, not a second query for what the hits show.
        SELECT page.id, page.at, page.score, x.slug, x.title, x.subtitle, x.summary, x.dateline::text, x.byline, x.language,
               x.cover_image::text, x.published_at, x.updated_at, x.body::text
        FROM (
            SELECT id, at, score FROM (
                SELECT id, at, score FROM ranked
                {(withCursor ? "WHERE (score, at, id) < (@after_score, @after_at, @after_id)" : "")}
                ORDER BY score DESC, at DESC, id DESC
                OFFSET 0
            ) ordered
            -- Scalar subqueries, which PostgreSQL never turns into joins: they run row by row on the ordered rows and
            -- stop when the page is full, where a semi-join would test every article holding the pairs. The first is
            -- the public's rule on the article as it is now: the search row may lag behind it (the indexer's).
            {HitTests}
            ORDER BY score DESC, at DESC, id DESC
            LIMIT @limit
        ) page
        JOIN articles x ON x.id = page.id
        ORDER BY page.score DESC, page.at DESC, page.id DESC
        """;

    string HitTests
    {
        get
        {
            var tests = new List<string>();
            if (statuses is null)
                tests.Add($"(SELECT {ArticleVisibility.PublicArticleRow("v")} FROM articles v WHERE v.id = ordered.id)");
            if (query.IsPhrase)
                tests.Add("(SELECT p.document @@ @query::tsquery FROM article_search_documents p WHERE p.article_id = ordered.id)");
            return tests.Count == 0 ? "" : "WHERE " + string.Join("\n              AND ", tests);
        }
    }

    public async Task<List<Row>> Run(NewsDbContext db, SearchCursor? after, int limit, CancellationToken ct)
    {
        await using var connection = await OpenConnection.Of(db, ct);
        await using var batch = new NpgsqlBatch(connection.Value);
        var search = new NpgsqlBatchCommand(Text(after is not null));
        search.Parameters.AddRange(Parameters(after, limit).ToArray());
        // A plain search is planned once: its generic plan is as good as any, since the probe picks the branch at
        // run time and the walk is always a walk. PostgreSQL would keep planning it for every run (it prices
        // the generic plan above the custom ones): 0.7 ms, a seventh of a rare search's database time. So the
        // setting is forced around this statement alone, in the same round trip: for EF's statements it is wrong
        // (re-import fell to a sixth of its speed), and with filters a custom plan is much faster (a section:
        // 24 ms, not 44). Should the search fail before the RESET, Npgsql's reset of a pooled connection undoes it.
        var generic = statuses is null && _conditions.Count == 0;
        if (generic)
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SET plan_cache_mode = force_generic_plan"));
        batch.BatchCommands.Add(search);
        if (generic)
            batch.BatchCommands.Add(new NpgsqlBatchCommand("RESET plan_cache_mode"));
        // Prepared once a connection (Npgsql keeps it across pool returns), so PostgreSQL does not parse it again.
        await batch.PrepareAsync(ct);
        await using var reader = await batch.ExecuteReaderAsync(ct);
        var rows = new List<Row>(limit);
        while (await reader.ReadAsync(ct))
            rows.Add(new Row(reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetDouble(2), new Found
            {
                Slug = reader.GetString(3), Title = reader.GetString(4), Subtitle = Column(5), Summary = Column(6),
                Dateline = JsonColumn.Read<Dateline>(Column(7)), Byline = Column(8), Language = reader.GetString(9),
                CoverImage = JsonColumn.Read<Image>(Column(10)),
                PublishedAt = reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11),
                UpdatedAt = reader.GetFieldValue<DateTimeOffset>(12), BodyText = BodyRenderer.Text(JsonColumn.Read<List<Block>>(Column(13)) ?? []),
            }));
        return rows;

        string? Column(int column) => reader.IsDBNull(column) ? null : reader.GetString(column);
    }

    public IEnumerable<NpgsqlParameter> Parameters(SearchCursor? after, int limit)
    {
        yield return new NpgsqlParameter("query", query.TsQuery);
        yield return new NpgsqlParameter("pairs", query.PairsQuery);
        yield return new NpgsqlParameter("window", window);
        yield return new NpgsqlParameter("limit", limit);
        if (statuses is null)
            yield return new NpgsqlParameter("now", now);
        else
            yield return new NpgsqlParameter("statuses", statuses.Select(s => s.ToString()).ToArray());
        if (after is not null)
        {
            yield return new NpgsqlParameter("after_score", after.Score);
            yield return new NpgsqlParameter("after_at", after.At);
            yield return new NpgsqlParameter("after_id", after.Id);
        }
        foreach (var p in _parameters)
            yield return p;
    }
}
