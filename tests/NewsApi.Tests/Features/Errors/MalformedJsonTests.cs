using System.Net;
using System.Net.Http.Headers;
using System.Text;
using NewsApi.Api;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Features.Errors;

/// <summary>Duplicate keys, wrong types and broken UTF-8 are the client's mistake: a 400 problem, never a 500.</summary>
public sealed class MalformedJsonTests(ApiFixture fixture) : ApiTest(fixture)
{
    // The id faults matter to imports, which name a line that did not bind by the externalId they read from it.
    public static TheoryData<string> Faults => ["duplicate", "wrongType", "brokenUtf8", "brokenUtf8Id", "loneSurrogateId"];

    static ByteArrayContent Body(string fault, string mediaType, bool ndjson = false)
    {
        var json = fault switch
        {
            "duplicate" => """{"title":"烏鎮","title":"重複","externalId":"x-1"}""",
            "wrongType" => """{"title":["烏鎮"],"externalId":"x-1"}""",
            "brokenUtf8Id" => """{"title":"烏鎮","externalId":"x-1@"}""",
            "loneSurrogateId" => """{"title":"烏鎮","externalId":"x-\ud800"}""",
            _ => """{"title":"烏鎮@","externalId":"x-1"}""",
        };
        var bytes = Encoding.UTF8.GetBytes(json + (ndjson ? "\n" : ""));
        if (fault is "brokenUtf8" or "brokenUtf8Id")
            bytes[Array.IndexOf(bytes, (byte)'@')] = 0xFF;
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_json_body_with_the_fault_is_a_validation_problem(string fault)
    {
        using var editor = await As(Role.Editor);

        var response = await editor.PostAsync("/api/v1/articles", Body(fault, "application/json"));

        await response.Problem(HttpStatusCode.BadRequest, ProblemTypes.Validation);
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_merge_patch_body_with_the_fault_is_a_validation_problem(string fault)
    {
        using var editor = await As(Role.Editor);
        var written = await editor.PostAsync("/api/v1/articles", JsonBody(new { title = "烏鎮" }));
        var created = await written.Json(HttpStatusCode.Created);

        var response = await editor.Send(HttpMethod.Patch, $"/api/v1/articles/{created["id"]}", Body(fault, "application/merge-patch+json"), written.ETag());

        await response.Problem(HttpStatusCode.BadRequest, ProblemTypes.Validation);
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_section_merge_patch_with_the_fault_is_a_validation_problem(string fault)
    {
        using var editor = await As(Role.Editor);
        var written = await editor.PostAsync("/api/v1/sections", JsonBody(new { name = "國內", slug = "domestic" }));
        await written.Json(HttpStatusCode.Created);

        var response = await editor.Send(HttpMethod.Patch, "/api/v1/sections/domestic", Body(fault, "application/merge-patch+json"), written.ETag());

        await response.Problem(HttpStatusCode.BadRequest, ProblemTypes.Validation);
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task An_ndjson_import_line_with_the_fault_is_invalid_and_nothing_is_written(string fault)
    {
        using var editor = await As(Role.Editor);

        var response = await editor.PostAsync("/api/v1/import/articles", Body(fault, "application/x-ndjson", ndjson: true));

        Assert.True((int)response.StatusCode < 500, await response.Content.ReadAsStringAsync());
        await AssertRefusedOrInvalid(response);
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_json_array_import_item_with_the_fault_is_invalid_and_nothing_is_written(string fault)
    {
        using var editor = await As(Role.Editor);
        var item = Body(fault, "application/json");
        var bytes = new byte[] { (byte)'[' }.Concat(await item.ReadAsByteArrayAsync()).Append((byte)']').ToArray();
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var response = await editor.PostAsync("/api/v1/import/articles", content);

        await AssertRefusedOrInvalid(response);
    }

    // An import answers 400 for a body it cannot read at all, or 200 with the line marked invalid; never a 5xx.
    async Task AssertRefusedOrInvalid(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode == HttpStatusCode.BadRequest)
            await response.Problem(HttpStatusCode.BadRequest, ProblemTypes.Validation);
        else
        {
            Assert.True(response.StatusCode == HttpStatusCode.OK, text);
            Assert.Contains("\"outcome\":\"invalid\"", text, StringComparison.Ordinal);
        }
        await using var db = Fixture.NewDbContext();
        Assert.False(db.Articles.Any());
    }
}
