using NewsApi.Reads;

namespace NewsApi.Benchmarks.Reads;

/// <summary>
/// pgbench scripts: the statements the service runs for one uncached request of each read, taken from the service's
/// own SQL (Reads/PublicArticles, Reads/PublicLists) with its positional parameters replaced by pgbench expressions
/// drawn at random as the uncached runs rotate, so the ceiling moves with the service. The featured list's entry
/// selection still goes through EF: those statements are copied from its log (<c>reads --show-sql</c>); where one feeds
/// the next with several rows it hands them on as one array (<c>\gset</c> takes one row), and the section tree, which
/// the service loads whole and walks in memory, is asked for as the one section and its children.
/// </summary>
internal static class ReadSql
{
    const string Visible = "a.status = 'Published' AND (a.embargo_until IS NULL OR a.embargo_until <= now())";

    /// <summary>The fields of the "20 newest with bodies" read: what a home page shows of a story, and the story.</summary>
    public const string WithBodies = "slug,title,summary,dateline,byline,publishedAt,readingTimeMinutes,coverImage,body";

    /// <summary>The service's statement with $1, $2, … replaced by these pgbench expressions.</summary>
    static string Pg(string sql, params string[] values)
    {
        for (var i = values.Length; i >= 1; i--)
            sql = sql.Replace("$" + i, values[i - 1], StringComparison.Ordinal);
        return sql + ";\n";
    }

    /// <summary>A published article (Newsroom makes every 32nd a draft) by slug: one statement on the read model.</summary>
    public static string Story(int articles) => $"""
        \set n random(0, {Math.Max(1, articles / Newsroom.DraftEvery) - 1}) * {Newsroom.DraftEvery} + random(0, {Newsroom.DraftEvery - 2})
        {Pg(PublicArticles.BySlugSql, "'bench-' || :n::text", "now()")}
        """;

    /// <summary>The 20 newest (with bodies) before a time within the corpus's five years, as the uncached run's <c>to=</c> rotates.</summary>
    public static string Newest()
    {
        var (sql, parameters, _) = PublicLists.Statement(new ListFilter(null, null, null, null, null, DateTimeOffset.UnixEpoch, "-publishedAt", null, 21, Bodies: true),
            DateTimeOffset.UnixEpoch);
        if (parameters.Count != 3)
            throw new InvalidOperationException("The list's statement no longer takes (now, to, limit): update ReadSql.Newest.");
        return $"""
            \set m random(0, 5 * 365 * 24 * 60)
            {Pg(sql, "now()", "TIMESTAMPTZ '2026-01-01 00:00:00+00' - :m::int * INTERVAL '1 minute'", "21")}
            """;
    }

    /// <summary>The topic with its first 100 public articles (one more tells whether a next page exists): one statement.</summary>
    public static string Topic() => $"""
        \set t random(0, 199)
        {Pg(PublicLists.TopicSql(bodies: false), "'topic-' || :t::text", "now()", "-2147483648", "'00000000-0000-0000-0000-000000000000'::uuid", "101")}
        """;

    /// <summary>
    /// The list, its shown entries, and for the lists with a section (the even ones) the section's slug, its tree and
    /// the newest of its articles to fill up to 20; then the stored items of all shown.
    /// </summary>
    public static string Featured() => $"""
        \set f random(0, 7)
        SELECT f.id, f.created_at, f.max_items, f.section_id, f.slug, f.title, f.updated_at, f.xmin
          FROM featured_lists AS f WHERE f.slug = 'featured-' || :f::text LIMIT 1 \gset list_
        SELECT coalesce(array_agg(e.article_id), '{"{}"}') AS taken, count(*) AS shown FROM (
          SELECT f.id, f.article_id, f.position, f.pinned, f.featured_at, f.visible_from, f.visible_until
            FROM featured_list_entries AS f
            WHERE f.list_id = :list_id::uuid AND f.featured_at <= now() AND (f.removed_at IS NULL OR f.removed_at > now())
              AND (f.visible_from IS NULL OR f.visible_from <= now()) AND (f.visible_until IS NULL OR f.visible_until > now())
              AND EXISTS (SELECT 1 FROM articles AS a
                WHERE {Visible} AND COALESCE(a.first_published_at, a.published_at) <= now() AND a.id = f.article_id)
            ORDER BY f.pinned DESC, f.position, f.featured_at DESC LIMIT :list_max_items) AS e \gset
        \if :f % 2 = 0
        \set need :list_max_items - :shown
        SELECT s.slug FROM sections AS s WHERE s.id = :list_section_id::uuid LIMIT 1;
        SELECT array_agg(s.id) AS sections FROM sections AS s
          WHERE s.id = :list_section_id::uuid OR s.parent_id = :list_section_id::uuid \gset
        SELECT coalesce(array_agg(b."Id"), '{"{}"}') AS fill FROM (
          SELECT a.id AS "Id", a.published_at AS "PublishedAt"
            FROM articles AS a
            WHERE {Visible} AND COALESCE(a.first_published_at, a.published_at) <= now() AND a.section_id IS NOT NULL
              AND a.section_id = ANY (:sections::uuid[])
              AND NOT (a.id = ANY (:taken::uuid[]) AND a.id = ANY (:taken::uuid[]) IS NOT NULL)
            ORDER BY a.published_at DESC, a.id DESC LIMIT :need) AS b \gset
        {Pg(PublicArticles.ItemsSql, ":taken::uuid[] || :fill::uuid[]", "now()")}
        \else
        {Pg(PublicArticles.ItemsSql, ":taken::uuid[]", "now()")}
        \endif

        """;
}
