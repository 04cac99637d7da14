using System.Net;
using NewsApi.Api;
using NewsApi.Content;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;

namespace NewsApi.Tests.Features.Articles;

public sealed class GetArticleTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task An_article_by_id_carries_its_body_and_derived_fields()
    {
        var domestic = await Given.Section("domestic", "國內");
        var story = await Given.Article("story").In(domestic).WithBody(
            Block.Paragraph("十年前，一「網」情深的故事從這座江南水鄉落筆。"),
            Block.Heading("聚焦發展 共享普惠繁榮"),
            Block.Paragraph("從2016年起，烏鎮峰會連續七年舉辦5G <活動>。"),
            Block.Heading("關注挑戰 共創和平安全", 3)).Save();

        var article = await (await Client.GetAsync($"/api/v1/articles/{story.Id}")).Json();

        Assert.Equal(story.Id.ToString(), (string?)article["id"]);
        Assert.Equal("國內", (string?)article["section"]!["name"]);
        Assert.Equal(4, article["body"]!.AsArray().Count);
        Assert.Equal("heading", (string?)article["body"]![1]!["type"]);
        Assert.Equal(["聚焦發展 共享普惠繁榮", "關注挑戰 共創和平安全"], article["toc"]!.AsArray().Select(t => (string)t!["text"]!));
        Assert.Equal(3, (int?)article["toc"]![1]!["level"]);
        var html = (string)article["bodyHtml"]!;
        Assert.Contains($"<h2 id=\"{article["toc"]![0]!["id"]}\">聚焦發展 共享普惠繁榮</h2>", html);
        Assert.Contains("5G &lt;活動&gt;", html);
        Assert.StartsWith("十年前，一「網」情深", (string)article["bodyText"]!);
        Assert.Equal(ChineseText.CountCharacters((string)article["bodyText"]!), (int)article["charCount"]!);
        Assert.Equal(1, (int)article["readingTimeMinutes"]!);
    }

    [Fact]
    public async Task Characters_are_counted_as_chinese_readers_count_them()
    {
        // Han characters one each; "5G" and "2023" one word each; punctuation and spaces not at all.
        var story = await Given.Article("short").WithBody(Block.Paragraph("烏鎮5G峰會，2023年。"), Block.Heading("共享 普惠")).Save();

        var article = await (await Client.GetAsync($"/api/v1/articles/{story.Id}")).Json();

        Assert.Equal(11, (int)article["charCount"]!);
    }

    [Fact]
    public async Task A_long_article_takes_minutes_to_read_at_chinese_reading_speed()
    {
        var paragraph = string.Concat(Enumerable.Repeat("烏鎮峰會連續十年舉辦", 100)); // 1,000 Han characters
        var story = await Given.Article("long").WithBody(Block.Paragraph(paragraph), Block.Paragraph(paragraph)).Save();

        var article = await (await Client.GetAsync($"/api/v1/articles/{story.Id}")).Json();

        Assert.Equal(2000, (int)article["charCount"]!);
        Assert.Equal(ChineseText.ReadingMinutes(2000), (int)article["readingTimeMinutes"]!);
        Assert.InRange((int)article["readingTimeMinutes"]!, 4, 8);
    }

    [Fact]
    public async Task An_article_by_slug_matches_the_one_by_id()
    {
        var story = await Given.Article("wuzhen-story").Save();

        var bySlug = await (await Client.GetAsync("/api/v1/articles/slug/wuzhen-story")).Json();

        Assert.Equal(story.Id.ToString(), (string?)bySlug["id"]);
    }

    [Fact]
    public async Task An_old_slug_redirects_permanently_to_the_current_one()
    {
        await Given.Article("new-slug").WithOldSlug("old-slug").Save();

        var response = await Client.GetAsync("/api/v1/articles/slug/old-slug");

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("/api/v1/articles/slug/new-slug", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Unknown_ids_and_slugs_are_problem_404s()
    {
        await (await Client.GetAsync($"/api/v1/articles/{Guid.CreateVersion7()}")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await (await Client.GetAsync("/api/v1/articles/slug/no-such-story")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await (await Client.GetAsync("/api/v1/articles/not-a-guid")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Theory]
    [InlineData(nameof(ArticleStatus.Draft))]
    [InlineData(nameof(ArticleStatus.Scheduled))]
    [InlineData(nameof(ArticleStatus.Unpublished))]
    [InlineData(nameof(ArticleStatus.Archived))]
    public async Task Unpublished_articles_do_not_exist_for_the_public(string name)
    {
        var status = Enum.Parse<ArticleStatus>(name);
        var hidden = await Given.Article("hidden").WithStatus(status).WithOldSlug("hidden-old").Save();

        await (await Client.GetAsync($"/api/v1/articles/{hidden.Id}")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await (await Client.GetAsync("/api/v1/articles/slug/hidden")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await (await Client.GetAsync("/api/v1/articles/slug/hidden-old")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Fact]
    public async Task An_embargoed_article_is_404_until_the_embargo_ends()
    {
        var story = await Given.Article("embargoed").EmbargoedUntil(Clock.GetUtcNow().AddMinutes(30)).Save();

        await (await Client.GetAsync($"/api/v1/articles/{story.Id}")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        Clock.Advance(TimeSpan.FromMinutes(30));
        await (await Client.GetAsync($"/api/v1/articles/{story.Id}")).Json();
    }
}
