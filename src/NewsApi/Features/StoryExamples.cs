using System.Text.Json.Nodes;
using NewsApi.Reads;
using NewsApi.Api.OpenApi;
using NewsApi.Content;
using NewsApi.Demo;
using NewsApi.Features.ApiKeys;
using NewsApi.Features.Articles;
using NewsApi.Features.Authors;
using NewsApi.Features.FeaturedLists;
using NewsApi.Features.Sections;
using NewsApi.Features.Tags;
using NewsApi.Features.Topics;
using NewsApi.Features.Webhooks;
using NewsApi.Media;
using static NewsApi.Demo.DemoStory;

namespace NewsApi.Features;

/// <summary>
/// The OpenAPI examples of every route, from the demo story (<see cref="DemoStory"/>): request bodies by type, and the
/// values response examples take by member name. The host registers them with <c>AddStoryExamples()</c>.
/// </summary>
internal static class StoryExamples
{
    const string StoryId = "01a21c06-4d64-7965-8828-83d0b2c9493e";
    const string ResponseId = "0193a7c4-5e2b-7d41-9c3a-2f6f1b8e4d10";

    static readonly object[] Body =
    [
        new { type = "paragraph", text = Lead },
        new { type = "heading", text = Heading, level = 2 },
        new { type = "paragraph", text = Paragraph },
        // Pictures may also name an asset of the media library ({ "assetId": … }); urls keep "Try it out" working anywhere.
        new
        {
            type = "gallery",
            images = new object[]
            {
                new { url = "https://img.example.com/wuzhen/hall.jpg", caption = "烏鎮互聯網國際會展中心", alt = "會展中心外景", credit = Agency },
                new { url = "https://img.example.com/wuzhen/forum.jpg", caption = "峰會分論壇現場", alt = "分論壇會場", credit = Agency },
            },
        },
        new
        {
            type = "video", url = "https://video.example.com/wuzhen/closing.mp4", caption = "閉幕式視頻", credit = Agency,
            poster = new { url = "https://img.example.com/wuzhen/closing-poster.jpg", alt = "閉幕式現場" },
        },
        new { type = "embed", url = "https://player.bilibili.com/player.html?bvid=BV1GJ411x7h7", caption = "峰會直播回放" },
    ];

    public static readonly Examples All = new()
    {
        Bodies = new Dictionary<Type, object>
        {
            [typeof(ArticleContent)] = new
            {
                title = Title,
                summary = Summary,
                body = Body,
                dateline = new { agency = Agency, place = Place, date = Date, text = DatelineText },
                byline = AuthorName,
                source = Source,
                language = Language,
                section = SectionSlug,
                tags = new[] { TagSlug },
                authors = new[] { AuthorSlug },
            },
            [typeof(JsonObject)] = new { subtitle = Subtitle, summary = (string?)null },
            [typeof(PublishRequest)] = new { publishAt = "2026-12-01T00:00:00Z" },
            [typeof(UnpublishRequest)] = new { unpublishAt = "2026-12-31T16:00:00Z" },
            [typeof(KillRequest)] = new { reason = "應權利人要求撤稿" },
            [typeof(NoticeRequest)] = new { type = "correction", text = "本文較早版本誤植峰會日期，現已更正。" },
            [typeof(PreviewLinks.PreviewLinkRequest)] = new { lifetime = "PT48H" },
            [typeof(CreateApiKey)] = new { name = "wire-import", role = "editor" },
            [typeof(SectionRequest)] = new
            {
                name = SubsectionName, slug = SubsectionSlug, description = SubsectionDescription, parent = SectionSlug, position = 1,
            },
            [typeof(TopicRequest)] = new { title = TopicTitle, slug = TopicSlug, description = TopicDescription, status = "published" },
            [typeof(TopicArticlesRequest)] = new { articles = new[] { StoryId } },
            [typeof(TopicArticleRequest)] = new { article = StoryId, position = 1 },
            [typeof(FeaturedListRequest)] = new { title = FeaturedTitle, slug = FeaturedSlug, section = SectionSlug, maxItems = 10 },
            [typeof(FeaturedEntryRequest)] = new { article = StoryId, position = 1, pinned = true, visibleUntil = "2026-12-31T16:00:00Z" },
            [typeof(FeaturedEntryChange)] = new { position = 2, pinned = false, visibleUntil = "2026-12-31T16:00:00Z" },
            [typeof(TagRequest)] = new { name = TagName, slug = TagSlug },
            [typeof(AuthorRequest)] = new
            {
                name = AuthorName, slug = AuthorSlug, bio = "中新網記者", jobTitle = "記者", email = "zhang.yuhuan@newsroom.example",
                sameAs = new[] { "https://www.chinanews.com.cn/" },
            },
            [typeof(RegisterWebhook.Request)] = new
            {
                url = "https://hooks.example.com/newsapi",
                events = new[] { Changes.EventTypes.ArticlePublished, Changes.EventTypes.ArticleUpdated, Changes.EventTypes.ArticleKilled },
            },
            [typeof(UpdateWebhook.Request)] = new { active = false },
        },
        Values = new Dictionary<string, object>
        {
            ["SectionRef.name"] = SectionName, ["SectionResponse.name"] = SectionName, ["SectionNode.name"] = SectionName,
            ["SectionResponse.description"] = SectionDescription, ["SectionNode.description"] = SectionDescription,
            ["TagRef.name"] = TagName, ["TagResponse.name"] = TagName, ["TagRef.slug"] = TagSlug, ["TagResponse.slug"] = TagSlug,
            ["AuthorRef.name"] = AuthorName, ["AuthorResponse.name"] = AuthorName, ["AuthorRef.slug"] = AuthorSlug, ["AuthorResponse.slug"] = AuthorSlug,
            ["AuthorResponse.bio"] = "中國新聞網記者。",
            ["TopicRef.slug"] = TopicSlug, ["TopicSummary.slug"] = TopicSlug, ["TopicResponse.slug"] = TopicSlug,
            ["TopicRef.title"] = TopicTitle, ["TopicSummary.title"] = TopicTitle,
            ["TopicResponse.title"] = TopicTitle, ["TopicResponse.description"] = TopicDescription,
            ["TopicSummary.description"] = TopicDescription,
            ["FeaturedListResponse.slug"] = FeaturedSlug, ["FeaturedListResponse.title"] = FeaturedTitle,
            ["SectionRef.slug"] = SectionSlug, ["SectionResponse.slug"] = SectionSlug, ["SectionNode.slug"] = SectionSlug,
            ["ApiKeyResponse.name"] = "wire-import", ["CreatedApiKey.name"] = "wire-import", ["role"] = "editor",
            ["Dateline.text"] = DatelineText, ["url"] = SourceUrl,
            ["Block.type"] = "paragraph", ["Block.text"] = Lead,
            ["TocEntry.text"] = Heading,
            ["Correction.text"] = "更正:峰會閉幕日期為11月10日。",
            ["AuditEntryResponse.action"] = "createArticle", ["AuditEntryResponse.outcome"] = "201",
            ["AuditEntryResponse.target"] = ArticleEndpoints.Path(Guid.Parse(ResponseId)),
            ["ArticleSummary.status"] = "published", ["ArticleResponse.status"] = "published",
            // Left out of examples (a null value): a summary carries its body only when fields asks for it.
            ["ArticleSummary.body"] = null!, ["ArticleSummary.bodyHtml"] = null!,
            ["RevisionSummary.action"] = "update", ["RevisionResponse.action"] = "update",
            ["body"] = Body,
            ["slug"] = Slug,
            ["title"] = Title,
            ["subtitle"] = Subtitle,
            ["summary"] = Summary,
            ["externalId"] = "chinanews-2023-11-11-wuzhen",
            ["byline"] = AuthorName, ["source"] = Source, ["language"] = Language,
            ["agency"] = Agency, ["place"] = Place, ["date"] = Date,
            ["bodyHtml"] = $"<p>{Lead}</p>",
            ["bodyText"] = Lead,
            ["html"] = $"<p>{Lead}</p>",
            ["caption"] = "烏鎮互聯網國際會展中心", ["credit"] = Agency, ["alt"] = "烏鎮互聯網國際會展中心外景",
            ["cite"] = "世界互聯網大會", ["reason"] = "應權利人要求撤稿",
            ["name"] = SectionName, ["description"] = SectionDescription, ["bio"] = "中國新聞網記者。",
            ["actor"] = "night-desk", ["prefix"] = "nk_3f9a", ["key"] = "nk_3f9a2c61d0b84e7f9a6c5d4e3b2a1f0e9d8c7b6a",
            ["nextCursor"] = "eyJwIjoiMjAyMy0xMS0xMVQwMjozMDowMFoiLCJpIjoiMDE5M2E3YzQifQ",
            ["field"] = "title", ["charCount"] = 2368, ["readingTimeMinutes"] = 5, ["number"] = 2, ["level"] = 2,
            ["position"] = 1, ["maxItems"] = 10, ["width"] = 1200, ["height"] = 800,
            // Given by name: an image deep in a list (a topic's or featured list's articles) is past the depth examples
            // are built to, and a rendition needs all its members.
            ["RenditionLink.preset"] = "w1280", ["RenditionLink.format"] = Renditions.Jpeg.Extension,
            ["RenditionLink.url"] = RenditionLinks.Path(Guid.Parse(ResponseId), "w1280", Renditions.Jpeg, "3f9a2c61d0b84e7f"),
        },
        Formats = new Dictionary<string, string>
        {
            ["date-time"] = Time, ["date"] = Date, ["uuid"] = ResponseId, ["uri"] = SourceUrl,
        },
        Documents = new Dictionary<string, string>
        {
            ["application/rss+xml"] = $"<rss version=\"2.0\"><channel><title>{SectionName}</title><item><title>{Title}</title></item></channel></rss>",
            ["application/atom+xml"] = $"<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>{SectionName}</title><entry><title>{Title}</title></entry></feed>",
            ["application/feed+json"] = $"{{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"{SectionName}\",\"items\":[{{\"title\":\"{Title}\"}}]}}",
            [""] = $"<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><url><loc>http://localhost:5080/articles/{Slug}</loc></url></urlset>",
        },
    };

    public static IServiceCollection AddStoryExamples(this IServiceCollection services) => services.AddExamples(All);
}
