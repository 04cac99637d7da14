using System.Net;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Features.Authors;

public sealed class WriteAuthorTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Creating_gives_a_pinyin_slug_and_the_etag_the_read_shows()
    {
        using var editor = await As(Role.Editor);

        var response = await editor.PostAsync("/api/v1/authors", JsonBody(new { name = "張煜歡", bio = "中新網記者" }));

        var author = await response.Json(HttpStatusCode.Created);
        Assert.Equal("zhang-yu-huan", (string?)author["slug"]);
        Assert.Equal("中新網記者", (string?)author["bio"]);
        Assert.Equal(response.ETag().Version(), (await Client.GetAsync("/api/v1/authors/zhang-yu-huan")).ETag().Version());
    }

    [Theory]
    [InlineData("""{"name":""}""", "name")]
    [InlineData("""{"name":"張煜歡","bio":"<b>記者</b>"}""", "bio")]
    [InlineData("""{"name":"張煜歡","slug":"-zhang"}""", "slug")]
    [InlineData("""{"name":"張煜歡","id":"01a21c06-4d64-7965-8828-83d0b2c9493e"}""", "id")]
    [InlineData("""{"name":"張煜歡","version":3}""", "version")]
    public async Task Invalid_or_mass_assigning_creates_are_refused_and_create_nothing(string json, string field)
    {
        using var editor = await As(Role.Editor);

        await (await editor.PostAsync("/api/v1/authors", Raw(json))).Invalid(field);

        await using var db = Fixture.NewDbContext();
        Assert.Equal(0, await db.Authors.CountAsync());
    }

    [Fact]
    public async Task Writes_need_an_editor_key()
    {
        await Given.Author("zhang", "張");
        using var previewer = await As(Role.Previewer);

        await (await Client.Send(HttpMethod.Put, "/api/v1/authors/zhang", JsonBody(new { name = "張" }), "\"1\"")).Problem(HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
        await (await previewer.PostAsync("/api/v1/authors", JsonBody(new { name = "張" }))).Problem(HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
    }

    [Fact]
    public async Task Replacing_needs_if_match_and_clears_what_is_left_out()
    {
        using var editor = await As(Role.Editor);
        await Given.Author("zhang", "張煜歡", "中新網記者");
        var etag = (await Client.GetAsync("/api/v1/authors/zhang")).ETag();

        await (await editor.Send(HttpMethod.Put, "/api/v1/authors/zhang", JsonBody(new { name = "張記者" }))).Problem(HttpStatusCode.PreconditionRequired, ProblemTypes.PreconditionRequired);
        await (await editor.Send(HttpMethod.Put, "/api/v1/authors/zhang", JsonBody(new { name = "張記者" }), "\"1\"")).Problem(HttpStatusCode.PreconditionFailed, ProblemTypes.PreconditionFailed);
        var replaced = await editor.Send(HttpMethod.Put, "/api/v1/authors/zhang", JsonBody(new { name = "張記者" }), etag);

        var author = await replaced.Json();
        Assert.Equal("張記者", (string?)author["name"]);
        Assert.Null(author["bio"]);
        Assert.Equal("zhang", (string?)author["slug"]);
        var patched = await (await editor.Send(HttpMethod.Patch, "/api/v1/authors/zhang", Raw("""{"bio":"浙江記者"}""", "application/merge-patch+json"), replaced.ETag())).Json();
        Assert.Equal("浙江記者", (string?)patched["bio"]);
        Assert.Equal("張記者", (string?)patched["name"]);
    }

    [Fact]
    public async Task An_author_credited_on_articles_is_not_deleted()
    {
        using var editor = await As(Role.Editor);
        var zhang = await Given.Author("zhang", "張煜歡");
        await Given.Author("li", "李");
        await Given.Article("one").By(zhang).Save();
        await Given.Article("two").By(zhang).Save();

        var problem = await (await editor.Send(HttpMethod.Delete, "/api/v1/authors/zhang", null, (await Client.GetAsync("/api/v1/authors/zhang")).ETag()))
            .Problem(HttpStatusCode.Conflict, ProblemTypes.Conflict);
        Assert.Contains("2 article(s)", (string?)problem["detail"]);

        await (await editor.DeleteAsync("/api/v1/authors/li")).Problem(HttpStatusCode.PreconditionRequired, ProblemTypes.PreconditionRequired);
        Assert.Equal(HttpStatusCode.NoContent, (await editor.Send(HttpMethod.Delete, "/api/v1/authors/li", null, (await Client.GetAsync("/api/v1/authors/li")).ETag())).StatusCode);
        await (await Client.GetAsync("/api/v1/authors/li")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Fact]
    public async Task Parallel_creates_of_one_slug_give_one_201_and_409s()
    {
        using var editor = await As(Role.Editor);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => editor.PostAsync("/api/v1/authors", JsonBody(new { name = "張", slug = "race" }))));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        foreach (var conflict in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
            await conflict.Problem(HttpStatusCode.Conflict, ProblemTypes.Conflict);
    }
}
