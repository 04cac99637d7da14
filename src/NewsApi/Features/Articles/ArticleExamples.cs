using System.Text.Json.Nodes;
using NewsApi.Api;
using NewsApi.Content;
using NewsApi.Features.ApiKeys;

namespace NewsApi.Features.Articles;

/// <summary>Request examples for the article and key operations, from the demo story.</summary>
public static class ArticleExamples
{
    public static void Register()
    {
        OpenApiExamples.For<ArticleContent>(new
        {
            title = "心向“網”之:為何是烏鎮?",
            summary = "11月10日,2023年世界互聯網大會烏鎮峰會(下稱烏鎮峰會)正式落下帷幕。",
            body = new object[]
            {
                new { type = "paragraph", text = "十年前,一“網”情深的故事從這座江南水鄉落筆。" },
                new { type = "heading", text = "聚焦發展 共享普惠繁榮", level = 2 },
                new { type = "paragraph", text = "在東南亞,中國企業助力泰國打造東盟首家5G智慧醫院。" },
            },
            dateline = new { agency = "中新網", place = "烏鎮", date = "2023-11-11", text = "中新網烏鎮11月11日電" },
            byline = "張煜歡",
            source = "中國新聞網",
            language = "zh-Hant",
            section = "domestic",
            tags = new[] { "wuzhen" },
            authors = new[] { "zhang-yuhuan" },
        });
        OpenApiExamples.For<JsonObject>(new { subtitle = "江南水鄉的十年", summary = (string?)null });
        OpenApiExamples.For<PublishRequest>(new { publishAt = "2026-12-01T00:00:00Z" });
        OpenApiExamples.For<UnpublishRequest>(new { unpublishAt = "2026-12-31T16:00:00Z" });
        OpenApiExamples.For<KillRequest>(new { reason = "應權利人要求撤稿" });
        OpenApiExamples.For<CreateApiKey>(new { name = "wire-import", role = "editor" });
    }
}
