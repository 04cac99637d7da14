using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace NewsApi.Tests.Infrastructure;

public static class Requests
{
    static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>JSON exactly as written, for tests of malformed or hostile bodies.</summary>
    public static StringContent Raw(string json, string mediaType = "application/json") =>
        new(json, Encoding.UTF8, new MediaTypeHeaderValue(mediaType));

    public static StringContent JsonBody(object body) => Raw(JsonSerializer.Serialize(body, Web));

    public static async Task<HttpResponseMessage> Send(this HttpClient client, HttpMethod method, string url, HttpContent? content = null, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        if (ifMatch is not null)
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await client.SendAsync(request);
    }

    /// <summary>The row version an ETag carries: "749" for a write's ETag, "749.&lt;hash&gt;" for a public read's.</summary>
    public static string Version(this string etag) => etag.Trim('"').Split('.')[0];

    public static string ETag(this HttpResponseMessage response) =>
        response.Headers.ETag?.ToString() ?? throw new InvalidOperationException("The response has no ETag.");
}
