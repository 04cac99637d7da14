namespace NewsApi.Benchmarks.Reads;

/// <summary>
/// pgbench scripts: the statements the service runs today for one uncached request of each read, copied from its EF
/// log (<c>reads --show-sql</c>), with the parameters drawn at random as the uncached runs rotate. Where a statement
/// feeds the next with several rows (a topic's member ids), it hands them on as one array (<c>\gset</c> takes one
/// row); the featured list's section tree, which the service loads whole and walks in memory, is asked for as the one
/// section and its children. A later read model changes these with the service.
/// </summary>
internal static class ReadSql
{
    const string Visible = "a.status = 'Published' AND (a.embargo_until IS NULL OR a.embargo_until <= now())";

    const string Summary = """
        a.id, a.slug, a.title, a.subtitle, a.summary, a.dateline, a.byline, a.source, a.language, a.cover_image,
          a.status, a.published_at, a.first_published_at, a.updated_at, a.char_count, a.section_id
        """;

    /// <summary>A published article (Newsroom makes every 32nd a draft): four split queries of the whole entity graph.</summary>
    public static string Story(int articles)
    {
        const string Slug = "a.slug = 'bench-' || :n::text";
        const string Head = $"""
            SELECT a.id, s.id AS id0 FROM articles AS a LEFT JOIN sections AS s ON a.section_id = s.id
              WHERE {Slug} ORDER BY a.id, s.id LIMIT 1
            """;
        return $"""
            \set n random(0, {Math.Max(1, articles / Newsroom.DraftEvery) - 1}) * {Newsroom.DraftEvery} + random(0, {Newsroom.DraftEvery - 2})
            SELECT a.id, a.body, a.body_text, a.byline, a.char_count, a.corrections, a.cover_image, a.created_at, a.dateline,
              a.embargo_until, a.external_id, a.first_published_at, a.import_hash, a.import_version, a.kill_reason, a.killed_at,
              a.language, a.publish_at, a.published_at, a.section_id, a.slug, a.source, a.status, a.subtitle, a.summary, a.title,
              a.unpublish_at, a.updated_at, a.xmin, s.id, s.created_at, s.description, s.name, s.parent_id, s.position, s.slug,
              s.updated_at, s.xmin
              FROM articles AS a LEFT JOIN sections AS s ON a.section_id = s.id
              WHERE {Slug} ORDER BY a.id, s.id LIMIT 1;
            SELECT s1.article_id, s1.author_id, s1.position, s1.id, s1.bio, s1.name, s1.slug, s1.xmin, s0.id, s0.id0
              FROM ({Head}) AS s0
              INNER JOIN (SELECT a0.article_id, a0.author_id, a0.position, a1.id, a1.bio, a1.name, a1.slug, a1.xmin
                FROM article_authors AS a0 INNER JOIN authors AS a1 ON a0.author_id = a1.id) AS s1 ON s0.id = s1.article_id
              ORDER BY s0.id, s0.id0;
            SELECT s3.article_id, s3.tag_id, s3.position, s3.id, s3.name, s3.slug, s3.xmin, s2.id, s2.id0
              FROM ({Head}) AS s2
              INNER JOIN (SELECT a2.article_id, a2.tag_id, a2.position, t.id, t.name, t.slug, t.xmin
                FROM article_tags AS a2 INNER JOIN tags AS t ON a2.tag_id = t.id) AS s3 ON s2.id = s3.article_id
              ORDER BY s2.id, s2.id0;
            SELECT s5.topic_id, s5.article_id, s5.position, s5.id, s5.cover_image, s5.created_at, s5.description, s5.slug,
              s5.status, s5.title, s5.updated_at, s5.xmin, s4.id, s4.id0
              FROM ({Head}) AS s4
              INNER JOIN (SELECT t0.topic_id, t0.article_id, t0.position, t1.id, t1.cover_image, t1.created_at, t1.description,
                  t1.slug, t1.status, t1.title, t1.updated_at, t1.xmin
                FROM topic_articles AS t0 INNER JOIN topics AS t1 ON t0.topic_id = t1.id) AS s5 ON s4.id = s5.article_id
              ORDER BY s4.id, s4.id0;

            """;
    }

    /// <summary>The 20 newest before a time within the corpus's five years, as the uncached run's <c>to=</c> rotates: one query.</summary>
    public static string Newest() => $"""
        \set m random(0, 5 * 365 * 24 * 60)
        SELECT {Summary}
          FROM articles AS a
          WHERE {Visible} AND a.published_at < TIMESTAMPTZ '2026-01-01 00:00:00+00' - :m::int * INTERVAL '1 minute'
          ORDER BY a.published_at DESC, a.id DESC LIMIT 21;

        """;

    /// <summary>The topic, its first 101 members' ids (one more tells whether a next page exists), then 100 summaries.</summary>
    public static string Topic() => $"""
        \set t random(0, 199)
        SELECT t.id, t.cover_image, t.created_at, t.description, t.slug, t.status, t.title, t.updated_at, t.xmin
          FROM topics AS t WHERE t.slug = 'topic-' || :t::text AND t.status = 'Published' LIMIT 1 \gset topic_
        SELECT (array_agg("ArticleId"))[1:100] AS ids FROM (
          SELECT t.position AS "Position", t.article_id AS "ArticleId"
            FROM topic_articles AS t
            WHERE t.topic_id = :topic_id::uuid AND EXISTS (SELECT 1 FROM articles AS a WHERE {Visible} AND a.id = t.article_id)
            ORDER BY t.position, t.article_id LIMIT 101) AS m \gset
        SELECT {Summary}
          FROM articles AS a WHERE a.id = ANY (:ids::uuid[]);

        """;

    /// <summary>
    /// The list, its shown entries, and for the lists with a section (the even ones) the section's slug, its tree and
    /// the newest of its articles to fill up to 20; then the summaries of all shown.
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
        SELECT {Summary}
          FROM articles AS a WHERE a.id = ANY (:taken::uuid[] || :fill::uuid[]);
        \else
        SELECT {Summary}
          FROM articles AS a WHERE a.id = ANY (:taken::uuid[]);
        \endif

        """;
}
