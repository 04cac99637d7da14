using System.Net;
using System.Text.Json.Nodes;

namespace NewsApi.Tests.Infrastructure;

public static class HttpAssertions
{
    public static async Task<JsonNode> Json(this HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }

    /// <summary>Asserts an RFC 9457 problem with the given status and type, and returns it.</summary>
    public static async Task<JsonNode> Problem(this HttpResponseMessage response, HttpStatusCode status, string type)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!;
        Assert.Equal(type, (string?)problem["type"]);
        Assert.Equal((int)status, (int?)problem["status"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)problem["title"]));
        return problem;
    }

    /// <summary>Asserts a 400 validation problem naming exactly these parameters or fields.</summary>
    public static async Task<JsonNode> Invalid(this HttpResponseMessage response, params string[] fields)
    {
        var problem = await response.Problem(HttpStatusCode.BadRequest, NewsApi.Api.ProblemTypes.Validation);
        var errors = problem["errors"]!.AsObject();
        Assert.Equal(fields.Order(), errors.Select(e => e.Key).Order());
        return problem;
    }

    public static List<string> Slugs(this JsonNode page) =>
        page["items"]!.AsArray().Select(i => (string)i!["slug"]!).ToList();
}
