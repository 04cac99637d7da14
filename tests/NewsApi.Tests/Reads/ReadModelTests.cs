using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NewsApi.Content;
using NewsApi.Data.Entities;
using NewsApi.Reads;
using NewsApi.Tests.Infrastructure;

namespace NewsApi.Tests.Reads;

/// <summary>
/// The public read from the read model, rendered when content changes; a key of any role reads the full model. Both
/// must give the same bytes for public content, and every change to what a stored document embeds renders it again.
/// </summary>
public sealed class ReadModelTests(ApiFixture fixture) : ApiTest(fixture)
{
    async Task<(Article Story, Section Section, Tag Tag, Author Author, Topic Topic)> Newsroom()
    {
        var section = await Given.Section("domestic", "國內");
        var tag = await Given.Tag("internet", "互聯網");
        var author = await Given.Author("li-hua", "李華");
        var story = await Given.Article("wuzhen").Titled("烏鎮峰會開幕").In(section).Tagged(tag).By(author)
            .WithBody(Block.Heading("數字未來"), Block.Paragraph("中新網烏鎮11月11日電 峰會開幕。"))
            .PublishedAt(Clock.GetUtcNow().AddHours(-2)).Save();
        var other = await Given.Article("hangzhou").Titled("杭州亞運").In(section).Tagged(tag).PublishedAt(Clock.GetUtcNow().AddHours(-1)).Save();
        var topic = await Given.Topic("summit", "專題：2023年世界互聯網大會烏鎮峰會", TopicStatus.Published, story, other);
        return (story, section, tag, author, topic);
    }

    async Task<string> Body(HttpClient client, string url, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null)
            request.Headers.Accept.ParseAdd(accept);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task A_public_article_is_the_same_document_whether_stored_or_read_whole()
    {
        var (story, _, _, _, _) = await Newsroom();
        var preview = await As(Role.Previewer);

        foreach (var url in new[] { $"/api/v1/articles/{story.Id}", "/api/v1/articles/slug/wuzhen" })
            foreach (var accept in new[] { "application/json", "application/ninjs+json", "application/ld+json" })
                Assert.Equal(await Body(preview, url, accept), await Body(Client, url, accept));

        var document = await (await Client.GetAsync($"/api/v1/articles/{story.Id}")).Json();
        Assert.Equal("國內", (string?)document["section"]!["name"]);
        Assert.Equal("數字未來", (string?)document["toc"]![0]!["text"]);
        Assert.Contains("<h2", (string?)document["bodyHtml"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?include=section,authors,tags,topics")]
    [InlineData("?fields=title,body,bodyHtml")]
    [InlineData("?fields=slug,section,tags&include=section")]
    [InlineData("?sort=publishedAt&limit=1")]
    [InlineData("?sort=-updatedAt&fields=title,updatedAt")]
    [InlineData("?section=domestic&tag=internet&author=li-hua&topic=summit")]
    public async Task A_public_list_shows_what_the_full_model_shows(string query)
    {
        await Newsroom();
        var preview = await As(Role.Previewer);

        // Compared as JSON: the full model's sparse items escape '+' in times (\u002B), the stored ones need not.
        var stored = await Body(Client, "/api/v1/articles" + query);
        Assert.Equal(Normal(await Body(preview, "/api/v1/articles" + query)), Normal(stored));
        Assert.Contains("wuzhen", stored + await Body(Client, "/api/v1/articles?sort=publishedAt&limit=1"));
    }

    [Fact]
    public async Task A_list_item_has_a_body_only_when_fields_names_it()
    {
        await Newsroom();

        var plain = await (await Client.GetAsync("/api/v1/articles")).Json();
        var bodies = await (await Client.GetAsync("/api/v1/articles?fields=title,body,bodyHtml")).Json();

        Assert.Null(plain["items"]![0]!["body"]);
        Assert.Null(plain["items"]![0]!["section"]);
        Assert.Equal(["id", "title", "body", "bodyHtml"], bodies["items"]![1]!.AsObject().Select(p => p.Key));
        Assert.Equal("數字未來", (string?)bodies["items"]![1]!["body"]![0]!["text"]);
    }

    [Fact]
    public async Task A_topic_and_a_featured_list_show_what_the_full_model_shows()
    {
        var (story, section, _, _, _) = await Newsroom();
        await Given.FeaturedList("domestic", "國內新聞精選", section, 5, Builders.Given.Entry(story, 1, Clock.GetUtcNow().AddHours(-1), pinned: true));
        var preview = await As(Role.Previewer);

        foreach (var url in new[] { "/api/v1/topics/summit", "/api/v1/topics/summit?limit=1", "/api/v1/topics/summit?fields=title,body", "/api/v1/featured-lists/domestic" })
            Assert.Equal(await Body(preview, url), await Body(Client, url));
    }

    static string Normal(string json) => System.Text.Json.Nodes.JsonNode.Parse(json)!.ToJsonString();

    [Fact]
    public async Task A_topic_brings_its_articles_bodies_when_fields_names_them()
    {
        await Newsroom();

        var topic = await (await Client.GetAsync("/api/v1/topics/summit?fields=title,bodyHtml")).Json();

        var first = topic["articles"]!["items"]![0]!.AsObject();
        Assert.Equal(["id", "title", "bodyHtml"], first.Select(p => p.Key));
        Assert.Contains("數字未來", (string?)first["bodyHtml"]);
        await (await Client.GetAsync("/api/v1/topics/summit?fields=title,nothing")).Invalid("fields");
    }

    [Fact]
    public async Task Renaming_what_an_article_embeds_renders_it_again()
    {
        var (story, section, tag, author, topic) = await Newsroom();
        await using (var db = Fixture.NewDbContext())
        {
            (await db.Sections.SingleAsync(s => s.Id == section.Id)).Name = "國內新聞";
            (await db.Tags.SingleAsync(t => t.Id == tag.Id)).Name = "網際網路";
            (await db.Authors.SingleAsync(a => a.Id == author.Id)).Name = "李華（記者）";
            (await db.Topics.SingleAsync(t => t.Id == topic.Id)).Title = "烏鎮峰會專題";
            await db.SaveChangesAsync();
        }

        var document = await (await Client.GetAsync($"/api/v1/articles/{story.Id}")).Json();
        Assert.Equal("國內新聞", (string?)document["section"]!["name"]);
        Assert.Equal("網際網路", (string?)document["tags"]![0]!["name"]);
        Assert.Equal("李華（記者）", (string?)document["authors"]![0]!["name"]);
        Assert.Equal("烏鎮峰會專題", (string?)document["topics"]![0]!["title"]);
        var list = await (await Client.GetAsync("/api/v1/articles?include=tags&fields=tags")).Json();
        Assert.All(list["items"]!.AsArray(), item => Assert.Equal("網際網路", (string?)item!["tags"]![0]!["name"]));
    }

    [Fact]
    public async Task A_change_rolled_back_leaves_the_stored_documents_as_they_were()
    {
        var (story, _, _, _, _) = await Newsroom();
        await using (var db = Fixture.NewDbContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var article = await db.Articles.SingleAsync(a => a.Id == story.Id);
            article.Title = "改過的標題";
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        }

        var document = await (await Client.GetAsync($"/api/v1/articles/{story.Id}")).Json();
        Assert.Equal("烏鎮峰會開幕", (string?)document["title"]);
    }

    [Fact]
    public async Task Two_changes_rendering_one_article_at_once_both_reach_its_document()
    {
        var (story, _, tag, _, _) = await Newsroom();
        await using var editing = Fixture.NewDbContext();
        await using var transaction = await editing.Database.BeginTransactionAsync();
        (await editing.Articles.SingleAsync(a => a.Id == story.Id)).Title = "烏鎮峰會閉幕";
        await editing.SaveChangesAsync();

        // The tag's rename renders the same article while the edit is still open: it must wait for it, not overwrite it.
        var renaming = Task.Run(async () =>
        {
            await using var db = Fixture.NewDbContext();
            (await db.Tags.SingleAsync(t => t.Id == tag.Id)).Name = "網際網路";
            await db.SaveChangesAsync();
        });
        await Task.Delay(300);
        Assert.False(renaming.IsCompleted);
        await transaction.CommitAsync();
        await renaming;

        var document = await (await Client.GetAsync($"/api/v1/articles/{story.Id}")).Json();
        Assert.Equal("烏鎮峰會閉幕", (string?)document["title"]);
        Assert.Equal("網際網路", (string?)document["tags"]![0]!["name"]);
    }

    [Fact]
    public async Task Rows_missing_or_of_an_older_shape_are_rendered_again_at_start()
    {
        var (story, _, _, _, _) = await Newsroom();
        await using var db = Fixture.NewDbContext();
        await db.Database.ExecuteSqlRawAsync("UPDATE article_reads SET shape = 0, document = convert_to('{{}}', 'UTF8') WHERE slug = 'wuzhen'");
        await db.Database.ExecuteSqlRawAsync("DELETE FROM article_reads WHERE slug = 'hangzhou'");
        await db.Database.ExecuteSqlRawAsync("UPDATE articles SET status = 'Draft' WHERE slug = 'hangzhou'");
        await db.Database.ExecuteSqlRawAsync("UPDATE articles SET status = 'Published' WHERE slug = 'hangzhou'");

        var rendered = await Fixture.Factory.Services.GetRequiredService<ReadModel>().Rebuild(db, CancellationToken.None);

        Assert.Equal(2, rendered);
        Assert.Equal("烏鎮峰會開幕", (string?)(await (await Client.GetAsync($"/api/v1/articles/{story.Id}")).Json())["title"]);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/api/v1/articles/slug/hangzhou")).StatusCode);
    }
}
