using System.Net;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Features.Sections;

public sealed class WriteSectionTests(ApiFixture fixture) : ApiTest(fixture)
{
    static StringContent MergePatch(string json) => Raw(json, "application/merge-patch+json");

    async Task<string> ETagOf(HttpClient client, string slug) => (await client.GetAsync($"/api/v1/sections/{slug}")).ETag();

    [Fact]
    public async Task Creating_gives_a_pinyin_slug_an_etag_and_a_place_in_the_tree()
    {
        using var editor = await As(Role.Editor);
        await Given.Section("domestic", "國內");

        var response = await editor.PostAsync("/api/v1/sections", JsonBody(new { name = "浙江", description = "浙江新聞", parent = "domestic", position = 2 }));

        var section = await response.Json(HttpStatusCode.Created);
        Assert.Equal("zhe-jiang", (string?)section["slug"]);
        Assert.Equal("domestic", (string?)section["parent"]);
        Assert.Equal(2, (int?)section["position"]);
        Assert.Equal("/api/v1/sections/zhe-jiang", response.Headers.Location?.OriginalString);
        Assert.Matches("^\"\\d+\"$", response.ETag());
        var tree = await (await Client.GetAsync("/api/v1/sections")).Json();
        Assert.Equal("zhe-jiang", (string?)tree["items"]![0]!["children"]![0]!["slug"]);
        Assert.Equal(response.ETag().Version(), (await ETagOf(Client, "zhe-jiang")).Version());
    }

    [Fact]
    public async Task Position_may_be_left_out_and_is_then_0_first_among_its_siblings()
    {
        using var editor = await As(Role.Editor);
        await Given.Section("world", "國際", position: 1);

        var section = await (await editor.PostAsync("/api/v1/sections", JsonBody(new { name = "國內" }))).Json(HttpStatusCode.Created);

        Assert.Equal(0, (int?)section["position"]);
        var tree = await (await Client.GetAsync("/api/v1/sections")).Json();
        Assert.Equal("guo-nei", (string?)tree["items"]![0]!["slug"]);
    }

    [Fact]
    public async Task A_taken_slug_is_a_409_and_a_generated_one_is_numbered()
    {
        using var editor = await As(Role.Editor);
        await Given.Section("guo-nei", "國內");

        await (await editor.PostAsync("/api/v1/sections", JsonBody(new { name = "其他", slug = "guo-nei" }))).Problem(HttpStatusCode.Conflict, ProblemTypes.Conflict);
        var second = await (await editor.PostAsync("/api/v1/sections", JsonBody(new { name = "國內" }))).Json(HttpStatusCode.Created);

        Assert.Equal("guo-nei-2", (string?)second["slug"]);
    }

    [Theory]
    [InlineData("""{"name":""}""", "name")]
    [InlineData("""{"name":"<i>國內</i>"}""", "name")]
    [InlineData("""{"name":"國內","slug":"Guo Nei"}""", "slug")]
    [InlineData("""{"name":"國內","parent":"nowhere"}""", "parent")]
    [InlineData("""{"name":"國內","position":-1}""", "position")]
    [InlineData("""{"name":"國內","description":"a\u0000b"}""", "description")]
    [InlineData("""{"name":"國內","id":"01a21c06-4d64-7965-8828-83d0b2c9493e"}""", "id")]
    [InlineData("""{"name":"國內","version":7}""", "version")]
    [InlineData("""{"name":"國內","createdAt":"2020-01-01T00:00:00Z"}""", "createdAt")]
    [InlineData("""{"name":"國內","updatedAt":"2020-01-01T00:00:00Z"}""", "updatedAt")]
    public async Task Invalid_or_mass_assigning_creates_are_refused_and_create_nothing(string json, string field)
    {
        using var editor = await As(Role.Editor);

        await (await editor.PostAsync("/api/v1/sections", Raw(json))).Invalid(field);

        await using var db = Fixture.NewDbContext();
        Assert.Equal(0, await db.Sections.CountAsync());
    }

    [Fact]
    public async Task Writes_need_an_editor_key()
    {
        await Given.Section("domestic", "國內");
        using var previewer = await As(Role.Previewer);

        await (await Client.PostAsync("/api/v1/sections", JsonBody(new { name = "國內" }))).Problem(HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
        await (await previewer.PostAsync("/api/v1/sections", JsonBody(new { name = "國內" }))).Problem(HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        await (await previewer.Send(HttpMethod.Delete, "/api/v1/sections/domestic", null, await ETagOf(previewer, "domestic")))
            .Problem(HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
    }

    [Fact]
    public async Task Replacing_needs_if_match_refuses_a_stale_one_and_may_rename()
    {
        using var editor = await As(Role.Editor);
        await Given.Section("domestic", "國內", position: 1);
        var etag = await ETagOf(editor, "domestic");
        var body = JsonBody(new { name = "國內新聞", slug = "china", description = "內地消息" });

        await (await editor.Send(HttpMethod.Put, "/api/v1/sections/domestic", body)).Problem(HttpStatusCode.PreconditionRequired, ProblemTypes.PreconditionRequired);
        await (await editor.Send(HttpMethod.Put, "/api/v1/sections/domestic", JsonBody(new { name = "x" }), "\"1\"")).Problem(HttpStatusCode.PreconditionFailed, ProblemTypes.PreconditionFailed);
        var ok = await editor.Send(HttpMethod.Put, "/api/v1/sections/domestic", JsonBody(new { name = "國內新聞", slug = "china", description = "內地消息" }), etag);

        var section = await ok.Json();
        Assert.Equal("china", (string?)section["slug"]);
        Assert.Equal("國內新聞", (string?)section["name"]);
        Assert.Equal(0, (int?)section["position"]);
        Assert.NotEqual(etag, ok.ETag());
        // The old slug keeps answering, with a redirect to the new one.
        Assert.Equal(HttpStatusCode.MovedPermanently, (await Client.GetAsync("/api/v1/sections/domestic")).StatusCode);
        await (await editor.Send(HttpMethod.Put, "/api/v1/sections/china", JsonBody(new { name = "again" }), etag)).Problem(HttpStatusCode.PreconditionFailed, ProblemTypes.PreconditionFailed);
    }

    [Fact]
    public async Task A_merge_patch_changes_what_it_names_and_null_removes()
    {
        using var editor = await As(Role.Editor);
        var domestic = await Given.Section("domestic", "國內");
        await Given.Section("zhejiang", "浙江", parent: domestic, position: 3);

        var response = await editor.Send(HttpMethod.Patch, "/api/v1/sections/zhejiang", MergePatch("""{"description":"浙江省","parent":null}"""), await ETagOf(editor, "zhejiang"));

        var section = await response.Json();
        Assert.Equal("浙江", (string?)section["name"]);
        Assert.Equal("浙江省", (string?)section["description"]);
        Assert.Null(section["parent"]);
        Assert.Equal(3, (int?)section["position"]);
        await (await editor.Send(HttpMethod.Patch, "/api/v1/sections/zhejiang", MergePatch("""{"name":null}"""), response.ETag())).Invalid("name");
        await (await editor.Send(HttpMethod.Patch, "/api/v1/sections/zhejiang", MergePatch("""{"version":1}"""), response.ETag())).Invalid("version");
    }

    [Theory]
    [InlineData("domestic")]
    [InlineData("zhejiang")]
    [InlineData("wuzhen")]
    public async Task A_parent_that_is_the_section_or_below_it_is_refused(string parent)
    {
        using var editor = await As(Role.Editor);
        var domestic = await Given.Section("domestic", "國內");
        var zhejiang = await Given.Section("zhejiang", "浙江", parent: domestic);
        await Given.Section("wuzhen", "烏鎮", parent: zhejiang);

        await (await editor.Send(HttpMethod.Patch, "/api/v1/sections/domestic", MergePatch($$"""{"parent":"{{parent}}"}"""), await ETagOf(editor, "domestic")))
            .Invalid("parent");

        var tree = await (await Client.GetAsync("/api/v1/sections")).Json();
        Assert.Equal(["domestic"], tree["items"]!.AsArray().Select(s => (string)s!["slug"]!));
    }

    [Fact]
    public async Task A_section_can_move_under_another_branch()
    {
        using var editor = await As(Role.Editor);
        await Given.Section("domestic", "國內");
        await Given.Section("world", "國際");

        var section = await (await editor.Send(HttpMethod.Patch, "/api/v1/sections/world", MergePatch("""{"parent":"domestic"}"""), await ETagOf(editor, "world"))).Json();

        Assert.Equal(["domestic", "world"], section["path"]!.AsArray().Select(s => (string)s!["slug"]!));
    }

    [Fact]
    public async Task Deleting_a_section_that_holds_articles_or_sub_sections_is_a_409_saying_how_many()
    {
        using var editor = await As(Role.Editor);
        var domestic = await Given.Section("domestic", "國內");
        await Given.Section("zhejiang", "浙江", parent: domestic);
        await Given.Article("one").In(domestic).Save();
        await Given.Article("two").In(domestic).Save();

        var problem = await (await editor.Send(HttpMethod.Delete, "/api/v1/sections/domestic", null, await ETagOf(editor, "domestic")))
            .Problem(HttpStatusCode.Conflict, ProblemTypes.Conflict);

        Assert.Contains("2 article(s) and 1 sub-section(s)", (string?)problem["detail"]);
        await (await Client.GetAsync("/api/v1/sections/domestic")).Json();
    }

    [Fact]
    public async Task Deleting_with_move_to_moves_articles_sub_sections_and_backfill_first()
    {
        using var editor = await As(Role.Editor);
        var old = await Given.Section("old-news", "舊聞");
        await Given.Section("news", "新聞");
        await Given.Section("zhejiang", "浙江", parent: old);
        await Given.Article("one").In(old).Save();
        await Given.FeaturedList("old-picks", "舊聞精選", old);

        var response = await editor.Send(HttpMethod.Delete, "/api/v1/sections/old-news?moveTo=news", null, await ETagOf(editor, "old-news"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(["one"], (await (await Client.GetAsync("/api/v1/articles?section=news")).Json()).Slugs());
        Assert.Equal("news", (string?)(await (await Client.GetAsync("/api/v1/sections/zhejiang")).Json())["parent"]);
        Assert.Equal("news", (string?)(await (await Client.GetAsync("/api/v1/featured-lists/old-picks")).Json())["section"]);
    }

    [Fact]
    public async Task Move_to_must_be_another_existing_section_outside_the_one_deleted()
    {
        using var editor = await As(Role.Editor);
        var domestic = await Given.Section("domestic", "國內");
        await Given.Section("zhejiang", "浙江", parent: domestic);
        var etag = await ETagOf(editor, "domestic");

        await (await editor.Send(HttpMethod.Delete, "/api/v1/sections/domestic?moveTo=nowhere", null, etag)).Invalid("moveTo");
        await (await editor.Send(HttpMethod.Delete, "/api/v1/sections/domestic?moveTo=zhejiang", null, etag)).Invalid("moveTo");
        await (await editor.Send(HttpMethod.Delete, "/api/v1/sections/domestic?moveTo=domestic", null, etag)).Invalid("moveTo");
    }

    [Fact]
    public async Task Deleting_an_empty_section_needs_if_match()
    {
        using var editor = await As(Role.Editor);
        await Given.Section("empty", "空");

        await (await editor.DeleteAsync("/api/v1/sections/empty")).Problem(HttpStatusCode.PreconditionRequired, ProblemTypes.PreconditionRequired);
        await (await editor.Send(HttpMethod.Delete, "/api/v1/sections/empty", null, "\"1\"")).Problem(HttpStatusCode.PreconditionFailed, ProblemTypes.PreconditionFailed);
        Assert.Equal(HttpStatusCode.NoContent, (await editor.Send(HttpMethod.Delete, "/api/v1/sections/empty", null, await ETagOf(editor, "empty"))).StatusCode);
        await (await Client.GetAsync("/api/v1/sections/empty")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Fact]
    public async Task Parallel_creates_of_one_slug_give_one_201_and_409s()
    {
        using var editor = await As(Role.Editor);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => editor.PostAsync("/api/v1/sections", JsonBody(new { name = "國內", slug = "race" }))));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        foreach (var conflict in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
            await conflict.Problem(HttpStatusCode.Conflict, ProblemTypes.Conflict);
    }
}
