using NewsApi.Api;
using NewsApi.Features.Authors;
using NewsApi.Features.FeaturedLists;
using NewsApi.Features.Sections;
using NewsApi.Features.Tags;
using NewsApi.Features.Topics;

namespace NewsApi.Features;

/// <summary>Request examples for sections, topics, featured lists, tags and authors, from the demo newsroom.</summary>
public static class ResourceExamples
{
    const string StoryId = "01a21c06-4d64-7965-8828-83d0b2c9493e";

    public static void Register()
    {
        OpenApiExamples.For<SectionRequest>(new { name = "浙江", slug = "zhejiang", description = "浙江省新聞", parent = "domestic", position = 1 });
        OpenApiExamples.For<TopicRequest>(new
        {
            title = "2023年世界互聯網大會烏鎮峰會", slug = "2023-wuzhen-summit", description = "專題：2023年世界互聯網大會烏鎮峰會", status = "published",
        });
        OpenApiExamples.For<TopicArticlesRequest>(new { articles = new[] { StoryId } });
        OpenApiExamples.For<TopicArticleRequest>(new { article = StoryId, position = 1 });
        OpenApiExamples.For<FeaturedListRequest>(new { title = "國內新聞精選", slug = "domestic", section = "domestic", maxItems = 10 });
        OpenApiExamples.For<FeaturedEntryRequest>(new
        {
            article = StoryId, position = 1, pinned = true, visibleUntil = "2026-12-31T16:00:00Z",
        });
        OpenApiExamples.For<FeaturedEntryChange>(new { position = 2, pinned = false, visibleUntil = "2026-12-31T16:00:00Z" });
        OpenApiExamples.For<TagRequest>(new { name = "烏鎮", slug = "wuzhen" });
        OpenApiExamples.For<AuthorRequest>(new { name = "張煜歡", slug = "zhang-yuhuan", bio = "中新網記者" });
    }
}
