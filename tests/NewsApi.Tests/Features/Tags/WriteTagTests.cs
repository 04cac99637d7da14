using System.Net;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Features.Tags;

public sealed class WriteTagTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Creating_gives_a_pinyin_slug_readable_by_slug_with_the_same_etag()
    {
        using var editor = await As(Role.Editor);

        var response = await editor.PostAsync("/api/v1/tags", JsonBody(new { name = "人工智能" }));

        var tag = await response.Json(HttpStatusCode.Created);
        Assert.Equal("ren-gong-zhi-neng", (string?)tag["slug"]);
        Assert.Equal("/api/v1/tags/ren-gong-zhi-neng", response.Headers.Location?.OriginalString);
        var read = await Client.GetAsync("/api/v1/tags/ren-gong-zhi-neng");
        Assert.Equal("人工智能", (string?)(await read.Json())["name"]);
        Assert.Equal(response.ETag().Version(), read.ETag().Version());
        await (await Client.GetAsync("/api/v1/tags/nothing")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Theory]
    [InlineData("""{"name":" "}""", "name")]
    [InlineData("""{"name":"<script>x</script>"}""", "name")]
    [InlineData("""{"name":"烏鎮","slug":"wu_zhen"}""", "slug")]
    [InlineData("""{"name":"烏鎮","id":"01a21c06-4d64-7965-8828-83d0b2c9493e"}""", "id")]
    [InlineData("""{"name":"烏鎮","version":3}""", "version")]
    public async Task Invalid_or_mass_assigning_creates_are_refused_and_create_nothing(string json, string field)
    {
        using var editor = await As(Role.Editor);

        await (await editor.PostAsync("/api/v1/tags", Raw(json))).Invalid(field);

        await using var db = Fixture.NewDbContext();
        Assert.Equal(0, await db.Tags.CountAsync());
    }

    [Fact]
    public async Task Writes_need_an_editor_key()
    {
        using var previewer = await As(Role.Previewer);

        await (await Client.PostAsync("/api/v1/tags", JsonBody(new { name = "烏鎮" }))).Problem(HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
        await (await previewer.PostAsync("/api/v1/tags", JsonBody(new { name = "烏鎮" }))).Problem(HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
    }

    [Fact]
    public async Task Renaming_needs_if_match_and_keeps_the_tag_on_its_articles()
    {
        using var editor = await As(Role.Editor);
        var tag = await Given.Tag("wuzhen", "烏鎮");
        await Given.Article("story").Tagged(tag).Save();
        var etag = (await Client.GetAsync("/api/v1/tags/wuzhen")).ETag();

        await (await editor.Send(HttpMethod.Put, "/api/v1/tags/wuzhen", JsonBody(new { name = "烏鎮峰會" }))).Problem(HttpStatusCode.PreconditionRequired, ProblemTypes.PreconditionRequired);
        await (await editor.Send(HttpMethod.Put, "/api/v1/tags/wuzhen", JsonBody(new { name = "烏鎮峰會" }), "\"1\"")).Problem(HttpStatusCode.PreconditionFailed, ProblemTypes.PreconditionFailed);
        var renamed = await editor.Send(HttpMethod.Patch, "/api/v1/tags/wuzhen", Raw("""{"slug":"wuzhen-summit"}""", "application/merge-patch+json"), etag);

        Assert.Equal("烏鎮", (string?)(await renamed.Json())["name"]);
        Assert.NotEqual(etag, renamed.ETag());
        Assert.Equal(["story"], (await (await Client.GetAsync("/api/v1/articles?tag=wuzhen-summit")).Json()).Slugs());
        var replaced = await editor.Send(HttpMethod.Put, "/api/v1/tags/wuzhen-summit", JsonBody(new { name = "烏鎮峰會" }), renamed.ETag());
        Assert.Equal("wuzhen-summit", (string?)(await replaced.Json())["slug"]);
    }

    [Fact]
    public async Task Renaming_to_a_taken_slug_is_a_409()
    {
        using var editor = await As(Role.Editor);
        await Given.Tag("wuzhen", "烏鎮");
        await Given.Tag("ai", "人工智能");

        await (await editor.Send(HttpMethod.Patch, "/api/v1/tags/wuzhen", Raw("""{"slug":"ai"}""", "application/merge-patch+json"), (await Client.GetAsync("/api/v1/tags/wuzhen")).ETag()))
            .Problem(HttpStatusCode.Conflict, ProblemTypes.Conflict);
    }

    [Fact]
    public async Task Deleting_a_tag_in_use_takes_it_off_its_articles()
    {
        using var editor = await As(Role.Editor);
        var wuzhen = await Given.Tag("wuzhen", "烏鎮");
        var ai = await Given.Tag("ai", "人工智能");
        var story = await Given.Article("story").Tagged(wuzhen, ai).Save();

        await (await editor.DeleteAsync("/api/v1/tags/wuzhen")).Problem(HttpStatusCode.PreconditionRequired, ProblemTypes.PreconditionRequired);
        var response = await editor.Send(HttpMethod.Delete, "/api/v1/tags/wuzhen", null, (await Client.GetAsync("/api/v1/tags/wuzhen")).ETag());

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var article = await (await Client.GetAsync($"/api/v1/articles/{story.Id}")).Json();
        Assert.Equal(["ai"], article["tags"]!.AsArray().Select(t => (string)t!["slug"]!));
    }

    [Fact]
    public async Task Parallel_creates_of_one_slug_give_one_201_and_409s()
    {
        using var editor = await As(Role.Editor);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => editor.PostAsync("/api/v1/tags", JsonBody(new { name = "烏鎮", slug = "race" }))));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        foreach (var conflict in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
            await conflict.Problem(HttpStatusCode.Conflict, ProblemTypes.Conflict);
    }
}
