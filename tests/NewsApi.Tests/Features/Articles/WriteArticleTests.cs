using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Features.Articles;

public sealed class WriteArticleTests(ApiFixture fixture) : ApiTest(fixture)
{
    static object Story(string title = "心向“網”之：為何是烏鎮？", string? slug = null) => new
    {
        title,
        slug,
        summary = "2023年世界互聯網大會烏鎮峰會正式落下帷幕。",
        body = new object[]
        {
            new { type = "paragraph", text = "十年前，一「網」情深的故事從這座江南水鄉落筆。" },
            new { type = "heading", text = "聚焦發展 共享普惠繁榮", level = 2 },
        },
        dateline = new { agency = "中新網", place = "烏鎮", date = "2023-11-11", text = "中新網烏鎮11月11日電" },
        byline = "張煜歡",
    };

    async Task<(JsonNode Article, string ETag)> Create(HttpClient editor, object? body = null)
    {
        var response = await editor.PostAsync("/api/v1/articles", JsonBody(body ?? Story()));
        return (await response.Json(HttpStatusCode.Created), response.ETag());
    }

    [Fact]
    public async Task Creating_gives_a_draft_with_a_pinyin_slug_an_etag_and_a_revision()
    {
        using var editor = await As(Role.Editor, "desk-editor");

        var response = await editor.PostAsync("/api/v1/articles", JsonBody(Story()));

        var article = await response.Json(HttpStatusCode.Created);
        Assert.Equal("draft", (string?)article["status"]);
        Assert.Equal("xin-xiang-wang-zhi-wei-he-shi-wu-zhen", (string?)article["slug"]);
        Assert.Equal($"/api/v1/articles/{article["id"]}", response.Headers.Location?.OriginalString);
        Assert.Matches("^\"\\d+\"$", response.ETag());
        Assert.Equal("中新網", (string?)article["dateline"]!["agency"]);
        Assert.Equal(["聚焦發展 共享普惠繁榮"], article["toc"]!.AsArray().Select(t => (string)t!["text"]!));
        Assert.Null(article["publishedAt"]);

        var revisions = await (await editor.GetAsync($"/api/v1/articles/{article["id"]}/revisions")).Json();
        var first = revisions["items"]![0]!;
        Assert.Equal("created", (string?)first["action"]);
        Assert.Equal("desk-editor", (string?)first["actor"]);
        Assert.Contains("title", first["fields"]!.AsArray().Select(f => (string)f!));
    }

    [Fact]
    public async Task A_second_story_with_the_same_title_gets_a_numbered_slug()
    {
        using var editor = await As(Role.Editor);
        await Create(editor);

        var (second, _) = await Create(editor);

        Assert.Equal("xin-xiang-wang-zhi-wei-he-shi-wu-zhen-2", (string?)second["slug"]);
    }

    [Fact]
    public async Task Drafts_are_invisible_to_the_public_on_every_read_path_and_visible_to_previewers()
    {
        using var editor = await As(Role.Editor);
        var domestic = await Given.Section("domestic", "國內");
        var tag = await Given.Tag("wuzhen", "烏鎮");
        var author = await Given.Author("zhang-yuhuan", "張煜歡");
        var (draft, _) = await Create(editor, new { title = "未發佈的稿件", slug = "unpublished-draft", section = "domestic", tags = new[] { "wuzhen" }, authors = new[] { "zhang-yuhuan" } });
        var id = Guid.Parse((string)draft["id"]!);
        await using (var db = Fixture.NewDbContext())
        {
            db.TopicArticles.Add(new TopicArticle { TopicId = (await Given.Topic("summit", "烏鎮峰會")).Id, ArticleId = id, Position = 1 });
            db.FeaturedListEntries.Add(new FeaturedListEntry { ListId = (await Given.FeaturedList("domestic", "國內新聞精選", domestic)).Id, ArticleId = id, Position = 1, FeaturedAt = Clock.GetUtcNow().AddHours(-1) });
            await db.SaveChangesAsync();
        }

        await (await Client.GetAsync($"/api/v1/articles/{id}")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await (await Client.GetAsync("/api/v1/articles/slug/unpublished-draft")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        foreach (var list in new[] { "/api/v1/articles", "/api/v1/articles?section=domestic", "/api/v1/articles?tag=wuzhen", "/api/v1/articles?author=zhang-yuhuan", "/api/v1/articles?topic=summit" })
            Assert.Empty((await (await Client.GetAsync(list)).Json()).Slugs());
        Assert.Empty((await (await Client.GetAsync("/api/v1/topics/summit")).Json())["articles"]!.Slugs());
        Assert.Empty((await (await Client.GetAsync("/api/v1/featured-lists/domestic")).Json())["entries"]!.AsArray());
        await (await Client.GetAsync("/api/v1/articles?status=draft")).Invalid("status");

        using var previewer = await As(Role.Previewer);
        var seen = await previewer.GetAsync($"/api/v1/articles/{id}");
        Assert.Equal("draft", (string?)(await seen.Json())["status"]);
        Assert.True(seen.Headers.CacheControl is { Private: true, NoStore: true }, "what a key sees must never be cached publicly");
        Assert.Equal(["unpublished-draft"], (await (await previewer.GetAsync("/api/v1/articles?status=draft,scheduled")).Json()).Slugs());
        _ = tag;
        _ = author;
    }

    [Theory]
    [InlineData("""{"title":"烏鎮","status":"published"}""", "status")]
    [InlineData("""{"title":"烏鎮","id":"01a21c06-4d64-7965-8828-83d0b2c9493e"}""", "id")]
    [InlineData("""{"title":"烏鎮","publishedAt":"2023-11-11T00:00:00Z"}""", "publishedAt")]
    [InlineData("""{"title":"烏鎮","version":1}""", "version")]
    [InlineData("""{"title":"烏鎮","createdBy":"someone"}""", "createdBy")]
    public async Task Creating_with_fields_the_service_owns_is_refused_and_creates_nothing(string json, string field)
    {
        using var editor = await As(Role.Editor);

        await (await editor.PostAsync("/api/v1/articles", Raw(json))).Invalid(field);

        await using var db = Fixture.NewDbContext();
        Assert.Equal(0, await db.Articles.CountAsync());
    }

    [Theory]
    [InlineData("""{"title":""}""", "title")]
    [InlineData("""{"title":"<b>烏鎮</b>"}""", "title")]
    [InlineData("""{"title":"烏鎮\u0000"}""", "title")]
    [InlineData("""{"title":"烏鎮","summary":"摘要\u0000"}""", "summary")]
    [InlineData("""{"title":"烏鎮","slug":"Not A Slug"}""", "slug")]
    [InlineData("""{"title":"烏鎮","section":"nowhere"}""", "section")]
    [InlineData("""{"title":"烏鎮","tags":["nothing"]}""", "tags")]
    [InlineData("""{"title":"烏鎮","tags":["a","a"]}""", "tags")]
    [InlineData("""{"title":"烏鎮","language":"chinese!"}""", "language")]
    [InlineData("""{"title":"烏鎮","body":[{"type":"poll","text":"x"}]}""", "body[0].type")]
    [InlineData("""{"title":"烏鎮","body":[{"type":"paragraph"}]}""", "body[0].text")]
    [InlineData("""{"title":"烏鎮","body":[{"type":"heading","text":"小標","level":7}]}""", "body[0].level")]
    [InlineData("""{"title":"烏鎮","body":[{"type":"image","url":"javascript:alert(1)"}]}""", "body[0].url")]
    [InlineData("""{"title":"烏鎮","body":[{"type":"paragraph","text":"段落","items":["x"]}]}""", "body[0].type")]
    [InlineData("""{"title":"烏鎮","coverImage":{"url":"ftp://example.com/a.jpg"}}""", "coverImage.url")]
    [InlineData("""{"title":"烏鎮","dateline":{"agency":"中新網"}}""", "dateline.text")]
    [InlineData("""{"title":"烏鎮","title":"重複"}""", "title")]
    [InlineData("""{"title":"\ud800烏鎮"}""", "title")]
    [InlineData("""{"title":123}""", "title")]
    [InlineData("""{"title":"烏鎮",""", "body")]
    public async Task Invalid_writes_are_validation_problems_naming_the_field(string json, string field)
    {
        using var editor = await As(Role.Editor);

        var problem = await (await editor.PostAsync("/api/v1/articles", Raw(json))).Invalid(field);

        Assert.DoesNotContain("NewsApi.", problem.ToJsonString());
        await using var db = Fixture.NewDbContext();
        Assert.Equal(0, await db.Articles.CountAsync());
    }

    [Fact]
    public async Task Html_blocks_are_sanitised()
    {
        using var editor = await As(Role.Editor);

        var (article, _) = await Create(editor, new
        {
            title = "嵌入內容",
            body = new object[] { new { type = "html", html = "<p onclick=\"steal()\">表格</p><script>alert(1)</script><table><tr><td>1</td></tr></table>" } },
        });

        var html = (string)article["body"]![0]!["html"]!;
        Assert.DoesNotContain("script", html);
        Assert.DoesNotContain("onclick", html);
        Assert.Contains("<td>1</td>", html);
    }

    [Fact]
    public async Task Parallel_creates_of_one_slug_give_one_201_and_409s()
    {
        using var editor = await As(Role.Editor);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => editor.PostAsync("/api/v1/articles", JsonBody(Story(slug: "wuzhen-race")))));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        foreach (var conflict in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
            await conflict.Problem(HttpStatusCode.Conflict, ProblemTypes.Conflict);
    }

    [Fact]
    public async Task Parallel_creates_of_one_title_all_succeed_with_distinct_slugs()
    {
        using var editor = await As(Role.Editor);

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => editor.PostAsync("/api/v1/articles", JsonBody(Story()))));

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, r.StatusCode.ToString()));
        await using var db = Fixture.NewDbContext();
        var slugs = await db.Articles.Select(a => a.Slug).ToListAsync();
        Assert.Equal(slugs.Count, slugs.Distinct().Count());
        Assert.Equal(responses.Count(r => r.StatusCode == HttpStatusCode.Created), slugs.Count);
    }

    [Fact]
    public async Task Replacing_needs_if_match_and_refuses_a_stale_one()
    {
        using var editor = await As(Role.Editor);
        var (article, etag) = await Create(editor);
        var url = $"/api/v1/articles/{article["id"]}";

        await (await editor.Send(HttpMethod.Put, url, JsonBody(Story("新標題")))).Problem(HttpStatusCode.PreconditionRequired, ProblemTypes.PreconditionRequired);
        await (await editor.Send(HttpMethod.Put, url, JsonBody(Story("新標題")), "*")).Problem(HttpStatusCode.PreconditionRequired, ProblemTypes.PreconditionRequired);
        await (await editor.Send(HttpMethod.Put, url, JsonBody(Story("新標題")), "\"1\"")).Problem(HttpStatusCode.PreconditionFailed, ProblemTypes.PreconditionFailed);

        var ok = await editor.Send(HttpMethod.Put, url, JsonBody(Story("新標題")), etag);
        Assert.Equal("新標題", (string?)(await ok.Json())["title"]);
        Assert.NotEqual(etag, ok.ETag());
    }

    [Fact]
    public async Task Two_editors_saving_the_same_version_one_wins_and_the_other_changes_nothing()
    {
        using var alice = await As(Role.Editor, "alice");
        using var bob = await As(Role.Editor, "bob");
        var (article, etag) = await Create(alice);
        var url = $"/api/v1/articles/{article["id"]}";

        var results = await Task.WhenAll(
            alice.Send(HttpMethod.Put, url, JsonBody(Story("甲的標題")), etag),
            bob.Send(HttpMethod.Put, url, JsonBody(Story("乙的標題")), etag));

        var winner = Assert.Single(results, r => r.StatusCode == HttpStatusCode.OK);
        var loser = Assert.Single(results, r => r.StatusCode != HttpStatusCode.OK);
        await loser.Problem(HttpStatusCode.PreconditionFailed, ProblemTypes.PreconditionFailed);
        var title = (string)(await winner.Json())["title"]!;
        var stored = await (await alice.GetAsync(url)).Json();
        Assert.Equal(title, (string?)stored["title"]);
        var revisions = await (await alice.GetAsync($"{url}/revisions")).Json();
        Assert.Equal(["updated", "created"], revisions["items"]!.AsArray().Select(r => (string)r!["action"]!));
    }

    [Theory]
    [InlineData("""{"status":"published"}""", "status")]
    [InlineData("""{"publishedAt":"2020-01-01T00:00:00Z"}""", "publishedAt")]
    [InlineData("""{"title":null}""", "title")]
    public async Task A_patch_that_would_set_what_editors_may_not_is_refused_and_changes_nothing(string patch, string field)
    {
        using var editor = await As(Role.Editor);
        var (article, etag) = await Create(editor);
        var url = $"/api/v1/articles/{article["id"]}";

        await (await editor.Send(HttpMethod.Patch, url, Raw(patch, "application/merge-patch+json"), etag)).Invalid(field);

        var stored = await (await editor.GetAsync(url)).Json();
        Assert.Equal("draft", (string?)stored["status"]);
        Assert.Equal((string?)article["title"], (string?)stored["title"]);
    }

    [Fact]
    public async Task A_merge_patch_changes_what_it_names_and_null_removes()
    {
        using var editor = await As(Role.Editor);
        var (article, etag) = await Create(editor);
        var url = $"/api/v1/articles/{article["id"]}";

        var response = await editor.Send(HttpMethod.Patch, url,
            Raw("""{"subtitle":"江南水鄉的十年","summary":null,"dateline":{"place":"嘉興"}}""", "application/merge-patch+json"), etag);

        var patched = await response.Json();
        Assert.Equal("江南水鄉的十年", (string?)patched["subtitle"]);
        Assert.Null(patched["summary"]);
        Assert.Equal("嘉興", (string?)patched["dateline"]!["place"]);
        Assert.Equal("中新網", (string?)patched["dateline"]!["agency"]);
        Assert.Equal((string?)article["title"], (string?)patched["title"]);
        var revision = (await (await editor.GetAsync($"{url}/revisions")).Json())["items"]![0]!;
        Assert.Equal(["dateline", "subtitle", "summary"], revision["fields"]!.AsArray().Select(f => (string)f!).Order());
    }

    [Fact]
    public async Task Changing_the_slug_keeps_the_old_one_redirecting()
    {
        using var editor = await As(Role.Editor);
        var (article, etag) = await Create(editor, Story(slug: "first-slug"));
        var id = (string)article["id"]!;
        var publish = await editor.PostAsync($"/api/v1/articles/{id}/publish", null);
        await publish.Json();

        await (await editor.Send(HttpMethod.Patch, $"/api/v1/articles/{id}", Raw("""{"slug":"better-slug"}""", "application/merge-patch+json"), publish.ETag())).Json();

        var old = await Client.GetAsync("/api/v1/articles/slug/first-slug");
        Assert.Equal(HttpStatusCode.MovedPermanently, old.StatusCode);
        Assert.Equal("/api/v1/articles/slug/better-slug", old.Headers.Location?.OriginalString);
        _ = etag;
    }

    [Fact]
    public async Task Deleting_needs_if_match_and_refuses_published_articles()
    {
        using var editor = await As(Role.Editor);
        var (draft, draftTag) = await Create(editor);
        var (live, _) = await Create(editor, Story("已發佈"));
        var published = await editor.PostAsync($"/api/v1/articles/{live["id"]}/publish", null);

        await (await editor.DeleteAsync($"/api/v1/articles/{draft["id"]}")).Problem(HttpStatusCode.PreconditionRequired, ProblemTypes.PreconditionRequired);
        await (await editor.Send(HttpMethod.Delete, $"/api/v1/articles/{live["id"]}", null, published.ETag())).Problem(HttpStatusCode.Conflict, ProblemTypes.Conflict);
        Assert.Equal(HttpStatusCode.NoContent, (await editor.Send(HttpMethod.Delete, $"/api/v1/articles/{draft["id"]}", null, draftTag)).StatusCode);
        await (await editor.GetAsync($"/api/v1/articles/{draft["id"]}")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }
}
