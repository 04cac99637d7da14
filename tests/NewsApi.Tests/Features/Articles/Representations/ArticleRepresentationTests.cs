using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using NewsApi.Api;
using NewsApi.Content;
using NewsApi.Data.Entities;
using NewsApi.Demo;
using NewsApi.Tests.Feeds;
using NewsApi.Tests.Infrastructure;

namespace NewsApi.Tests.Features.Articles.Representations;

public sealed class ArticleRepresentationTests(ApiFixture fixture) : ApiTest(fixture)
{
    const string Ninjs = "application/ninjs+json";
    const string Ninjs2 = "application/ninjs+json; version=2";
    const string JsonLd = "application/ld+json";

    async Task<HttpResponseMessage> Get(string path, params string[] accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        foreach (var a in accept)
            request.Headers.TryAddWithoutValidation("Accept", a);
        return await Client.SendAsync(request);
    }

    async Task<Article> WholeStory()
    {
        var domestic = await Given.Section("domestic", "國內");
        var author = await Given.Author("zhang-yuhuan", "張煜歡");
        var second = await Given.Author("li-ming", "李明");
        var tag = await Given.Tag("wuzhen", "烏鎮");
        var article = Given.Article("wuzhen-story").Titled("心向「網」之：為何是烏鎮？").In(domestic).By(author, second).Tagged(tag)
            .WithExternalId("chinanews:2023-11-11:001")
            .WithBody(
                Block.Paragraph("十年前，一「網」情深的故事從這座江南水鄉落筆。"),
                Block.Heading("聚焦發展 共享普惠繁榮"),
                new Block(BlockTypes.Image, Url: "/media/wuzhen.jpg", Caption: "烏鎮夜景", Credit: "中新社"),
                new Block(BlockTypes.Quote, Text: "網絡空間是人類共同的活動空間。", Cite: "大會發言人"))
            .Build();
        article.Subtitle = "世界互聯網大會十年";
        article.Source = "中國新聞網";
        article.CoverImage = new Image("https://img.example.com/cover.jpg", "烏鎮西柵", "中新社記者 攝", "烏鎮", 1200, 800);
        await using (var db = Fixture.NewDbContext())
        {
            db.Articles.Add(article);
            await db.SaveChangesAsync();
        }
        await Given.Topic("2023-wuzhen-summit", "2023年世界互聯網大會烏鎮峰會", TopicStatus.Published, article);
        return article;
    }

    [Fact]
    public async Task Ninjs_3_is_served_valid_with_the_article_mapped()
    {
        var story = await WholeStory();

        var response = await Get($"/api/v1/articles/{story.Id}", Ninjs);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Ninjs, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(response.Content.Headers.ContentType!.Parameters, p => p is { Name: "version", Value: "3.1" });
        Assert.Contains("Accept", response.Headers.Vary);
        var ninjs = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        SharedSpecs.AssertValidNinjs(ninjs, "3.1");
        SharedSpecs.AssertValidNinjs(ninjs, "3.0");
        Assert.Equal($"urn:newsapi:article:{story.Id}", (string?)ninjs["uri"]);
        Assert.Equal("text", (string?)ninjs["type"]);
        Assert.Equal("zh-Hant", (string?)ninjs["language"]);
        Assert.Equal("心向「網」之：為何是烏鎮？", (string?)ninjs["headlines"]![0]!["value"]);
        Assert.Equal("世界互聯網大會十年", (string?)ninjs["headlines"]![1]!["value"]);
        Assert.Equal("烏鎮", (string?)ninjs["located"]);
        Assert.Equal("張煜歡", (string?)ninjs["by"]);
        Assert.Equal(["張煜歡", "李明"], ninjs["people"]!.AsArray().Select(p => (string)p!["name"]!));
        Assert.Equal(story.FirstPublishedAt, (DateTimeOffset)ninjs["firstCreated"]!);
        Assert.Equal(story.UpdatedAt, (DateTimeOffset)ninjs["versionCreated"]!);
        Assert.Equal(["text/plain", "text/html"], ninjs["bodies"]!.AsArray().Select(b => (string)b!["contentType"]!));
        Assert.Contains("<h2 id=\"section-1\">聚焦發展 共享普惠繁榮</h2>", (string?)ninjs["bodies"]![1]!["value"]);
        Assert.Equal(ChineseText.CountCharacters(story.BodyText) - ChineseText.CountCharacters("烏鎮夜景"), (int)ninjs["bodies"]![0]!["charCount"]!);
        var subjects = ninjs["subjects"]!.AsArray();
        Assert.Equal(["section", "tag", "topic"], subjects.Select(s => (string)s!["rel"]!));
        Assert.Equal("http://localhost:5080/topics/2023-wuzhen-summit", (string?)subjects[2]!["uri"]);
        Assert.Contains(ninjs["altIds"]!.AsArray(), a => (string?)a!["value"] == "chinanews:2023-11-11:001");
        Assert.Equal("http://localhost:5080/articles/wuzhen-story", (string?)ninjs["renditions"]![0]!["href"]);
        var associations = ninjs["associations"]!.AsArray();
        Assert.Equal(["featureimage", "image-1"], associations.Select(a => (string)a!["name"]!));
        Assert.Equal(1200, (int?)associations[0]!["renditions"]![0]!["width"]);
        Assert.Equal("http://localhost:5080/media/wuzhen.jpg", (string?)associations[1]!["uri"]);
        Assert.Equal(["中國新聞網", "中新網"], ninjs["infoSources"]!.AsArray().Select(s => (string)s!["name"]!));
    }

    [Fact]
    public async Task Ninjs_2_is_offered_with_a_version_parameter()
    {
        var story = await WholeStory();

        var response = await Get($"/api/v1/articles/slug/{story.Slug}", Ninjs2);

        Assert.Equal(Ninjs, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(response.Content.Headers.ContentType!.Parameters, p => p is { Name: "version", Value: "2.2" });
        var ninjs = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        SharedSpecs.AssertValidNinjs(ninjs, "2.2");
        Assert.False(SharedSpecs.IsValidNinjs(ninjs, "3.1"), "2.x names are lower-case, which 3.x refuses");
        Assert.Equal(story.UpdatedAt, (DateTimeOffset)ninjs["versioncreated"]!);
        Assert.Equal("2.2", (string?)ninjs["standard"]!["version"]);
    }

    [Fact]
    public async Task Json_ld_is_a_schema_org_news_article()
    {
        var story = await WholeStory();

        var response = await Get($"/api/v1/articles/slug/{story.Slug}", JsonLd);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(JsonLd, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Accept", response.Headers.Vary);
        var ld = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("https://schema.org", (string?)ld["@context"]);
        Assert.Equal("NewsArticle", (string?)ld["@type"]);
        Assert.Equal("心向「網」之：為何是烏鎮？", (string?)ld["headline"]);
        Assert.Equal("世界互聯網大會十年", (string?)ld["alternativeHeadline"]);
        Assert.Equal("2023年世界互聯網大會烏鎮峰會正式落下帷幕。", (string?)ld["description"]);
        Assert.Equal(story.BodyText, (string?)ld["articleBody"]);
        Assert.Equal("中新網烏鎮11月11日電", (string?)ld["dateline"]);
        Assert.Equal(["張煜歡", "李明"], ld["author"]!.AsArray().Select(a => (string)a!["name"]!));
        Assert.All(ld["author"]!.AsArray(), a => Assert.Equal("Person", (string?)a!["@type"]));
        Assert.Equal("國內", (string?)ld["articleSection"]);
        Assert.Equal(story.FirstPublishedAt, (DateTimeOffset)ld["datePublished"]!);
        Assert.Equal(story.UpdatedAt, (DateTimeOffset)ld["dateModified"]!);
        Assert.Equal(story.CharCount, (int)ld["wordCount"]!);
        Assert.Equal("zh-Hant", (string?)ld["inLanguage"]);
        Assert.Equal("CreativeWorkSeries", (string?)ld["isPartOf"]![0]!["@type"]);
        Assert.Equal("2023年世界互聯網大會烏鎮峰會", (string?)ld["isPartOf"]![0]!["name"]);
        Assert.Equal("http://localhost:5080/topics/2023-wuzhen-summit", (string?)ld["isPartOf"]![0]!["url"]);
        Assert.Equal("Organization", (string?)ld["publisher"]!["@type"]);
        Assert.Equal("NewsApi", (string?)ld["publisher"]!["name"]);
        Assert.Equal("https://img.example.com/cover.jpg", (string?)ld["image"]![0]!["url"]);
        Assert.Equal("http://localhost:5080/articles/wuzhen-story", (string?)ld["mainEntityOfPage"]!["@id"]);
        Assert.Equal(["烏鎮"], ld["keywords"]!.AsArray().Select(k => (string)k!));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("*/*")]
    [InlineData("application/json")]
    [InlineData("text/html, application/json;q=0.5")]
    public async Task Plain_json_stays_the_default(string? accept)
    {
        var story = await Given.Article("story").Save();

        var response = await Get($"/api/v1/articles/{story.Id}", accept is null ? [] : [accept]);

        var article = await response.Json();
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("story", (string?)article["slug"]);
        Assert.Contains("Accept", response.Headers.Vary);
    }

    [Theory]
    [InlineData("text/html")]
    [InlineData("application/xml")]
    [InlineData("application/ninjs+json; version=1")]
    [InlineData("application/json;q=0")]
    public async Task An_accept_we_cannot_serve_is_a_406_problem_naming_what_we_can(string accept)
    {
        var story = await Given.Article("story").Save();

        foreach (var path in new[] { $"/api/v1/articles/{story.Id}", "/api/v1/articles/slug/story" })
        {
            var response = await Get(path, accept);

            var problem = await response.Problem(HttpStatusCode.NotAcceptable, ProblemTypes.NotAcceptable);
            Assert.Equal(["application/json", Ninjs, Ninjs2, JsonLd], problem["available"]!.AsArray().Select(a => (string)a!));
            Assert.Contains("Accept", response.Headers.Vary);
        }
    }

    [Fact]
    public async Task Missing_and_hidden_articles_are_404_in_every_representation()
    {
        var draft = await Given.Article("draft").WithStatus(ArticleStatus.Draft).Save();

        await (await Get($"/api/v1/articles/{draft.Id}", Ninjs)).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await (await Get("/api/v1/articles/slug/nothing", JsonLd)).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Fact]
    public async Task An_old_slug_redirects_whatever_the_accept()
    {
        await Given.Article("new-slug").WithOldSlug("old-slug").Save();

        var response = await Get("/api/v1/articles/slug/old-slug", Ninjs);

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("/api/v1/articles/slug/new-slug", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Every_demo_article_is_valid_ninjs_and_a_news_article()
    {
        await using (var db = Fixture.NewDbContext())
            await DemoContent.LoadAsync(db, Clock.GetUtcNow(), CancellationToken.None);
        await using var read = Fixture.NewDbContext();
        var ids = read.Articles.Select(a => a.Id).ToList();
        Assert.Equal(10, ids.Count);

        foreach (var id in ids)
            await AssertEveryRepresentationValid(id);

        var story = read.Articles.Single(a => a.Slug == DemoStory.Slug);
        var ninjs = JsonNode.Parse(await (await Get($"/api/v1/articles/{story.Id}", Ninjs)).Content.ReadAsStringAsync())!;
        Assert.Equal("烏鎮", (string?)ninjs["located"]);
        Assert.Equal("中新網烏鎮11月11日電", (string?)ninjs["descriptions"]!.AsArray().Single(d => (string?)d!["role"] == "dateline")!["value"]);
    }

    public static TheoryData<string> Variants => new(Enumerable.Range(0, 16).Select(i => Convert.ToString(i, 2).PadLeft(4, '0')));

    /// <summary>
    /// Articles with and without each optional part: bits choose the dateline and subtitle, the cover image,
    /// authors and tags and topic, and a body of every block kind (else a single paragraph).
    /// </summary>
    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Generated_articles_of_every_shape_are_valid(string bits)
    {
        bool Has(int i) => bits[i] == '1';
        var builder = Given.Article("variant-" + bits);
        if (Has(2))
            builder.By(await Given.Author("author-" + bits, "記者甲")).Tagged(await Given.Tag("tag-" + bits, "標籤"));
        if (Has(3))
            builder.WithBody(
                Block.Paragraph("第一段，含 5G 與 AI。"), Block.Heading("小標題", 3),
                new Block(BlockTypes.Quote, Text: "引言。"),
                new Block(BlockTypes.Image, Url: "https://img.example.com/a.jpg", Caption: "圖說", Alt: "替代文字"),
                new Block(BlockTypes.Image, Url: "relative/b.png"),
                new Block(BlockTypes.List, Ordered: true, Items: ["一", "二"]),
                new Block(BlockTypes.List, Items: ["甲"]),
                new Block(BlockTypes.Html, Html: "<table><tr><td>數據</td></tr></table>"));
        var article = builder.Build();
        if (!Has(0))
            (article.Dateline, article.Byline, article.Subtitle, article.Summary) = (null, null, null, null);
        else
            article.Subtitle = "副標題";
        if (Has(1))
            article.CoverImage = new Image("/media/cover.jpg", Caption: "封面", Credit: "攝影");
        article.Language = Has(1) ? "zh-Hans" : "zh-Hant";
        await using (var db = Fixture.NewDbContext())
        {
            db.Articles.Add(article);
            await db.SaveChangesAsync();
        }
        if (Has(2))
            await Given.Topic("topic-" + bits, "專題", TopicStatus.Published, article);

        await AssertEveryRepresentationValid(article.Id);
    }

    async Task AssertEveryRepresentationValid(Guid id)
    {
        var three = await Get($"/api/v1/articles/{id}", Ninjs);
        SharedSpecs.AssertValidNinjs(JsonNode.Parse(await three.Content.ReadAsStringAsync())!, "3.1");
        var two = await Get($"/api/v1/articles/{id}", Ninjs2);
        SharedSpecs.AssertValidNinjs(JsonNode.Parse(await two.Content.ReadAsStringAsync())!, "2.2");

        var ld = await (await Get($"/api/v1/articles/{id}", JsonLd)).Json();
        Assert.Equal("NewsArticle", (string?)ld["@type"]);
        foreach (var required in new[] { "headline", "datePublished", "dateModified", "inLanguage", "publisher", "url", "wordCount" })
            Assert.True(ld[required] is not null, $"JSON-LD of {id} lacks {required}");
        Assert.All(ld.AsObject().Where(p => p.Value is JsonValue), p => Assert.False(string.IsNullOrWhiteSpace(p.Value!.ToString()), $"{p.Key} is empty"));
        Assert.All(ld["image"]?.AsArray() ?? [], image => Assert.True(Uri.IsWellFormedUriString((string)image!["url"]!, UriKind.Absolute)));
    }

    [Fact]
    public async Task Openapi_documents_the_three_representations_and_the_406()
    {
        var document = JsonNode.Parse(await Client.GetStringAsync("/swagger/v1/swagger.json"))!;

        foreach (var path in new[] { "/api/v1/articles/{id}", "/api/v1/articles/slug/{slug}" })
        {
            var responses = document["paths"]![path]!["get"]!["responses"]!;
            Assert.Equal(["application/json", Ninjs, JsonLd], responses["200"]!["content"]!.AsObject().Select(c => c.Key));
            Assert.NotNull(responses["406"]!["content"]!["application/problem+json"]);
        }
    }
}
