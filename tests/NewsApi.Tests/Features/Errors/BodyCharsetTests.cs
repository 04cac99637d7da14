using System.Net;
using System.Net.Http.Headers;
using System.Text;
using NewsApi.Api;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Import.ImportTestData;

namespace NewsApi.Tests.Features.Errors;

/// <summary>Bodies are UTF-8: a Content-Type naming any other charset is a 415 problem, never a 500, and nothing is written.</summary>
public sealed class BodyCharsetTests(ApiFixture fixture) : ApiTest(fixture)
{
    static ByteArrayContent Section(string contentType, Encoding? encoding = null)
    {
        var content = new ByteArrayContent((encoding ?? Encoding.UTF8).GetBytes("""{"name":"國內","slug":"domestic"}"""));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    [Theory]
    [InlineData("application/json; charset=ebcdic")]
    [InlineData("application/json; charset=utf-7")]
    [InlineData("application/json; charset=\"\"")]
    [InlineData("application/json; charset=x-unknown")]
    [InlineData("application/json; charset=utf-16")]
    [InlineData("application/json; charset=iso-8859-1")]
    [InlineData("application/json; charset=\"utf-8\"")]
    public async Task A_json_body_in_another_charset_is_unsupported(string contentType)
    {
        using var editor = await As(Role.Editor);

        var response = await editor.PostAsync("/api/v1/sections", Section(contentType, contentType.EndsWith("utf-16", StringComparison.Ordinal) ? Encoding.Unicode : null));

        await response.Problem(HttpStatusCode.UnsupportedMediaType, ProblemTypes.UnsupportedMediaType);
        await using var db = Fixture.NewDbContext();
        Assert.False(db.Sections.Any());
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json; charset=UTF-8")]
    [InlineData("application/json")]
    public async Task A_json_body_in_utf_8_is_taken(string contentType)
    {
        using var editor = await As(Role.Editor);

        var response = await editor.PostAsync("/api/v1/sections", Section(contentType));

        await response.Json(HttpStatusCode.Created);
    }

    [Fact]
    public async Task An_import_in_another_charset_is_unsupported_rather_than_read_as_utf_8()
    {
        using var editor = await As(Role.Editor);
        var content = new ByteArrayContent(Encoding.Latin1.GetBytes(Ndjson(new { externalId = "x-1", title = "café" })));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-ndjson; charset=iso-8859-1");

        var response = await editor.PostAsync("/api/v1/import/articles", content);

        await response.Problem(HttpStatusCode.UnsupportedMediaType, ProblemTypes.UnsupportedMediaType);
    }
}
