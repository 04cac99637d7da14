using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Features.Errors;

/// <summary>A megabyte built to make patterns backtrack, in any text field, is answered at once.</summary>
public sealed class AdversarialTextTests(ApiFixture fixture) : ApiTest(fixture)
{
    const int Megabyte = 1 << 20;

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var field in new[] { "title", "subtitle", "summary", "byline", "source", "slug", "section", "tag", "paragraph", "html", "listItem", "caption" })
            foreach (var shape in new[] { "openTags", "openComments", "oneCharacter" })
                data.Add(field, shape);
        return data;
    }

    static string Text(string shape) => shape switch
    {
        "openTags" => string.Concat(Enumerable.Repeat("<a", Megabyte / 2)),
        "openComments" => string.Concat(Enumerable.Repeat("<!--", Megabyte / 4)),
        _ => new string('a', Megabyte),
    };

    static JsonObject Article(string field, string text)
    {
        var article = new JsonObject { ["title"] = "烏鎮" };
        JsonNode Block(string type, string member, JsonNode value) => new JsonObject { ["type"] = type, [member] = value };
        switch (field)
        {
            case "tag": article["tags"] = new JsonArray(text); break;
            case "paragraph": article["body"] = new JsonArray(Block("paragraph", "text", text)); break;
            case "html": article["body"] = new JsonArray(Block("html", "html", text)); break;
            case "listItem": article["body"] = new JsonArray(Block("list", "items", new JsonArray(text))); break;
            case "caption": article["body"] = new JsonArray(new JsonObject { ["type"] = "image", ["url"] = "https://example.com/a.jpg", ["caption"] = text }); break;
            default: article[field] = text; break;
        }
        return article;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_megabyte_of_adversarial_text_is_refused_in_under_a_second(string field, string shape)
    {
        using var editor = await As(Role.Editor);
        var body = Raw(Article(field, Text(shape)).ToJsonString());
        await editor.GetAsync("/api/v1/sections"); // the first request of a run pays for start-up, not for the text

        var clock = Stopwatch.StartNew();
        var response = await editor.PostAsync("/api/v1/articles", body);
        var elapsed = clock.Elapsed;

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge, $"{(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(elapsed < TimeSpan.FromMilliseconds(900), $"{field} ({shape}) took {elapsed.TotalMilliseconds:0} ms");
    }

    /// <summary>FluentValidation stops at a field's first failure: the rules after it do not run over the megabyte.</summary>
    [Fact]
    public async Task A_field_that_breaks_every_rule_gets_one_message()
    {
        using var editor = await As(Role.Editor);
        var title = string.Concat(Enumerable.Repeat("<b>\u0001", 100_000)); // too long, markup, and a character XML cannot carry

        var response = await editor.PostAsync("/api/v1/articles", JsonBody(new { title }));

        var problem = await response.Problem(HttpStatusCode.BadRequest, NewsApi.Api.ProblemTypes.Validation);
        Assert.Single(problem["errors"]!["title"]!.AsArray());
    }
}
