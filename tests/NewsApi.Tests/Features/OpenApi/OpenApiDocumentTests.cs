using System.Text.Json.Nodes;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Features.OpenApi;

public sealed class OpenApiDocumentTests(ApiFixture fixture) : ApiTest(fixture)
{
    const string Regenerate = "NEWSAPI_WRITE_OPENAPI=1 dotnet test --filter FullyQualifiedName~OpenApiDocumentTests";

    static string CommittedPath => Path.Combine(RepositoryRoot(), "openapi", "v1.json");

    static string RepositoryRoot() =>
        NewsApi.Development.RepositoryRoot.Find(AppContext.BaseDirectory) ?? throw new InvalidOperationException("NewsApi.sln not found above the test binaries.");

    async Task<string> Served() => await (await Client.GetAsync("/swagger/v1/swagger.json")).Content.ReadAsStringAsync();

    [Fact]
    public async Task The_committed_document_matches_the_served_one()
    {
        // Indented, with Chinese as characters, so that a change reads as a reviewable diff.
        var served = JsonNode.Parse(await Served())!.ToJsonString(new()
        {
            WriteIndented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }) + "\n";
        if (Environment.GetEnvironmentVariable("NEWSAPI_WRITE_OPENAPI") == "1")
            await File.WriteAllTextAsync(CommittedPath, served);

        var committed = File.Exists(CommittedPath) ? await File.ReadAllTextAsync(CommittedPath) : "";
        Assert.True(committed == served,
            $"openapi/v1.json differs from the document the service serves. Regenerate it with: {Regenerate}");
    }

    [Fact]
    public async Task Every_operation_is_named_summarised_and_answers_problems()
    {
        var document = JsonNode.Parse(await Served())!;

        var operations = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(o => (Path: p.Key, Method: o.Key, Operation: o.Value!)))
            .ToList();
        Assert.True(operations.Count >= 12);
        foreach (var (path, method, op) in operations)
        {
            var name = $"{method.ToUpperInvariant()} {path}";
            Assert.False(string.IsNullOrWhiteSpace((string?)op["operationId"]), $"{name} has no operationId");
            Assert.False(string.IsNullOrWhiteSpace((string?)op["summary"]), $"{name} has no summary");
            var responses = op["responses"]!.AsObject();
            Assert.True(responses.Any(r => r.Key.StartsWith('2')), $"{name} documents no success");
            foreach (var problem in responses.Where(r => r.Key[0] is '4' or '5'))
                Assert.True(problem.Value!["content"]?["application/problem+json"] is not null, $"{name} {problem.Key} is not problem+json");
            // While the database cannot be reached every operation answers 503 with Retry-After (Api/DatabaseOutage).
            Assert.True(responses["503"]?["description"]?.ToString().Contains("urn:newsapi:problem:unavailable") == true, $"{name} does not declare the outage 503");
            Assert.True(responses["503"]?["headers"]?["Retry-After"] is not null, $"{name} 503 does not declare Retry-After");
            if (op["requestBody"] is { } body)
                Assert.True(body["content"]!.AsObject().All(m => m.Value!["example"] is not null), $"{name} has no request example");
            foreach (var parameter in op["parameters"]?.AsArray() ?? [])
                Assert.False(string.IsNullOrWhiteSpace((string?)parameter!["description"]), $"{name} parameter {parameter["name"]} is not described");
        }
    }

    [Theory]
    [InlineData("SectionRequest", "position", 0)]
    [InlineData("FeaturedListRequest", "maxItems", 10)]
    public async Task A_member_the_service_defaults_is_optional_with_its_default(string schema, string member, int value)
    {
        var document = JsonNode.Parse(await Served())!;

        var declared = document["components"]!["schemas"]![schema]!;
        Assert.DoesNotContain(member, declared["required"]!.AsArray().Select(r => (string?)r));
        Assert.Equal(value, (int?)declared["properties"]![member]!["default"]);
    }

    [Theory]
    [InlineData("/api/v1/articles/{id}", "put", new[] { "200", "400", "401", "403", "404", "409", "412", "413", "428" })]
    [InlineData("/api/v1/articles/{id}", "patch", new[] { "200", "400", "401", "403", "404", "409", "412", "413", "428" })]
    [InlineData("/api/v1/articles", "post", new[] { "201", "400", "401", "403", "409", "413" })]
    [InlineData("/api/v1/articles/{id}", "get", new[] { "200", "304", "404", "406", "410" })]
    public async Task Writes_document_their_problems_and_the_key_they_need(string path, string method, string[] statuses)
    {
        var document = JsonNode.Parse(await Served())!;

        var operation = document["paths"]![path]![method]!;
        Assert.Equal(statuses.Append("429").Append("500").Append("503").Order(), operation["responses"]!.AsObject().Select(r => r.Key).Order());
        Assert.Equal(method != "get", operation["security"] is not null);
        Assert.Equal("http", (string?)document["components"]!["securitySchemes"]!["apiKey"]!["type"]);
    }

    [Theory]
    [InlineData("/api/v1/articles/slug/{slug}", true)]
    [InlineData("/api/v1/search", true)]
    [InlineData("/feeds/sections/{slug}.{format}", true)]
    [InlineData("/sitemap.xml", true)]
    [InlineData("/api/v1/articles/{id}/revisions", false)]
    [InlineData("/api/v1/webhooks", false)]
    [InlineData("/health/ready", false)]
    public async Task Only_public_reads_document_caching_headers(string path, bool isPublic)
    {
        var document = JsonNode.Parse(await Served())!;

        var responses = document["paths"]![path]!["get"]!["responses"]!;
        Assert.Equal(isPublic, responses["304"] is not null);
        Assert.Equal(isPublic, responses["200"]!["headers"]?["ETag"] is not null);
    }

    [Fact]
    public async Task Paging_parameters_carry_their_bounds()
    {
        var document = JsonNode.Parse(await Served())!;

        var limit = document["paths"]!["/api/v1/articles"]!["get"]!["parameters"]!.AsArray().Single(p => (string?)p!["name"] == "limit")!;
        Assert.Equal(1, (int?)limit["schema"]!["minimum"]);
        Assert.Equal(100, (int?)limit["schema"]!["maximum"]);
    }

    [Fact]
    public async Task A_value_past_a_documented_bound_is_refused()
    {
        var content = JsonNode.Parse(await Served())!["components"]!["schemas"]!["ArticleContent"]!["properties"]!;
        var language = (int)content["language"]!["maxLength"]!;
        var tag = (int)content["tags"]!["items"]!["maxLength"]!;
        using var editor = await As(Role.Editor);

        var tooLong = "zh-" + string.Join("-", Enumerable.Repeat("abcdefgh", language / 9 + 1));
        await (await editor.PostAsync("/api/v1/articles", JsonBody(new { title = "烏鎮", language = tooLong }))).Invalid("language");
        await (await editor.PostAsync("/api/v1/articles", JsonBody(new { title = "烏鎮", tags = new[] { new string('a', tag + 1) } }))).Invalid("tags");
    }
}
