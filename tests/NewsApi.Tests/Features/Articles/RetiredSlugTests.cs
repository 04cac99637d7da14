using System.Net;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Features.Articles;

/// <summary>A slug an article gave up keeps redirecting until a write that takes it is saved: never by a write that fails.</summary>
public sealed class RetiredSlugTests(ApiFixture fixture) : ApiTest(fixture)
{
    // Stands in for a parallel request that takes the slug between the write's checks and its save.
    const string Fail = """
        CREATE OR REPLACE FUNCTION test_slug_taken() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'slug taken meanwhile' USING ERRCODE = 'unique_violation', CONSTRAINT = 'ix_articles_slug'; END $$;
        CREATE TRIGGER test_slug_taken BEFORE INSERT OR UPDATE ON articles FOR EACH ROW WHEN (NEW.slug = 'wuzhen-summit') EXECUTE FUNCTION test_slug_taken();
        """;

    [Fact]
    public async Task A_change_to_a_retired_slug_that_fails_to_save_keeps_the_redirect()
    {
        using var editor = await As(Role.Editor);
        var renamed = await Renamed(editor);
        var other = await (await editor.PostAsync("/api/v1/articles", JsonBody(new { title = "另一篇", slug = "another" }))).Json(HttpStatusCode.Created);
        var id = (string)other["id"]!;
        var etag = (await editor.GetAsync($"/api/v1/articles/{id}")).ETag();

        var failed = await WhileSavesFail(() => editor.Send(HttpMethod.Put, $"/api/v1/articles/{id}",
            JsonBody(new { title = "另一篇", slug = "wuzhen-summit" }), etag));

        await failed.Problem(HttpStatusCode.Conflict, ProblemTypes.Conflict);
        await AssertStillRedirects(renamed);
    }

    [Fact]
    public async Task A_create_on_a_retired_slug_that_fails_to_save_keeps_the_redirect()
    {
        using var editor = await As(Role.Editor);
        var renamed = await Renamed(editor);

        var failed = await WhileSavesFail(() => editor.PostAsync("/api/v1/articles", JsonBody(new { title = "新的", slug = "wuzhen-summit" })));

        await failed.Problem(HttpStatusCode.Conflict, ProblemTypes.Conflict);
        await AssertStillRedirects(renamed);
    }

    [Fact]
    public async Task A_change_to_a_retired_slug_that_saves_takes_it_over()
    {
        using var editor = await As(Role.Editor);
        await Renamed(editor);
        var other = await (await editor.PostAsync("/api/v1/articles", JsonBody(new { title = "另一篇", slug = "another" }))).Json(HttpStatusCode.Created);
        var id = (string)other["id"]!;
        var etag = (await editor.GetAsync($"/api/v1/articles/{id}")).ETag();

        await (await editor.Send(HttpMethod.Put, $"/api/v1/articles/{id}", JsonBody(new { title = "另一篇", slug = "wuzhen-summit" }), etag)).Json();

        await using var db = Fixture.NewDbContext();
        Assert.False(await db.ArticleSlugs.AnyAsync(s => s.Slug == "wuzhen-summit"));
        Assert.Equal(Guid.Parse(id), (await db.ArticleSlugs.SingleAsync(s => s.Slug == "another")).ArticleId);
    }

    /// <summary>An article first published as wuzhen-summit, then renamed: the old slug redirects to it.</summary>
    static async Task<Guid> Renamed(HttpClient editor)
    {
        var created = await (await editor.PostAsync("/api/v1/articles", JsonBody(new { title = "烏鎮峰會", slug = "wuzhen-summit" }))).Json(HttpStatusCode.Created);
        var id = (string)created["id"]!;
        var etag = (await editor.GetAsync($"/api/v1/articles/{id}")).ETag();
        await (await editor.Send(HttpMethod.Put, $"/api/v1/articles/{id}", JsonBody(new { title = "烏鎮峰會", slug = "wuzhen-summit-2023" }), etag)).Json();
        return Guid.Parse(id);
    }

    async Task<HttpResponseMessage> WhileSavesFail(Func<Task<HttpResponseMessage>> write)
    {
        await using var db = Fixture.NewDbContext();
        await db.Database.ExecuteSqlRawAsync(Fail);
        try
        {
            return await write();
        }
        finally
        {
            await db.Database.ExecuteSqlRawAsync("DROP TRIGGER test_slug_taken ON articles; DROP FUNCTION test_slug_taken();");
        }
    }

    async Task AssertStillRedirects(Guid article)
    {
        await using var db = Fixture.NewDbContext();
        Assert.Equal(article, (await db.ArticleSlugs.SingleAsync(s => s.Slug == "wuzhen-summit")).ArticleId);
        using var previewer = await As(Role.Previewer);
        var response = await previewer.GetAsync("/api/v1/articles/slug/wuzhen-summit");
        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.EndsWith("/api/v1/articles/slug/wuzhen-summit-2023", response.Headers.Location!.ToString());
    }
}
