using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;

namespace NewsApi.Tests.Features.Caching;

/// <summary>
/// A CDN purges by tag: every public answer names its cache tags in <c>Surrogate-Key</c>, the very names a change
/// records for the instances to evict, so a purge of a change's tags at the edge removes what it made stale.
/// </summary>
public sealed class SurrogateKeyTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task An_article_names_the_keys_its_own_change_purges()
    {
        var story = await Given.Article("wuzhen-summit").Save();
        var bySlug = await Client.GetAsync("/api/v1/articles/slug/wuzhen-summit");
        var byId = await Client.GetAsync($"/api/v1/articles/{story.Id}");
        var list = await Client.GetAsync("/api/v1/articles");

        using var editor = await As(Role.Editor);
        Assert.Equal(HttpStatusCode.OK, (await editor.PostAsync($"/api/v1/articles/{story.Id}/unpublish", null)).StatusCode);

        Assert.Equal("all article-slug:wuzhen-summit", Keys(bySlug));
        Assert.Equal($"all article:{story.Id}", Keys(byId));
        Assert.Equal("all article-lists", Keys(list));
        await using var db = Fixture.NewDbContext();
        var purged = (await db.Set<CacheInvalidation>().OrderByDescending(i => i.Id).FirstAsync()).Tags;
        Assert.Contains("article-slug:wuzhen-summit", purged);
        Assert.Contains($"article:{story.Id}", purged);
        Assert.Contains("article-lists", purged);
    }

    [Fact]
    public async Task A_cached_answer_names_the_same_keys_and_an_answer_to_a_key_names_none()
    {
        await Given.Section("domestic", "國內");
        var miss = await Client.GetAsync("/api/v1/sections/domestic");
        var hit = await Client.GetAsync("/api/v1/sections/domestic");
        using var previewer = await As(Role.Previewer);

        var keyed = await previewer.GetAsync("/api/v1/sections/domestic");

        Assert.Equal("all sections", Keys(miss));
        Assert.Equal(Keys(miss), Keys(hit));
        Assert.False(keyed.Headers.Contains("Surrogate-Key"));
    }

    [Fact]
    public async Task A_slug_of_any_characters_in_the_url_gives_a_not_found_with_its_key_percent_encoded()
    {
        var response = await Client.GetAsync("/api/v1/articles/slug/%E7%83%8F%E9%8E%AE%20x,y");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("all article-slug:%E7%83%8F%E9%8E%AE%20x%2Cy", Keys(response));
    }

    [Fact]
    public async Task The_header_takes_the_name_the_CDN_reads()
    {
        await using var cloudflare = new ApiFactory(Fixture.ConnectionString, new FakeTimeProvider(ApiFixture.Now),
            settings: new() { ["Caching:SurrogateKeyHeader"] = "Cache-Tag" });
        using var client = cloudflare.CreateHttpClient();

        var response = await client.GetAsync("/api/v1/sections");

        Assert.Equal(["all,sections"], response.Headers.GetValues("Cache-Tag")); // Cloudflare's list is comma-separated
        Assert.False(response.Headers.Contains("Surrogate-Key"));
    }

    static string Keys(HttpResponseMessage response) => Assert.Single(response.Headers.GetValues("Surrogate-Key"));
}
