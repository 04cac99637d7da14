using System.Net;
using System.Text.Json.Nodes;
using NewsApi.Content;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;

namespace NewsApi.Tests.Features.Articles;

public sealed class ListArticlesTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Lists_published_articles_newest_first()
    {
        var now = Clock.GetUtcNow();
        await Given.Article("older").PublishedAt(now.AddHours(-3)).Save();
        await Given.Article("newest").PublishedAt(now.AddHours(-1)).Save();
        await Given.Article("middle").PublishedAt(now.AddHours(-2)).Save();

        var page = await (await Client.GetAsync("/api/v1/articles")).Json();

        Assert.Equal(["newest", "middle", "older"], page.Slugs());
        Assert.Null(page["nextCursor"]);
        var item = page["items"]![0]!;
        Assert.Equal("中新網", (string?)item["dateline"]!["agency"]);
        Assert.Equal("published", (string?)item["status"]);
        Assert.Null(item["body"]);
    }

    [Theory]
    [InlineData(nameof(ArticleStatus.Draft))]
    [InlineData(nameof(ArticleStatus.Scheduled))]
    [InlineData(nameof(ArticleStatus.Unpublished))]
    [InlineData(nameof(ArticleStatus.Archived))]
    [InlineData(nameof(ArticleStatus.Killed))]
    public async Task Unpublished_articles_never_appear(string name)
    {
        var status = Enum.Parse<ArticleStatus>(name);
        await Given.Article("visible").Save();
        await Given.Article("hidden").WithStatus(status).Save();

        var page = await (await Client.GetAsync("/api/v1/articles")).Json();

        Assert.Equal(["visible"], page.Slugs());
    }

    [Fact]
    public async Task An_embargoed_article_appears_when_its_embargo_ends()
    {
        await Given.Article("embargoed").EmbargoedUntil(Clock.GetUtcNow().AddHours(1)).Save();

        Assert.Empty((await (await Client.GetAsync("/api/v1/articles")).Json()).Slugs());
        Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(["embargoed"], (await (await Client.GetAsync("/api/v1/articles")).Json()).Slugs());
    }

    [Fact]
    public async Task Section_filter_includes_sub_sections()
    {
        var domestic = await Given.Section("domestic", "國內");
        var zhejiang = await Given.Section("zhejiang", "浙江", parent: domestic);
        var wuzhen = await Given.Section("wuzhen", "烏鎮", parent: zhejiang);
        var world = await Given.Section("world", "國際");
        var now = Clock.GetUtcNow();
        await Given.Article("in-domestic").In(domestic).PublishedAt(now.AddMinutes(-3)).Save();
        await Given.Article("in-zhejiang").In(zhejiang).PublishedAt(now.AddMinutes(-2)).Save();
        await Given.Article("in-wuzhen").In(wuzhen).PublishedAt(now.AddMinutes(-1)).Save();
        await Given.Article("in-world").In(world).Save();

        Assert.Equal(["in-wuzhen", "in-zhejiang", "in-domestic"], (await (await Client.GetAsync("/api/v1/articles?section=domestic")).Json()).Slugs());
        Assert.Equal(["in-wuzhen", "in-zhejiang"], (await (await Client.GetAsync("/api/v1/articles?section=zhejiang")).Json()).Slugs());
    }

    [Fact]
    public async Task Topic_tag_and_author_filters_narrow_the_list()
    {
        var tag = await Given.Tag("wuzhen", "烏鎮");
        var author = await Given.Author("zhang-yuhuan", "張煜歡");
        var tagged = await Given.Article("tagged").Tagged(tag).Save();
        await Given.Article("by-author").By(author).Save();
        await Given.Article("other").Save();
        await Given.Topic("summit", "烏鎮峰會", TopicStatus.Published, tagged);

        Assert.Equal(["tagged"], (await (await Client.GetAsync("/api/v1/articles?tag=wuzhen")).Json()).Slugs());
        Assert.Equal(["by-author"], (await (await Client.GetAsync("/api/v1/articles?author=zhang-yuhuan")).Json()).Slugs());
        Assert.Equal(["tagged"], (await (await Client.GetAsync("/api/v1/articles?topic=summit")).Json()).Slugs());
    }

    [Theory]
    [InlineData("section=nowhere", "section")]
    [InlineData("tag=nowhere", "tag")]
    [InlineData("author=nobody", "author")]
    [InlineData("topic=nothing", "topic")]
    public async Task An_unknown_filter_slug_is_a_validation_problem(string query, string parameter)
    {
        await (await Client.GetAsync($"/api/v1/articles?{query}")).Invalid(parameter);
    }

    [Fact]
    public async Task From_is_inclusive_and_to_is_exclusive()
    {
        var day = new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);
        await Given.Article("before").PublishedAt(day.AddSeconds(-1)).Save();
        await Given.Article("at-start").PublishedAt(day).Save();
        await Given.Article("inside").PublishedAt(day.AddHours(12)).Save();
        await Given.Article("at-end").PublishedAt(day.AddDays(1)).Save();

        var page = await (await Client.GetAsync("/api/v1/articles?from=2026-02-01&to=2026-02-02T00:00:00Z")).Json();
        Assert.Equal(["inside", "at-start"], page.Slugs());

        // A '+' offset sent unencoded arrives as a space and is still understood.
        var beijing = await (await Client.GetAsync("/api/v1/articles?from=2026-02-01T20:00:00+08:00")).Json();
        Assert.Equal(["at-end", "inside"], beijing.Slugs());
    }

    [Fact]
    public async Task Sorts_oldest_first_or_by_last_update()
    {
        var now = Clock.GetUtcNow();
        await Given.Article("a").PublishedAt(now.AddHours(-3)).UpdatedAt(now.AddMinutes(-1)).Save();
        await Given.Article("b").PublishedAt(now.AddHours(-2)).Save();
        await Given.Article("c").PublishedAt(now.AddHours(-1)).Save();

        Assert.Equal(["a", "b", "c"], (await (await Client.GetAsync("/api/v1/articles?sort=publishedAt")).Json()).Slugs());
        Assert.Equal(["a", "c", "b"], (await (await Client.GetAsync("/api/v1/articles?sort=-updatedAt")).Json()).Slugs());
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("limit=-5", "limit")]
    [InlineData("sort=title", "sort")]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2026-02-30", "to")]
    [InlineData("from=2026-02-01T08:00:00", "from")]
    [InlineData("from=2026-02-02&to=2026-02-01", "to")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("fields=title,password", "fields")]
    [InlineData("include=comments", "include")]
    [InlineData("limit=0&sort=x", "limit", "sort")]
    public async Task Bad_parameters_are_validation_problems_naming_them(string query, params string[] parameters)
    {
        var problem = await (await Client.GetAsync($"/api/v1/articles?{query}")).Invalid(parameters);
        Assert.DoesNotContain("Exception", problem.ToJsonString());
    }

    [Fact]
    public async Task A_cursor_made_for_another_sort_is_refused()
    {
        await Given.PublishedArticles(3);
        var page = await (await Client.GetAsync("/api/v1/articles?limit=1")).Json();

        await (await Client.GetAsync($"/api/v1/articles?sort=publishedAt&cursor={page["nextCursor"]}")).Invalid("cursor");
    }

    [Fact]
    public async Task Limit_bounds_the_page_and_the_next_link_repeats_the_query()
    {
        await Given.PublishedArticles(5);

        var response = await Client.GetAsync("/api/v1/articles?limit=2&fields=title");
        var page = await response.Json();

        Assert.Equal(2, page["items"]!.AsArray().Count);
        var cursor = (string)page["nextCursor"]!;
        var link = Assert.Single(response.Headers.GetValues("Link"));
        Assert.Contains("rel=\"next\"", link);
        Assert.Contains($"cursor={Uri.EscapeDataString(cursor)}", link);
        Assert.Contains("limit=2", link);
        Assert.Contains("fields=title", link);
        var next = link[(link.IndexOf('<') + 1)..link.IndexOf('>')];
        Assert.StartsWith("http://", next);
        Assert.Equal(2, (await (await Client.GetAsync(next)).Json())["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_cursor_walk_returns_each_article_once_while_others_are_published()
    {
        var original = await Given.PublishedArticles(250);
        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await (await Client.GetAsync($"/api/v1/articles?limit=30{(cursor is null ? "" : $"&cursor={cursor}")}")).Json();
            seen.AddRange(page.Slugs());
            cursor = (string?)page["nextCursor"];
            // Publishing goes on while the client walks: newer articles land before its position.
            await Given.Article($"breaking-{pages++}").PublishedAt(Clock.GetUtcNow()).Save();
            Clock.Advance(TimeSpan.FromSeconds(1));
        } while (cursor is not null);

        Assert.Equal(original.Select(a => a.Slug).Reverse(), seen);
        Assert.Equal(9, pages);
    }

    [Fact]
    public async Task A_walk_oldest_first_reaches_articles_published_meanwhile_exactly_once()
    {
        var original = await Given.PublishedArticles(45);
        var seen = new List<string>();
        string? cursor = null;
        var added = new List<string>();
        do
        {
            var page = await (await Client.GetAsync($"/api/v1/articles?sort=publishedAt&limit=20{(cursor is null ? "" : $"&cursor={cursor}")}")).Json();
            seen.AddRange(page.Slugs());
            cursor = (string?)page["nextCursor"];
            var fresh = await Given.Article($"fresh-{added.Count}").PublishedAt(Clock.GetUtcNow()).Save();
            added.Add(fresh.Slug);
            Clock.Advance(TimeSpan.FromSeconds(1));
        } while (cursor is not null);

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(original.Select(a => a.Slug), seen.Take(original.Count));
    }

    [Fact]
    public async Task Fields_keep_only_the_named_members_and_the_id()
    {
        await Given.Article("story").Save();

        var item = (await (await Client.GetAsync("/api/v1/articles?fields=title,publishedAt")).Json())["items"]![0]!.AsObject();

        Assert.Equal(["id", "publishedAt", "title"], item.Select(p => p.Key).Order());
    }

    [Fact]
    public async Task Fields_body_and_bodyHtml_give_each_item_its_whole_story()
    {
        await Given.Article("lead").WithBody(Block.Paragraph("十年前，一「網」情深的故事從這座江南水鄉落筆。"), Block.Heading("聚焦發展")).Save();
        await Given.Article("second").WithBody(Block.Paragraph("烏鎮峰會正式落下帷幕。")).PublishedAt(Clock.GetUtcNow().AddHours(-2)).Save();

        var items = (await (await Client.GetAsync("/api/v1/articles?fields=title,body,bodyHtml")).Json())["items"]!.AsArray();

        Assert.Equal(["body", "bodyHtml", "id", "title"], items[0]!.AsObject().Select(p => p.Key).Order());
        Assert.Equal(["paragraph", "heading"], items[0]!["body"]!.AsArray().Select(b => (string)b!["type"]!));
        Assert.Equal("聚焦發展", (string?)items[0]!["body"]![1]!["text"]);
        Assert.Contains("<p>十年前，一「網」情深的故事從這座江南水鄉落筆。</p>", (string?)items[0]!["bodyHtml"]);
        Assert.Equal("<p>烏鎮峰會正式落下帷幕。</p>", ((string?)items[1]!["bodyHtml"])?.Trim());
    }

    [Fact]
    public async Task Without_fields_naming_it_a_list_carries_no_body()
    {
        await Given.Article("story").WithBody(Block.Paragraph("烏鎮峰會正式落下帷幕。")).Save();

        var all = (await (await Client.GetAsync("/api/v1/articles")).Json())["items"]![0]!.AsObject();
        var html = (await (await Client.GetAsync("/api/v1/articles?fields=bodyHtml")).Json())["items"]![0]!.AsObject();

        Assert.False(all.ContainsKey("body"));
        Assert.False(all.ContainsKey("bodyHtml"));
        Assert.Equal(["bodyHtml", "id"], html.Select(p => p.Key).Order());
    }

    [Fact]
    public async Task Include_embeds_section_authors_tags_and_topics()
    {
        var domestic = await Given.Section("domestic", "國內");
        var tag = await Given.Tag("wuzhen", "烏鎮");
        var author = await Given.Author("zhang-yuhuan", "張煜歡");
        var story = await Given.Article("story").In(domestic).Tagged(tag).By(author).Save();
        await Given.Topic("summit", "烏鎮峰會", TopicStatus.Published, story);
        await Given.Topic("draft-topic", "未發佈專題", TopicStatus.Draft, story);

        var plain = (await (await Client.GetAsync("/api/v1/articles")).Json())["items"]![0]!;
        Assert.Null(plain["section"]);
        Assert.Null(plain["tags"]);

        var item = (await (await Client.GetAsync("/api/v1/articles?include=section,authors,tags,topics")).Json())["items"]![0]!;
        Assert.Equal("國內", (string?)item["section"]!["name"]);
        Assert.Equal("張煜歡", (string?)item["authors"]![0]!["name"]);
        Assert.Equal("wuzhen", (string?)item["tags"]![0]!["slug"]);
        Assert.Equal(["summit"], item["topics"]!.AsArray().Select(t => (string)t!["slug"]!));
    }

    [Fact]
    public async Task Chinese_text_is_sent_as_characters_not_escapes()
    {
        await Given.Article("story").Titled("心向網之：為何是烏鎮？").Save();

        var body = await (await Client.GetAsync("/api/v1/articles")).Content.ReadAsStringAsync();

        Assert.Contains("心向網之：為何是烏鎮？", body);
        Assert.DoesNotContain("\\u", body);
    }
}
