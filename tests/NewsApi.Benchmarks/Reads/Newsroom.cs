using System.Diagnostics;
using NewsApi.Api;
using NewsApi.Content;
using NewsApi.Data;
using NewsApi.Data.Entities;
using NewsApi.Reads;
using Npgsql;

namespace NewsApi.Benchmarks.Reads;

/// <summary>
/// The reads benchmark's newsroom, the same for a seed: 30 sections (6 with 4 sub-sections each), 2,000 tags, 200
/// authors, the articles (1.5–4.5 KB of UTF-8 body, every 32nd a draft), 200 published topics of 20–200 articles and
/// 8 featured lists, half of them filled up from their section. Written with COPY through the service's own
/// <see cref="BulkCopy"/>, so the rows are what the EF model says; no search rows (nothing here searches).
/// </summary>
internal sealed class Newsroom(Corpus corpus, int articles)
{
    const int Batch = 5_000;
    static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Slugs are bench-{n}; every 32nd article is a draft, so public reads pick the others.</summary>
    /// <summary>One article in this many is a draft (the last of each run), which the pgbench scripts skip.</summary>
    public const int DraftEvery = 32;

    static bool IsDraft(int n) => n % DraftEvery == DraftEvery - 1;

    public async Task Load(NewsDbContext db, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var random = corpus.Random;
        var now = DateTimeOffset.UtcNow;
        await Db.Sql(dataSource, "TRUNCATE articles, article_revisions, sections, tags, authors, topics, featured_lists CASCADE", ct);

        var sections = new List<Section>();
        for (var top = 0; top < 6; top++)
        {
            var parent = new Section
            {
                Slug = $"section-{top}", Name = corpus.Phrase(1, 2), Position = top, CreatedAt = now, UpdatedAt = now,
            };
            sections.Add(parent);
            for (var child = 0; child < 4; child++)
                sections.Add(new Section
                {
                    Slug = $"section-{top}-{child}", Name = corpus.Phrase(1, 2), ParentId = parent.Id, Position = child,
                    CreatedAt = now, UpdatedAt = now,
                });
        }
        // Parents first: the foreign key is checked row by row.
        await db.Insert(sections.Where(s => s.ParentId is null).ToList(), ct);
        await db.Insert(sections.Where(s => s.ParentId is not null).ToList(), ct);
        var tags = Enumerable.Range(0, 2_000).Select(i => new Tag { Slug = $"tag-{i}", Name = corpus.Phrase(1, 2) }).ToList();
        await db.Insert(tags, ct);
        var authors = Enumerable.Range(0, 200).Select(i => new Author { Slug = $"author-{i}", Name = corpus.Phrase(1, 1) }).ToList();
        await db.Insert(authors, ct);

        var published = new List<(Guid Id, Guid SectionId, DateTimeOffset At)>();
        var clock = Stopwatch.StartNew();
        long bytes = 0;
        for (var start = 0; start < articles; start += Batch)
        {
            var rows = new List<Article>();
            var articleTags = new List<ArticleTag>();
            var articleAuthors = new List<ArticleAuthor>();
            for (var n = start; n < Math.Min(articles, start + Batch); n++)
            {
                var article = Article(n, sections[random.Next(sections.Count)], random);
                rows.Add(article);
                bytes += System.Text.Encoding.UTF8.GetByteCount(article.BodyText);
                if (article.Status == ArticleStatus.Published)
                    published.Add((article.Id, article.SectionId!.Value, article.PublishedAt!.Value));
                // Tags drawn with a skew, so some tags gather thousands of articles and most a few dozen.
                var tagged = Distinct(random.Next(2, 6), () => (int)(tags.Count * Math.Pow(random.NextDouble(), 2)));
                articleTags.AddRange(tagged.Select((t, i) => new ArticleTag { ArticleId = article.Id, TagId = tags[t].Id, Position = i }));
                var bylines = Distinct(random.Next(1, 3), () => random.Next(authors.Count));
                articleAuthors.AddRange(bylines.Select((a, i) =>
                    new ArticleAuthor { ArticleId = article.Id, AuthorId = authors[a].Id, Position = i }));
            }
            await db.Insert(rows, ct);
            await db.Insert(articleTags, ct);
            await db.Insert(articleAuthors, ct);
            var done = Math.Min(articles, start + Batch);
            Console.WriteLine($"  articles {done:N0}/{articles:N0} ({done / clock.Elapsed.TotalSeconds:N0}/s, " +
                              $"{bytes / 1024.0 / done:N1} KB of body each)");
        }

        var topics = new List<Topic>();
        var members = new List<TopicArticle>();
        for (var i = 0; i < 200; i++)
        {
            var topic = new Topic
            {
                Slug = $"topic-{i}", Title = corpus.Phrase(2, 4), Description = corpus.Phrase(8, 16) + "。",
                Status = TopicStatus.Published, CreatedAt = now, UpdatedAt = now,
            };
            topics.Add(topic);
            var picks = Distinct(random.Next(20, 201), () => random.Next(published.Count));
            members.AddRange(picks.Select((p, i) => new TopicArticle { TopicId = topic.Id, ArticleId = published[p].Id, Position = i }));
        }
        await db.Insert(topics, ct);
        await db.Insert(members, ct);

        var lists = new List<FeaturedList>();
        var entries = new List<FeaturedListEntry>();
        for (var i = 0; i < 8; i++)
        {
            // Even lists are filled up from a top section's newest articles when their own entries run short.
            var list = new FeaturedList
            {
                Slug = $"featured-{i}", Title = corpus.Phrase(2, 3), SectionId = i % 2 == 0 ? sections[i / 2 * 5].Id : null,
                MaxItems = 20, CreatedAt = now, UpdatedAt = now,
            };
            lists.Add(list);
            var picks = Distinct(i % 2 == 0 ? 12 : 20, () => random.Next(published.Count));
            entries.AddRange(picks.Select((p, position) => new FeaturedListEntry
            {
                ListId = list.Id, ArticleId = published[p].Id, Position = position, Pinned = position < 2, FeaturedAt = published[p].At,
            }));
        }
        await db.Insert(lists, ct);
        await db.Insert(entries, ct);

        string[] tables =
        [
            "articles", "article_tags", "article_authors", "topic_articles", "featured_list_entries",
            "tags", "sections", "topics", "featured_lists",
        ];
        foreach (var table in tables)
            await Db.Sql(dataSource, $"VACUUM (ANALYZE) {table}", ct);
        Console.WriteLine($"loaded in {clock.Elapsed.TotalSeconds:N0}s: {articles:N0} articles, {members.Count:N0} topic members, " +
                          $"{entries.Count} featured entries");
    }

    Article Article(int n, Section section, Random random)
    {
        // 500–1,500 characters, nearly all Han (three bytes each in UTF-8), with a heading every few paragraphs.
        var body = new List<Block>();
        foreach (var (paragraph, i) in corpus.Body(random.Next(460, 1400)).Select((p, i) => (p, i)))
        {
            if (i % 3 == 2)
                body.Add(Block.Heading(corpus.Phrase(2, 4)));
            body.Add(Block.Paragraph(paragraph));
        }
        var at = Epoch.AddMinutes(-random.Next(0, 5 * 365 * 24 * 60));
        var draft = IsDraft(n);
        var id = new byte[16];
        random.NextBytes(id);
        var article = new Article
        {
            Id = new Guid(id), Slug = $"bench-{n}", Title = corpus.Phrase(3, 6), Summary = corpus.Phrase(10, 20) + "。", Byline = "記者",
            SectionId = section.Id, Status = draft ? ArticleStatus.Draft : ArticleStatus.Published,
            PublishedAt = draft ? null : at, FirstPublishedAt = draft ? null : at, CreatedAt = at.AddMinutes(-30), UpdatedAt = at,
        };
        article.SetBody(body);
        return article;
    }

    static List<int> Distinct(int count, Func<int> next)
    {
        var picked = new List<int>();
        var seen = new HashSet<int>();
        while (picked.Count < count)
            if (next() is var value && seen.Add(value))
                picked.Add(value);
        return picked;
    }

    /// <summary>Renders the read model of everything loaded, with the service's own renderer and JSON settings.</summary>
    public static Task<int> RenderReadModel(NewsDbContext db) => Renderer().Rebuild(db, CancellationToken.None);

    /// <summary>The service's renderer with its JSON settings, outside the service.</summary>
    public static ReadModel Renderer()
    {
        var json = new Microsoft.AspNetCore.Http.Json.JsonOptions();
        JsonSetup.Configure(json.SerializerOptions);
        Mapster.TypeAdapterConfig.GlobalSettings.Scan(typeof(ReadModel).Assembly);
        return new ReadModel(Microsoft.Extensions.Options.Options.Create(json), TimeProvider.System);
    }
}
