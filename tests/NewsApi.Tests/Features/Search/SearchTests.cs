using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NewsApi.Content;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;

namespace NewsApi.Tests.Features.Search;

public sealed class SearchTests(ApiFixture fixture) : ApiTest(fixture)
{
    const string Sample = "十年前，一網情深的故事從這座江南水鄉落筆。如今，以烏鎮峰會為契機成立的世界互聯網大會國際組織，" +
                          "已吸引25個國家和地區的近130家互聯網領域的機構加入。5G智慧醫院在桐鄉落地。";

    async Task<Article> Story(string slug, string title, string body, DateTimeOffset? at = null, string? summary = null,
        Func<Builders.ArticleBuilder, Builders.ArticleBuilder>? more = null)
    {
        var builder = Given.Article(slug).Titled(title).WithBody(Block.Paragraph(body)).PublishedAt(at ?? Clock.GetUtcNow().AddHours(-1));
        var article = (more?.Invoke(builder) ?? builder).Build();
        article.Summary = summary;
        article.Dateline = null;
        await Given.Save(article);
        return article;
    }

    /// <summary>Searches once the index has caught up with what the test wrote.</summary>
    async Task<JsonNode> Search(string query, HttpClient? client = null)
    {
        await SearchIndexed();
        return await (await (client ?? Client).GetAsync("/api/v1/search?" + query)).Json();
    }

    async Task<List<string>> Found(string q) => (await Search("q=" + Uri.EscapeDataString(q))).Slugs();

    [Theory]
    [InlineData("烏鎮")]
    [InlineData("互聯網大會")]
    [InlineData("江南水鄉")]
    [InlineData("鎮峰")] // two characters straddling two words
    [InlineData("5G智慧醫院")]
    [InlineData("５ｇ智慧醫院")] // full-width and lower case
    [InlineData("烏鎮 互聯網")] // every term matches
    [InlineData("烏鎮，互聯網。")] // punctuation separates terms like spaces
    public async Task Finds_words_inside_running_Chinese_text(string q)
    {
        await Story("sample", "心向網之", Sample);
        await Story("other", "北京新聞", "今天北京天氣晴朗。");

        Assert.Equal(["sample"], await Found(q));
    }

    [Theory]
    [InlineData("烏鎮")]
    [InlineData("乌镇")]
    [InlineData("互聯網大會")]
    [InlineData("江南水鄉")]
    [InlineData("江南水乡")]
    public async Task Finds_the_sample_story(string q)
    {
        await using (var db = Fixture.NewDbContext())
            await NewsApi.Demo.DemoContent.LoadAsync(db, Clock.GetUtcNow(), CancellationToken.None);

        var item = (await Search("q=" + Uri.EscapeDataString(q)))["items"]![0]!;

        Assert.Equal(NewsApi.Demo.DemoStory.Slug, (string?)item["slug"]);
        Assert.Contains("<mark>", (string?)item["snippet"]);
    }

    [Theory]
    [InlineData("乌镇")]
    [InlineData("互联网")]
    [InlineData("江南水乡")]
    [InlineData("烏镇")] // mixed scripts in one query
    public async Task Simplified_queries_find_Traditional_text(string q)
    {
        await Story("traditional", "心向網之", Sample);

        Assert.Equal(["traditional"], await Found(q));
    }

    [Fact]
    public async Task Traditional_queries_find_Simplified_text()
    {
        await Story("simplified", "心向网之", "以乌镇峰会为契机成立的世界互联网大会国际组织。");

        Assert.Equal(["simplified"], await Found("烏鎮峰會"));
        Assert.Equal(["simplified"], await Found("互聯網"));
    }

    [Theory]
    [InlineData("北京")] // not in the text
    [InlineData("烏鎮 北京")] // one term of two missing
    [InlineData("網大")] // characters adjacent in the query but not in the text (互聯網 大會 is split)
    [InlineData("水鄉落筆如今")] // a phrase across a punctuation mark: the folded text has a separator there
    [InlineData("烏鎮峰")] // both pairs are in the text, never in a row
    public async Task Does_not_find_what_is_not_there(string q)
    {
        await Story("sample", "標題", "互聯網 大會。江南水鄉落筆。如今烏鎮。鎮峰");

        Assert.Empty(await Found(q));
    }

    [Fact]
    public async Task Latin_words_match_whole_and_ignore_case()
    {
        await Story("latin", "World Internet Conference", "The WIC opened in Wuzhen.");

        Assert.Equal(["latin"], await Found("internet"));
        Assert.Equal(["latin"], await Found("WUZHEN wic"));
        Assert.Empty(await Found("inter"));
    }

    [Theory]
    [InlineData("q=a", "q")]
    [InlineData("q=烏鎮%205", "q")]
    [InlineData("q=", "q")]
    [InlineData("", "q")]
    [InlineData("q=%EF%BC%8C%E3%80%82", "q")] // only punctuation
    [InlineData("q=烏鎮&limit=0", "limit")]
    [InlineData("q=烏鎮&from=yesterday", "from")]
    [InlineData("q=烏鎮&cursor=nonsense", "cursor")]
    [InlineData("q=a&limit=500", "q", "limit")]
    public async Task Bad_parameters_are_validation_problems_naming_them(string query, params string[] parameters)
    {
        await (await Client.GetAsync("/api/v1/search?" + query)).Invalid(parameters);
    }

    [Fact]
    public async Task A_one_letter_query_is_refused_with_a_reason()
    {
        var problem = await (await Client.GetAsync("/api/v1/search?q=" + Uri.EscapeDataString("5"))).Invalid("q");

        Assert.Contains("type the whole word", (string?)problem["errors"]!["q"]![0]);
    }

    [Fact]
    public async Task A_one_character_query_finds_title_and_summary_matches_ranked_and_never_a_body_match()
    {
        var now = Clock.GetUtcNow();
        // The body match is the newest and has the character most often, alone between punctuation too.
        await Story("in-body", "新聞一", "香港香港。港，港。", now.AddHours(-1));
        await Story("in-summary", "新聞二", "其他內容。", now.AddHours(-2), summary: "香港會議落幕");
        await Story("old-title", "香港會議", "其他內容。", now.AddDays(-5));
        await Story("new-title", "香港會議", "其他內容。", now.AddDays(-1));

        var page = await Search("q=" + Uri.EscapeDataString("港"));

        Assert.Equal(["new-title", "old-title", "in-summary"], page.Slugs());
        var scores = page["items"]!.AsArray().Select(i => (double)i!["score"]!).ToList();
        Assert.True(scores[0] > scores[1] && scores[1] > scores[2]);
    }

    [Theory]
    [InlineData("滬")]
    [InlineData("沪")]
    public async Task A_one_character_query_folds_Simplified_and_Traditional(string q)
    {
        await Story("traditional", "滬港通十週年", "內容。");
        await Story("simplified", "沪港通十周年", "內容。");
        await Story("other", "深港通", "內容。");

        Assert.Equal(["simplified", "traditional"], (await Found(q)).Order());
    }

    [Fact]
    public async Task A_one_character_term_joins_longer_ones_and_only_they_may_match_the_body()
    {
        await Story("both-in-head", "王先生談烏鎮", "內容。");
        await Story("phrase-in-body", "王先生來訪", "他談到烏鎮峰會。");
        await Story("character-in-body", "烏鎮峰會", "王先生出席。");

        Assert.Equal(["both-in-head", "phrase-in-body"], (await Found("王 烏鎮")).Order());
    }

    [Fact]
    public async Task A_one_character_query_never_shows_what_the_public_may_not_see()
    {
        await Story("visible", "香港", "內容");
        foreach (var status in new[] { ArticleStatus.Draft, ArticleStatus.Scheduled, ArticleStatus.Unpublished, ArticleStatus.Archived, ArticleStatus.Killed })
            await Story("hidden-" + status.ToString().ToLowerInvariant(), "香港", "內容", more: b => b.WithStatus(status));
        await Story("embargoed", "香港", "內容", more: b => b.EmbargoedUntil(Clock.GetUtcNow().AddHours(1)));

        Assert.Equal(["visible"], await Found("港"));
    }

    [Fact]
    public async Task A_one_character_hit_marks_the_character_in_its_title_and_summary_not_its_body()
    {
        await Story("hk", "<b>香港</b>新聞", "港口的消息。", summary: "滬港通開通");

        var item = (await Search("q=" + Uri.EscapeDataString("港")))["items"]![0]!;

        Assert.Equal("&lt;b&gt;香<mark>港</mark>&lt;/b&gt;新聞", (string?)item["titleHtml"]);
        Assert.Equal("滬<mark>港</mark>通開通", (string?)item["snippet"]);
        Assert.Equal(["title", "summary"], item["matched"]!.AsArray().Select(m => (string)m!).ToList());
    }

    [Fact]
    public async Task A_title_match_ranks_above_a_summary_match_above_a_body_match()
    {
        var now = Clock.GetUtcNow();
        // The body match is the newest and mentions the term most often; relevance still wins at this distance.
        await Story("in-body", "新聞一", "烏鎮烏鎮烏鎮烏鎮烏鎮烏鎮。", now.AddHours(-1));
        await Story("in-summary", "新聞二", "其他內容。", now.AddHours(-2), summary: "烏鎮峰會落幕");
        await Story("in-title", "烏鎮峰會", "其他內容。", now.AddHours(-3));

        var page = await Search("q=" + Uri.EscapeDataString("乌镇"));

        Assert.Equal(["in-title", "in-summary", "in-body"], page.Slugs());
        var scores = page["items"]!.AsArray().Select(i => (double)i!["score"]!).ToList();
        Assert.True(scores[0] > scores[1] && scores[1] > scores[2]);
    }

    [Fact]
    public async Task At_equal_relevance_fresher_articles_come_first()
    {
        var now = Clock.GetUtcNow();
        await Story("old", "烏鎮峰會", "內容。", now.AddDays(-20));
        await Story("new", "烏鎮峰會", "內容。", now.AddDays(-1));
        await Story("middle", "烏鎮峰會", "內容。", now.AddDays(-5));

        Assert.Equal(["new", "middle", "old"], await Found("烏鎮"));
    }

    [Fact]
    public async Task Much_fresher_body_matches_overtake_old_title_matches()
    {
        var now = Clock.GetUtcNow();
        await Story("old-title", "烏鎮峰會", "內容。", now.AddDays(-365));
        await Story("new-body", "新聞", "烏鎮峰會落幕。", now.AddDays(-1));

        Assert.Equal(["new-body", "old-title"], await Found("烏鎮"));
    }

    [Fact]
    public async Task Results_carry_an_escaped_snippet_with_marks_and_the_fields_that_matched()
    {
        await Story("html", "<i>乌镇</i>峰會", "開頭。<script>alert('烏鎮')</script> & 更多內容 \"引號\"", summary: "沒有");

        var item = (await Search("q=" + Uri.EscapeDataString("烏鎮")))["items"]![0]!;

        Assert.Equal("開頭。&lt;script&gt;alert(&#39;<mark>烏鎮</mark>&#39;)&lt;/script&gt; &amp; 更多內容 &quot;引號&quot;", (string?)item["snippet"]);
        Assert.Equal("&lt;i&gt;<mark>乌镇</mark>&lt;/i&gt;峰會", (string?)item["titleHtml"]);
        Assert.Equal(["title", "body"], item["matched"]!.AsArray().Select(m => (string)m!).ToList());
        Assert.Equal("<i>乌镇</i>峰會", (string?)item["title"]);
        Assert.Null(item["body"]);
    }

    [Fact]
    public async Task A_hit_carries_the_article_as_lists_show_it()
    {
        var story = Given.Article("listed").Titled("烏鎮峰會").WithBody(Block.Paragraph("開幕。")).PublishedAt(Clock.GetUtcNow().AddHours(-1)).Build();
        story.Summary = "摘要";
        story.Dateline = new Dateline("中新網", "烏鎮", new DateOnly(2023, 11, 11), "中新網烏鎮11月11日電");
        await Given.Save(story);

        var item = (await Search("q=" + Uri.EscapeDataString("烏鎮")))["items"]![0]!;

        Assert.Equal(story.Id, (Guid)item["id"]!);
        Assert.Equal("listed", (string?)item["slug"]);
        Assert.Equal("摘要", (string?)item["summary"]);
        Assert.Equal(story.Language, (string?)item["language"]);
        Assert.Equal(story.PublishedAt, (DateTimeOffset?)item["publishedAt"]);
        Assert.Equal("烏鎮", (string?)item["dateline"]!["place"]);
    }

    [Fact]
    public async Task A_match_only_in_the_title_gives_a_snippet_of_the_body_start()
    {
        await Story("title-only", "烏鎮峰會", "今年的大會如期舉行。");

        var item = (await Search("q=" + Uri.EscapeDataString("烏鎮")))["items"]![0]!;

        Assert.Equal("今年的大會如期舉行。", (string?)item["snippet"]);
        Assert.Equal(["title"], item["matched"]!.AsArray().Select(m => (string)m!).ToList());
    }

    [Fact]
    public async Task Filters_narrow_the_results_like_the_article_list()
    {
        var domestic = await Given.Section("domestic", "國內");
        var zhejiang = await Given.Section("zhejiang", "浙江", parent: domestic);
        var world = await Given.Section("world", "國際");
        var tag = await Given.Tag("wuzhen", "烏鎮");
        var author = await Given.Author("zhang-yuhuan", "張煜歡");
        var day = new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);
        var inZhejiang = await Story("in-zhejiang", "烏鎮", "內容", day.AddHours(3), more: b => b.In(zhejiang).Tagged(tag));
        await Story("in-world", "烏鎮", "內容", day.AddDays(-3), more: b => b.In(world).By(author));
        await Story("no-section", "烏鎮", "內容", day.AddDays(2));
        await Given.Topic("summit", "烏鎮峰會", TopicStatus.Published, inZhejiang);

        Assert.Equal(["in-zhejiang"], (await Search("q=烏鎮&section=domestic")).Slugs());
        Assert.Equal(["in-zhejiang"], (await Search("q=烏鎮&tag=wuzhen")).Slugs());
        Assert.Equal(["in-zhejiang"], (await Search("q=烏鎮&topic=summit")).Slugs());
        Assert.Equal(["in-world"], (await Search("q=烏鎮&author=zhang-yuhuan")).Slugs());
        Assert.Equal(["in-zhejiang"], (await Search("q=烏鎮&from=2026-02-01&to=2026-02-02")).Slugs());
        await (await Client.GetAsync("/api/v1/search?q=烏鎮&section=nowhere")).Invalid("section");

        // The same filters hold in a status search, which reads the articles themselves.
        await Story("draft-in-zhejiang", "烏鎮", "內容", day.AddHours(5), more: b => b.In(zhejiang).Tagged(tag).WithStatus(ArticleStatus.Draft));
        using var editor = await As(Role.Editor);
        async Task<List<string>> AsEditor(string query) => (await Search(query, editor)).Slugs();
        Assert.Equal(["draft-in-zhejiang", "in-zhejiang"], await AsEditor("q=烏鎮&status=draft,published&section=domestic"));
        Assert.Equal(["draft-in-zhejiang"], await AsEditor("q=烏鎮&status=draft&tag=wuzhen&from=2026-02-01&to=2026-02-02"));
    }

    [Fact]
    public async Task Pages_follow_the_cursor_through_every_result_once()
    {
        var now = Clock.GetUtcNow();
        for (var i = 0; i < 7; i++)
            await Story($"s{i}", i % 2 == 0 ? "烏鎮峰會" : "新聞", "烏鎮的消息。", now.AddHours(-i));
        var all = await Found("烏鎮");

        var seen = new List<string>();
        string? url = "/api/v1/search?q=" + Uri.EscapeDataString("烏鎮") + "&limit=3";
        while (url is not null)
        {
            var response = await Client.GetAsync(url);
            var page = await response.Json();
            seen.AddRange(page.Slugs());
            var cursor = (string?)page["nextCursor"];
            if (cursor is not null)
                Assert.Contains("rel=\"next\"", response.Headers.GetValues("Link").Single());
            url = cursor is null ? null : "/api/v1/search?q=" + Uri.EscapeDataString("烏鎮") + "&limit=3&cursor=" + cursor;
        }

        Assert.Equal(7, all.Count);
        Assert.Equal(all, seen);
        Assert.Equal(["s0", "s2", "s4", "s6"], all.Take(4)); // title matches first, each tier newest first
    }

    [Fact]
    public async Task A_cursor_is_valid_only_for_its_own_query()
    {
        for (var i = 0; i < 3; i++)
            await Story($"s{i}", "烏鎮峰會", "內容。");
        var cursor = (string?)(await Search("q=烏鎮&limit=1"))["nextCursor"];

        await (await Client.GetAsync("/api/v1/search?q=峰會&limit=1&cursor=" + cursor)).Invalid("cursor");
    }

    [Theory]
    [InlineData(nameof(ArticleStatus.Draft))]
    [InlineData(nameof(ArticleStatus.Scheduled))]
    [InlineData(nameof(ArticleStatus.Unpublished))]
    [InlineData(nameof(ArticleStatus.Archived))]
    [InlineData(nameof(ArticleStatus.Killed))]
    public async Task Anonymous_search_sees_only_published_articles(string name)
    {
        var status = Enum.Parse<ArticleStatus>(name);
        await Story("visible", "烏鎮", "內容");
        await Story("hidden", "烏鎮", "內容", more: b => b.WithStatus(status));

        Assert.Equal(["visible"], await Found("烏鎮"));
    }

    [Fact]
    public async Task Previewers_and_editors_search_by_status()
    {
        await Story("published", "烏鎮", "內容", at: Clock.GetUtcNow().AddDays(-2));
        await Story("draft", "烏鎮", "內容", more: b => b.WithStatus(ArticleStatus.Draft));
        await Story("archived", "烏鎮", "內容", more: b => b.WithStatus(ArticleStatus.Archived));
        await Story("killed", "烏鎮", "內容", more: b => b.WithStatus(ArticleStatus.Killed));

        using var previewer = await As(Role.Previewer);
        await SearchIndexed();
        var drafts = await previewer.GetAsync("/api/v1/search?q=" + Uri.EscapeDataString("乌镇") + "&status=draft");
        Assert.Equal(["draft"], (await drafts.Json()).Slugs());
        Assert.True(drafts.Headers.CacheControl is { Private: true, NoStore: true }, "what a key sees must never be cached publicly");

        using var editor = await As(Role.Editor);
        var all = (await (await editor.GetAsync("/api/v1/search?q=" + Uri.EscapeDataString("烏鎮") + "&status=published,draft,archived")).Json()).Slugs();
        Assert.Equal(["archived", "draft", "published"], all.Order());
    }

    [Fact]
    public async Task Status_search_pages_by_last_change_for_drafts()
    {
        for (var i = 0; i < 5; i++)
        {
            var draft = await Story($"draft-{i}", "烏鎮", "內容", more: b => b.WithStatus(ArticleStatus.Draft));
            await using var db = Fixture.NewDbContext();
            await db.Articles.Where(a => a.Id == draft.Id).ExecuteUpdateAsync(u => u
                .SetProperty(a => a.UpdatedAt, Clock.GetUtcNow().AddMinutes(i)).SetProperty(a => a.PublishedAt, (DateTimeOffset?)null));
        }

        using var previewer = await As(Role.Previewer);
        var seen = new List<string>();
        await SearchIndexed();
        string? url = "/api/v1/search?q=" + Uri.EscapeDataString("烏鎮") + "&status=draft&limit=2";
        while (url is not null)
        {
            var page = await (await previewer.GetAsync(url)).Json();
            seen.AddRange(page.Slugs());
            url = (string?)page["nextCursor"] is { } next ? url.Split("&cursor=")[0] + "&cursor=" + next : null;
        }
        Assert.Equal(["draft-4", "draft-3", "draft-2", "draft-1", "draft-0"], seen);
    }

    [Theory]
    [InlineData(null, "status=draft")] // anonymous
    [InlineData(nameof(Role.Previewer), "status=killed")] // gone for everyone
    [InlineData(nameof(Role.Previewer), "status=drafts")]
    public async Task Status_search_is_for_keys_and_known_statuses(string? role, string status)
    {
        using var client = role is { } r ? await As(Enum.Parse<Role>(r)) : null;
        await (await (client ?? Client).GetAsync("/api/v1/search?q=" + Uri.EscapeDataString("烏鎮") + "&" + status)).Invalid("status");
    }

    [Fact]
    public async Task An_embargoed_article_is_found_once_its_embargo_ends()
    {
        await Story("embargoed", "烏鎮", "內容", more: b => b.EmbargoedUntil(Clock.GetUtcNow().AddHours(1)));

        Assert.Empty(await Found("烏鎮"));
        Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(["embargoed"], await Found("烏鎮"));
    }

    [Fact]
    public async Task The_index_knows_the_month_an_article_was_published_in_and_follows_it()
    {
        var publishedAt = new DateTimeOffset(2026, 11, 1, 2, 0, 0, TimeSpan.Zero); // still October in the Americas: months are UTC
        var story = await Story("story", "烏鎮峰會", "開幕。", at: publishedAt);
        Assert.Equal(["month:2026-11"], await Months(story.Id));

        await Republish(story.Id, ArticleStatus.Unpublished, publishedAt);
        Assert.Empty(await Months(story.Id));

        var later = publishedAt.AddDays(75);
        await Republish(story.Id, ArticleStatus.Published, later);
        Assert.Equal(["month:2027-01"], await Months(story.Id));

        // A new text brings new vectors from the service; the month stays.
        await using (var db = Fixture.NewDbContext())
        {
            var tracked = await db.Articles.SingleAsync(a => a.Id == story.Id);
            tracked.Title = "杭州亞運";
            await db.SaveChangesAsync();
        }
        Assert.Equal(["month:2027-01"], await Months(story.Id));
        Clock.AdjustTime(later.AddHours(1));
        Assert.Equal(["story"], await Found("杭州"));
    }

    async Task Republish(Guid id, ArticleStatus status, DateTimeOffset at)
    {
        await using var db = Fixture.NewDbContext();
        var tracked = await db.Articles.SingleAsync(a => a.Id == id);
        tracked.Status = status;
        tracked.PublishedAt = at;
        await db.SaveChangesAsync();
    }

    async Task<List<string>> Months(Guid id)
    {
        await SearchIndexed();
        await using var db = Fixture.NewDbContext();
        return await db.Database.SqlQuery<string>(
                $"SELECT word AS \"Value\" FROM article_search_documents, unnest(document) u(word) WHERE article_id = {id} AND word LIKE 'month:%'")
            .ToListAsync();
    }

    [Fact]
    public async Task The_index_follows_edits_unpublishing_kills_deletes_and_imports()
    {
        var story = await Story("story", "烏鎮峰會", "開幕。");
        var killed = await Story("killed", "烏鎮", "內容");
        var deleted = await Story("deleted", "烏鎮", "內容");

        await using (var db = Fixture.NewDbContext())
        {
            var tracked = await db.Articles.SingleAsync(a => a.Id == story.Id);
            tracked.Title = "杭州亞運";
            tracked.SetBody([Block.Paragraph("江南水鄉迎來賓客。")]);
            var kill = await db.Articles.SingleAsync(a => a.Id == killed.Id);
            kill.Status = ArticleStatus.Killed;
            db.Articles.Remove(await db.Articles.SingleAsync(a => a.Id == deleted.Id));
            await db.SaveChangesAsync();
        }
        Assert.Empty(await Found("烏鎮"));
        Assert.Equal(["story"], await Found("杭州"));
        Assert.Equal(["story"], await Found("江南水乡"));

        // An article attached and marked modified as a whole (how an upsert by id may write) is reindexed too.
        await using (var db = Fixture.NewDbContext())
        {
            var detached = await db.Articles.AsNoTracking().SingleAsync(a => a.Id == story.Id);
            detached.Title = "桐鄉新聞";
            db.Update(detached);
            await db.SaveChangesAsync();
        }
        Assert.Empty(await Found("杭州"));
        Assert.Equal(["story"], await Found("桐鄉"));

        await using (var db = Fixture.NewDbContext())
        {
            var tracked = await db.Articles.SingleAsync(a => a.Id == story.Id);
            tracked.Status = ArticleStatus.Unpublished;
            await db.SaveChangesAsync();
        }
        Assert.Empty(await Found("桐鄉"));

        // A bulk import adds many articles in one SaveChanges.
        await using (var db = Fixture.NewDbContext())
        {
            db.Articles.AddRange(Enumerable.Range(0, 30).Select(i =>
                Given.Article($"imported-{i}").Titled($"進口第{i}條").WithBody(Block.Paragraph("博覽會開幕。")).Build()));
            await db.SaveChangesAsync();
        }
        Assert.Equal(30, (await Search("q=" + Uri.EscapeDataString("博览会") + "&limit=100"))["items"]!.AsArray().Count);
        await using (var db = Fixture.NewDbContext())
            Assert.Equal(await db.Articles.CountAsync(), await db.Set<NewsApi.Search.ArticleSearchDocument>().CountAsync());
    }

    [Fact]
    public async Task Searches_take_turns_and_one_that_cannot_wait_is_told_when_to_come_back()
    {
        await Story("sample", "心向網之", Sample);
        await SearchIndexed();
        // No backfill in this host: started in the background, it would wait on the lock below too, and be taken for
        // the first search (the second then took the only turn and waited with it).
        await using var narrow = Fixture.Factory.WithWebHostBuilder(b => b.UseSetting("Search:MaxConcurrent", "1").UseSetting("Search:MaxQueued", "0")
            .UseSetting("Search:BackfillOnStart", "false"));
        using var client = narrow.CreateClient();

        // A lock on the search rows holds the first search inside the database, its turn taken.
        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var lockRows = new NpgsqlCommand("LOCK TABLE article_search_documents IN ACCESS EXCLUSIVE MODE", connection, transaction))
            await lockRows.ExecuteNonQueryAsync();
        var first = client.GetAsync("/api/v1/search?q=" + Uri.EscapeDataString("烏鎮"));
        await using (var waiting = new NpgsqlCommand(
            "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'article_search_documents'::regclass", connection, transaction))
            for (var tries = 0; (long)(await waiting.ExecuteScalarAsync())! == 0; tries++)
            {
                Assert.True(tries < 200, "The first search never reached the database.");
                await Task.Delay(50);
            }

        var second = await client.GetAsync("/api/v1/search?q=" + Uri.EscapeDataString("江南"));

        await second.Problem(HttpStatusCode.ServiceUnavailable, "urn:newsapi:problem:unavailable");
        Assert.Equal(TimeSpan.FromSeconds(1), second.Headers.RetryAfter?.Delta);
        Assert.True(second.Headers.CacheControl?.NoStore, "A CDN must not keep the busy answer.");
        await transaction.RollbackAsync();
        Assert.Equal(["sample"], (await (await first).Json()).Slugs());
        Assert.Equal(["sample"], (await (await client.GetAsync("/api/v1/search?q=" + Uri.EscapeDataString("江南"))).Json()).Slugs());
    }
}
