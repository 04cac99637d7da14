using System.Net;
using NewsApi.Api;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;

namespace NewsApi.Tests.Features.Topics;

public sealed class TopicTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Topics_lists_published_topic_pages_newest_first()
    {
        await Given.Topic("older", "舊專題");
        Clock.Advance(TimeSpan.FromMinutes(1));
        await Given.Topic("newer", "新專題");
        await Given.Topic("draft", "草稿專題", TopicStatus.Draft);

        var page = await (await Client.GetAsync("/api/v1/topics")).Json();

        Assert.Equal(["newer", "older"], page.Slugs());
    }

    [Fact]
    public async Task Topics_page_with_a_cursor()
    {
        for (var i = 0; i < 5; i++)
        {
            await Given.Topic($"topic-{i}", $"專題{i}");
            Clock.Advance(TimeSpan.FromMinutes(1));
        }

        var first = await (await Client.GetAsync("/api/v1/topics?limit=3")).Json();
        var second = await (await Client.GetAsync($"/api/v1/topics?limit=3&cursor={first["nextCursor"]}")).Json();

        Assert.Equal(["topic-4", "topic-3", "topic-2"], first.Slugs());
        Assert.Equal(["topic-1", "topic-0"], second.Slugs());
        Assert.Null(second["nextCursor"]);
        await (await Client.GetAsync("/api/v1/topics?limit=500")).Invalid("limit");
    }

    [Fact]
    public async Task A_topic_shows_its_published_articles_in_the_editors_order_paged()
    {
        var a = await Given.Article("a").Save();
        var b = await Given.Article("b").Save();
        var draft = await Given.Article("draft").WithStatus(ArticleStatus.Draft).Save();
        var c = await Given.Article("c").Save();
        await Given.Topic("summit", "2023年世界互聯網大會烏鎮峰會", TopicStatus.Published, c, draft, a, b);

        var topic = await (await Client.GetAsync("/api/v1/topics/summit?limit=2")).Json();
        Assert.Equal("2023年世界互聯網大會烏鎮峰會", (string?)topic["title"]);
        Assert.Equal(["c", "a"], topic["articles"]!.Slugs());

        var rest = await (await Client.GetAsync($"/api/v1/topics/summit?limit=2&cursor={topic["articles"]!["nextCursor"]}")).Json();
        Assert.Equal(["b"], rest["articles"]!.Slugs());
        Assert.Null(rest["articles"]!["nextCursor"]);
    }

    [Fact]
    public async Task Unknown_and_unpublished_topics_are_problem_404s()
    {
        await Given.Topic("draft", "草稿專題", TopicStatus.Draft);

        await (await Client.GetAsync("/api/v1/topics/draft")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await (await Client.GetAsync("/api/v1/topics/nothing")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Fact]
    public async Task A_bad_topic_cursor_is_a_validation_problem()
    {
        await Given.Topic("summit", "烏鎮峰會");

        await (await Client.GetAsync("/api/v1/topics/summit?cursor=abc")).Invalid("cursor");
        await (await Client.GetAsync("/api/v1/topics/summit?limit=0")).Invalid("limit");
    }
}
