using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace NewsApi.Api;

/// <summary>
/// Examples from the demo story for every operation, so "Try it out" in Swagger UI starts from something that works
/// and a frontend developer sees real Chinese content before calling anything.
/// Requests: keyed by the body's type; a new request type registers its example with <see cref="For{T}"/>.
/// Responses: every 2xx with content gets one, built from its schema: members take the demo story's values by name
/// (<see cref="DemoValues"/>), then by format; a response type registered with <see cref="For{T}"/> uses that instead.
/// </summary>
public sealed class OpenApiExamples : IOperationFilter
{
    static readonly Dictionary<Type, JsonNode> Examples = [];
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static void For<T>(object example) => Examples[typeof(T)] = JsonSerializer.SerializeToNode(example, Json)!;

    public static bool Has(Type type) => Examples.ContainsKey(type);

    const string StoryTitle = "心向“網”之:為何是烏鎮?";
    const string StoryTime = "2023-11-11T02:30:00Z";

    /// <summary>Values by "Schema.member", then by "member". Everything here is the demo story or its surroundings.</summary>
    static readonly Dictionary<string, object> DemoValues = new()
    {
        ["SectionRef.name"] = "國內", ["SectionResponse.name"] = "國內", ["SectionNode.name"] = "國內",
        ["SectionResponse.description"] = "中國內地新聞", ["SectionNode.description"] = "中國內地新聞",
        ["TagRef.name"] = "烏鎮", ["TagResponse.name"] = "烏鎮", ["TagRef.slug"] = "wuzhen", ["TagResponse.slug"] = "wuzhen",
        ["AuthorRef.name"] = "張煜歡", ["AuthorResponse.name"] = "張煜歡", ["AuthorRef.slug"] = "zhang-yuhuan", ["AuthorResponse.slug"] = "zhang-yuhuan",
        ["AuthorResponse.bio"] = "中國新聞網記者。",
        ["TopicRef.slug"] = "2023-wuzhen-summit", ["TopicSummary.slug"] = "2023-wuzhen-summit", ["TopicResponse.slug"] = "2023-wuzhen-summit",
        ["TopicRef.title"] = "2023年世界互聯網大會烏鎮峰會", ["TopicSummary.title"] = "2023年世界互聯網大會烏鎮峰會",
        ["TopicResponse.title"] = "2023年世界互聯網大會烏鎮峰會", ["TopicResponse.description"] = "專題：2023年世界互聯網大會烏鎮峰會",
        ["TopicSummary.description"] = "專題：2023年世界互聯網大會烏鎮峰會",
        ["FeaturedListResponse.slug"] = "domestic", ["FeaturedListResponse.title"] = "國內新聞精選",
        ["SectionRef.slug"] = "domestic", ["SectionResponse.slug"] = "domestic", ["SectionNode.slug"] = "domestic",
        ["ApiKeyResponse.name"] = "wire-import", ["CreatedApiKey.name"] = "wire-import", ["role"] = "editor",
        ["HealthEndpointsHealthResponse.status"] = "Healthy", ["HealthEndpointsHealthResponse.database"] = "Healthy",
        ["Dateline.text"] = "中新網烏鎮11月11日電", ["url"] = "https://www.chinanews.com.cn/",
        ["Block.type"] = "paragraph", ["Block.text"] = "十年前,一“網”情深的故事從這座江南水鄉落筆。",
        ["TocEntry.text"] = "聚焦發展 共享普惠繁榮",
        ["Correction.text"] = "更正:峰會閉幕日期為11月10日。",
        ["AuditEntryResponse.action"] = "createArticle", ["AuditEntryResponse.outcome"] = "201",
        ["AuditEntryResponse.target"] = "/api/v1/articles/0193a7c4-5e2b-7d41-9c3a-2f6f1b8e4d10",
        ["ArticleSummary.status"] = "published", ["ArticleResponse.status"] = "published",
        ["RevisionSummary.action"] = "update", ["RevisionResponse.action"] = "update",
        ["body"] = new object[]
        {
            new { type = "paragraph", text = "十年前,一“網”情深的故事從這座江南水鄉落筆。" },
            new { type = "heading", text = "聚焦發展 共享普惠繁榮", level = 2 },
            new { type = "paragraph", text = "在東南亞,中國企業助力泰國打造東盟首家5G智慧醫院。" },
        },
        ["slug"] = "wuzhen-summit-why-wuzhen",
        ["title"] = StoryTitle,
        ["subtitle"] = "江南水鄉的十年",
        ["summary"] = "11月10日,2023年世界互聯網大會烏鎮峰會(下稱烏鎮峰會)正式落下帷幕。",
        ["externalId"] = "chinanews-2023-11-11-wuzhen",
        ["byline"] = "張煜歡", ["source"] = "中國新聞網", ["language"] = "zh-Hant",
        ["agency"] = "中新網", ["place"] = "烏鎮", ["date"] = "2023-11-11",
        ["bodyHtml"] = "<p>十年前,一“網”情深的故事從這座江南水鄉落筆。</p>",
        ["bodyText"] = "十年前,一“網”情深的故事從這座江南水鄉落筆。",
        ["html"] = "<p>十年前,一“網”情深的故事從這座江南水鄉落筆。</p>",
        ["caption"] = "烏鎮互聯網國際會展中心", ["credit"] = "中新網", ["alt"] = "烏鎮互聯網國際會展中心外景",
        ["cite"] = "世界互聯網大會", ["reason"] = "應權利人要求撤稿",
        ["name"] = "國內", ["description"] = "中國內地新聞", ["bio"] = "中國新聞網記者。",
        ["actor"] = "night-desk", ["prefix"] = "nk_3f9a", ["key"] = "nk_3f9a2c61d0b84e7f9a6c5d4e3b2a1f0e9d8c7b6a",
        ["nextCursor"] = "eyJwIjoiMjAyMy0xMS0xMVQwMjozMDowMFoiLCJpIjoiMDE5M2E3YzQifQ",
        ["field"] = "title", ["charCount"] = 2368, ["readingTimeMinutes"] = 5, ["number"] = 2, ["level"] = 2,
        ["position"] = 1, ["maxItems"] = 10, ["width"] = 1200, ["height"] = 800,
    };

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var body = context.ApiDescription.ParameterDescriptions.FirstOrDefault(p => p.Source.Id == "Body")?.Type;
        if (body is not null && operation.RequestBody?.Content is { } content && Examples.TryGetValue(body, out var example))
            foreach (var media in content.Values)
                media.Example = example.DeepClone();

        foreach (var (code, response) in operation.Responses ?? [])
        {
            if (!code.StartsWith('2') || response.Content is null)
                continue;
            var type = context.ApiDescription.SupportedResponseTypes.FirstOrDefault(r => r.StatusCode.ToString() == code)?.Type;
            foreach (var (mediaType, media) in response.Content)
                media.Example ??= type is not null && Examples.TryGetValue(type, out var registered)
                    ? registered.DeepClone()
                    : FromSchema(media.Schema, null, null, mediaType, context.SchemaRepository, depth: 0);
        }
    }

    static JsonNode? FromSchema(IOpenApiSchema? schema, string? owner, string? member, string mediaType, SchemaRepository repository, int depth)
    {
        if (member is not null && (owner is not null && DemoValues.TryGetValue($"{owner}.{member}", out var known) || DemoValues.TryGetValue(member, out known)))
            return JsonSerializer.SerializeToNode(known, Json);
        if (schema is OpenApiSchemaReference reference && reference.Reference.Id is { } id)
        {
            owner = id;
            schema = repository.Schemas.TryGetValue(id, out var target) ? target : null;
        }
        if (schema is null || depth > 6)
            return null;
        if (owner is not null && Examples.FirstOrDefault(e => e.Key.Name == owner).Value is { } registered)
            return registered.DeepClone();
        if (schema.AllOf is { Count: > 0 } all)
            return FromSchema(all[0], owner, member, mediaType, repository, depth);
        if (schema.Enum is { Count: > 0 } values)
            return values[0]?.DeepClone();

        var type = schema.Type ?? 0;
        if (type.HasFlag(JsonSchemaType.Object) || schema.Properties is { Count: > 0 })
        {
            var result = new JsonObject();
            foreach (var (name, property) in schema.Properties ?? new Dictionary<string, IOpenApiSchema>())
                if (FromSchema(property, owner, name, mediaType, repository, depth + 1) is { } value)
                    result[name] = value;
            if (result.Count == 0 && schema.AdditionalProperties is { } additional && FromSchema(additional, owner, "database", mediaType, repository, depth + 1) is { } entry)
                result["database"] = entry; // a map: the health checks by name, the only one in the document
            return result;
        }
        if (type.HasFlag(JsonSchemaType.Array))
        {
            // A tree (sections) shows one level: an array of its own kind stays empty.
            var item = (schema.Items as OpenApiSchemaReference)?.Reference.Id != owner ? FromSchema(schema.Items, owner, member is null ? null : Singular(member), mediaType, repository, depth + 1) : null;
            return item is null ? new JsonArray() : new JsonArray(item);
        }
        if (type.HasFlag(JsonSchemaType.Integer) || type.HasFlag(JsonSchemaType.Number))
            return JsonValue.Create(int.TryParse(schema.Minimum, out var minimum) ? minimum : 1);
        if (type.HasFlag(JsonSchemaType.Boolean))
            return JsonValue.Create(false);
        if (type.HasFlag(JsonSchemaType.String))
            return JsonValue.Create(schema.Format switch
            {
                "date-time" => StoryTime,
                "date" => "2023-11-11",
                "uuid" => "0193a7c4-5e2b-7d41-9c3a-2f6f1b8e4d10",
                "uri" => "https://www.chinanews.com.cn/",
                _ when member is null => FeedExample(mediaType),
                _ => "",
            });
        return null;
    }

    static string Singular(string plural) => plural switch
    {
        "entries" => "entry", "children" => "child", "items" => "item", "checks" => "check",
        _ => plural.EndsWith('s') ? plural[..^1] : plural,
    };

    /// <summary>A whole document as the body (feeds, sitemaps): a short one of that format.</summary>
    static string FeedExample(string mediaType) => mediaType switch
    {
        "application/rss+xml" => $"<rss version=\"2.0\"><channel><title>國內</title><item><title>{StoryTitle}</title></item></channel></rss>",
        "application/atom+xml" => $"<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>國內</title><entry><title>{StoryTitle}</title></entry></feed>",
        "application/feed+json" => $"{{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"國內\",\"items\":[{{\"title\":\"{StoryTitle}\"}}]}}",
        _ => "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><url><loc>http://localhost:5080/articles/wuzhen-summit-why-wuzhen</loc></url></urlset>",
    };
}
