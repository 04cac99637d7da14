using System.Net;
using System.Text;
using NewsApi.Api;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Features.Limits;

/// <summary>Each route's body limit: 2 MiB where bodies carry article text, 64 KiB elsewhere, always a 413 problem.</summary>
public sealed class BodyLimitTests(ApiFixture fixture) : ApiTest(fixture)
{
    static string Article(int paragraphs, int length) =>
        $$"""{"title":"長文","body":[{{string.Join(",", Enumerable.Repeat($$"""{"type":"paragraph","text":"{{new string('字', length)}}"}""", paragraphs))}}]}""";

    static async Task AssertTooLarge(HttpResponseMessage response, string limit, long max)
    {
        var problem = await response.Problem(HttpStatusCode.RequestEntityTooLarge, ProblemTypes.PayloadTooLarge);
        Assert.Equal(limit, (string?)problem["limit"]);
        Assert.Equal(max, (long?)problem["max"]);
    }

    [Fact]
    public async Task An_article_write_over_2_MiB_is_a_413_problem_naming_the_limit()
    {
        using var editor = await As(Role.Editor);
        var body = Article(paragraphs: 500, length: 1500); // about 2.2 MiB of UTF-8

        var response = await editor.PostAsync("/api/v1/articles", Raw(body));

        await AssertTooLarge(response, "Limits:MaxContentBytes", 2 * 1024 * 1024);
    }

    [Fact]
    public async Task An_article_write_of_300_KB_is_taken_though_it_is_over_the_general_limit()
    {
        using var editor = await As(Role.Editor);
        var body = Article(paragraphs: 200, length: 500);
        Assert.True(Encoding.UTF8.GetByteCount(body) > 64 * 1024);

        await (await editor.PostAsync("/api/v1/articles", Raw(body))).Json(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Another_body_over_64_KiB_is_a_413_problem()
    {
        using var editor = await As(Role.Editor);
        var body = $$"""{"name":"{{new string('字', 30_000)}}"}""";

        var response = await editor.PostAsync("/api/v1/tags", Raw(body));

        await AssertTooLarge(response, "Limits:MaxBodyBytes", 64 * 1024);
    }

    [Fact]
    public async Task A_chunked_body_without_content_length_is_stopped_at_the_limit_with_a_413_problem()
    {
        using var editor = await As(Role.Editor);
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes($$"""{"name":"{{new string('字', 30_000)}}"}""")));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tags") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await editor.SendAsync(request);

        Assert.Null(request.Content.Headers.ContentLength);
        await AssertTooLarge(response, "Limits:MaxBodyBytes", 64 * 1024);
    }

    [Fact]
    public async Task A_chunked_article_write_over_2_MiB_is_a_413_problem()
    {
        using var editor = await As(Role.Editor);
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(Article(paragraphs: 500, length: 1500))));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/articles") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        await AssertTooLarge(await editor.SendAsync(request), "Limits:MaxContentBytes", 2 * 1024 * 1024);
    }

    [Fact]
    public async Task A_chunked_merge_patch_over_the_limit_is_a_413_problem()
    {
        using var editor = await As(Role.Editor);
        var tag = await Given.Tag("summit", "峰會");
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes($$"""{"name":"{{new string('字', 30_000)}}"}""")));
        content.Headers.ContentType = new("application/merge-patch+json");
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/tags/{tag.Slug}") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");

        await AssertTooLarge(await editor.SendAsync(request), "Limits:MaxBodyBytes", 64 * 1024);
    }
}
