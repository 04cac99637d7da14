using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NewsApi.Content;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Import.ImportTestData;

namespace NewsApi.Tests.Import;

/// <summary>
/// New articles are written with COPY, outside SaveChanges: they must still get everything a save would give them,
/// and survive other requests writing the same stories at the same time.
/// </summary>
public sealed class CopiedArticlesTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task A_created_article_gets_the_events_cache_tags_and_search_vectors_a_save_would_give_it()
    {
        using var editor = await As(Role.Editor);
        await Given.Section("domestic");
        await Given.Tag("wuzhen");
        await Given.Author("zhang-yuhuan");
        await Given.Topic("2023-wuzhen-summit", "2023烏鎮峰會");
        long lastEvent, lastInvalidation;
        await using (var before = Fixture.NewDbContext())
        {
            lastEvent = await before.OutboxEvents.MaxAsync(e => e.Id);
            lastInvalidation = await before.CacheInvalidations.MaxAsync(i => i.Id);
        }
        var (_, results, _) = await editor.Import(Body(Ndjson(new
        {
            externalId = "copied-1", title = "烏鎮峰會閉幕", subtitle = "聚焦發展", summary = "世界互聯網大會落幕。", section = "domestic",
            tags = new[] { "wuzhen" }, authors = new[] { "zhang-yuhuan" }, topics = new[] { "2023-wuzhen-summit" }, status = "published",
            dateline = new { agency = "中新網", place = "烏鎮", date = "2023-11-11", text = "中新網烏鎮11月11日電" },
            body = new object[] { new { type = "paragraph", text = "2023年世界互聯網大會烏鎮峰會正式落下帷幕。" }, new { type = "heading", text = "共享普惠", level = 2 } },
        })));
        var id = Guid.Parse((string)results[0]["id"]!);

        // The reference: the same article added through SaveChanges, where the interceptors run.
        await using var db = Fixture.NewDbContext();
        var imported = await db.Articles.AsNoTracking().Include(a => a.Tags).Include(a => a.Authors).Include(a => a.Topics).SingleAsync(a => a.Id == id);
        var saved = new Article
        {
            Slug = "saved-through-ef", ExternalId = "saved-1", Title = imported.Title, Subtitle = imported.Subtitle, Summary = imported.Summary,
            Dateline = imported.Dateline, SectionId = imported.SectionId, Status = imported.Status, PublishedAt = imported.PublishedAt,
            FirstPublishedAt = imported.FirstPublishedAt, CreatedAt = imported.CreatedAt, UpdatedAt = imported.UpdatedAt,
        };
        saved.SetBody(imported.Body);
        saved.Tags = imported.Tags.Select(t => new ArticleTag { TagId = t.TagId, Position = t.Position }).ToList();
        saved.Authors = imported.Authors.Select(a => new ArticleAuthor { AuthorId = a.AuthorId, Position = a.Position }).ToList();
        saved.Topics = imported.Topics.Select(m => new TopicArticle { TopicId = m.TopicId, Position = m.Position + 1 }).ToList();
        db.Articles.Add(saved);
        await db.SaveChangesAsync();

        var events = await db.OutboxEvents.AsNoTracking().Where(e => e.Id > lastEvent).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(4, events.Count);
        Assert.Equal(["article.published", "topic.changed"], events[..2].Select(e => e.Type).Order());
        Assert.Equal(Neutral(events[..2], imported), Neutral(events[2..], saved));

        var invalidations = await db.CacheInvalidations.AsNoTracking().Where(i => i.Id > lastInvalidation).OrderBy(i => i.Id).Select(i => i.Tags).ToListAsync();
        Assert.Equal(2, invalidations.Count);
        Assert.Equal(Neutral(invalidations[0], imported), Neutral(invalidations[1], saved));
        Assert.Contains($"article:{id}", invalidations[0]);

        await SearchIndexed();
        var vectors = await db.Database.SqlQueryRaw<string>(
                "SELECT document::text || ' / ' || head::text AS \"Value\" FROM article_search_documents ORDER BY article_id = {0}", saved.Id)
            .ToListAsync();
        Assert.Equal(2, vectors.Count);
        Assert.Equal(vectors[1], vectors[0]);
        Assert.Contains(NewsApi.Search.SearchDocument.Quote(NewsApi.Search.SearchTokenizer.Tokens("峰會")[0]) + ":", vectors[0]);
    }

    [Fact]
    public async Task A_batch_that_updates_and_creates_into_one_topic_announces_the_topic_once()
    {
        using var editor = await As(Role.Editor);
        await Given.Topic("2023-wuzhen-summit", "2023烏鎮峰會");
        await editor.Import(Body(Ndjson(new { externalId = "old-1", title = "烏鎮峰會開幕", status = "published" })));
        long lastEvent, lastInvalidation;
        await using (var before = Fixture.NewDbContext())
        {
            lastEvent = await before.OutboxEvents.MaxAsync(e => e.Id);
            lastInvalidation = await before.CacheInvalidations.MaxAsync(i => i.Id);
        }

        var (_, results, _) = await editor.Import(Body(Ndjson(
            new { externalId = "old-1", title = "烏鎮峰會開幕", status = "published", topics = new[] { "2023-wuzhen-summit" } },
            new { externalId = "new-1", title = "烏鎮峰會閉幕", status = "published", topics = new[] { "2023-wuzhen-summit" } })));

        Assert.Equal(["updated", "created"], results.Select(r => (string)r["outcome"]!));
        await using var db = Fixture.NewDbContext();
        var events = await db.OutboxEvents.AsNoTracking().Where(e => e.Id > lastEvent).Select(e => e.Type + " " + e.Subject).ToListAsync();
        Assert.Single(events, e => e == "topic.changed topic:2023-wuzhen-summit");
        Assert.Contains(events, e => e.StartsWith("article.updated ", StringComparison.Ordinal));
        Assert.Contains(events, e => e.StartsWith("article.published ", StringComparison.Ordinal));
        Assert.Equal(1, await db.CacheInvalidations.CountAsync(i => i.Id > lastInvalidation));
    }

    [Fact]
    public async Task Every_member_of_a_created_item_reads_back_and_is_in_its_first_revision()
    {
        using var editor = await As(Role.Editor);
        var publishAt = ApiFixture.Now.AddDays(2);
        var (_, results, _) = await editor.Import(Body(Ndjson(new
        {
            externalId = "full-1", title = "烏鎮峰會閉幕", slug = "wuzhen-closes", subtitle = "副題", summary = "摘要。", byline = "張煜歡",
            source = "中國新聞網", language = "zh-Hans", section = "domestic", tags = new[] { "wuzhen", "summit" }, authors = new[] { "zhang-yuhuan" },
            coverImage = new { url = "https://example.com/a.jpg", caption = "會場", width = 800, height = 600 },
            embargoUntil = ApiFixture.Now.AddDays(1), corrections = new[] { new { at = ApiFixture.Now.AddHours(-1), text = "更正日期。" } },
            dateline = new { agency = "中新網", place = "烏鎮", date = "2023-11-11", text = "中新網烏鎮11月11日電" },
            body = new object[]
            {
                new { type = "paragraph", text = "第一段。" }, new { type = "heading", text = "小標", level = 2 },
                new { type = "list", ordered = true, items = new[] { "一", "二" } }, new { type = "quote", text = "引文", cite = "某人" },
            },
            status = "scheduled", publishAt,
        })), "?createMissing=true");
        var id = (string)results[0]["id"]!;

        var article = await (await editor.GetAsync($"/api/v1/articles/{id}")).Json();
        Assert.Equal(("wuzhen-closes", "full-1", "scheduled", "zh-Hans"),
            ((string?)article["slug"], (string?)article["externalId"], (string?)article["status"], (string?)article["language"]));
        Assert.Equal(("副題", "摘要。", "張煜歡", "中國新聞網"),
            ((string?)article["subtitle"], (string?)article["summary"], (string?)article["byline"], (string?)article["source"]));
        Assert.Equal(publishAt, (DateTimeOffset)article["publishAt"]!);
        Assert.Equal(ApiFixture.Now.AddDays(1), (DateTimeOffset)article["embargoUntil"]!);
        Assert.Equal("會場", (string?)article["coverImage"]!["caption"]);
        Assert.Equal("更正日期。", (string?)article["corrections"]![0]!["text"]);
        Assert.Equal("烏鎮", (string?)article["dateline"]!["place"]);
        Assert.Equal(["paragraph", "heading", "list", "quote"], article["body"]!.AsArray().Select(b => (string)b!["type"]!));
        Assert.Equal(["wuzhen", "summit"], article["tags"]!.AsArray().Select(t => (string)(t!["slug"] ?? t)!));

        await using var db = Fixture.NewDbContext();
        var stored = await db.Articles.AsNoTracking().SingleAsync();
        Assert.Equal(ChineseText.CountCharacters(BodyRenderer.Text(stored.Body)), stored.CharCount);
        Assert.Contains("引文", stored.BodyText);
        var revision = await db.ArticleRevisions.AsNoTracking().SingleAsync();
        Assert.Equal((1, "created"), (revision.Number, revision.Action));
        Assert.Equal(["wuzhen", "summit"], revision.Snapshot.Tags);
        Assert.Equal(["zhang-yuhuan"], revision.Snapshot.Authors);
        // The body is stored once: the first revision shares the article's.
        Assert.Null(revision.Snapshot.Body);
        Assert.Equal(JsonSerializer.Serialize(stored.Body), JsonSerializer.Serialize(revision.Content(stored.Body).Body));
        Assert.Contains("publishAt", revision.Fields);
    }

    [Theory]
    [InlineData("")]
    [InlineData("&atomic=true")]
    public async Task Two_imports_of_the_same_stories_at_once_create_each_story_once(string query)
    {
        using var first = await As(Role.Editor);
        using var second = await As(Role.Editor);
        // Two batches, the same generated slugs, and a tag both want to create.
        var body = Ndjson(Enumerable.Range(1, 300).Select(i => Story($"race-{i:D3}", title: $"同時匯入 {i}", tags: ["race"])).ToArray());

        var imports = await Task.WhenAll(first.Import(Body(body), "?createMissing=true" + query), second.Import(Body(body), "?createMissing=true" + query));

        foreach (var (_, _, summary) in imports)
        {
            Assert.Null((string?)summary!["stopped"]);
            Assert.True((bool)summary["committed"]!);
        }
        var outcomes = imports[0].Results.Zip(imports[1].Results, (a, b) => new[] { a.Outcome(), b.Outcome() }.Order().ToArray()).ToList();
        Assert.All(outcomes, pair => Assert.Equal(["created", "unchanged"], pair));
        await using var db = Fixture.NewDbContext();
        Assert.Equal(300, await db.Articles.CountAsync());
        Assert.Equal(300, await db.ArticleRevisions.CountAsync());
        Assert.Equal(300, await db.ArticleTags.CountAsync());
        Assert.Equal(1, await db.Tags.CountAsync());
        await SearchIndexed();
        Assert.Equal(300, await db.Database.SqlQueryRaw<int>("SELECT count(*)::int AS \"Value\" FROM article_search_documents").SingleAsync());
    }

    /// <summary>Events or cache tags with the article's own id and slug taken out, to compare two articles.</summary>
    static List<string> Neutral(IEnumerable<OutboxEvent> events, Article article) =>
        Neutral(events.Select(e => $"{e.Type} {e.Subject} {e.Data.ToJsonString()}"), article);

    static List<string> Neutral(IEnumerable<string> texts, Article article) =>
        texts.Select(t => t.Replace(article.Id.ToString(), "<id>").Replace(article.Slug, "<slug>")).Order().ToList();
}
