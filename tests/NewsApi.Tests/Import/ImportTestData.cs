using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NewsApi.Tests.Import;

internal static class ImportTestData
{
    static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static object Story(string externalId, string title = "烏鎮峰會閉幕", string? section = null, string[]? tags = null, string? status = null,
        string? publishAt = null, string text = "2023年世界互聯網大會烏鎮峰會正式落下帷幕。") => new
    {
        externalId,
        title,
        section,
        tags,
        status,
        publishAt,
        byline = "張煜歡",
        dateline = new { agency = "中新網", place = "烏鎮", date = "2023-11-11", text = "中新網烏鎮11月11日電" },
        body = new object[] { new { type = "paragraph", text }, new { type = "heading", text = "聚焦發展", level = 2 } },
    };

    public static string Ndjson(params object[] items) => string.Concat(items.Select(i => (i as string ?? JsonSerializer.Serialize(i, Web)) + "\n"));

    public static StringContent Body(string text, string mediaType = "application/x-ndjson") => new(text, Encoding.UTF8, new MediaTypeHeaderValue(mediaType));

    public static async Task<(HttpResponseMessage Response, List<JsonNode> Results, JsonNode? Summary)> Import(
        this HttpClient client, HttpContent content, string query = "", string? idempotencyKey = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/import/articles" + query) { Content = content };
        if (idempotencyKey is not null)
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        if (expected != HttpStatusCode.OK)
            return (response, [], null);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        var summary = lines[^1]["summary"];
        Assert.NotNull(summary);
        return (response, lines[..^1], summary);
    }

    public static string Outcome(this JsonNode result) => (string)result["outcome"]!;
}
