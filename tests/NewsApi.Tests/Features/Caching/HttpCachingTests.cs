using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using NewsApi.Data.Entities;
using NewsApi.Tests.Builders;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Features.Caching;

public sealed class HttpCachingTests(ApiFixture fixture) : ApiTest(fixture)
{
    static async Task<HttpResponseMessage> Get(HttpClient client, string url, Action<HttpRequestHeaders>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        headers?.Invoke(request.Headers);
        return await client.SendAsync(request);
    }

    [Theory]
    [InlineData("/api/v1/articles/slug/story")]
    [InlineData("/api/v1/articles")]
    [InlineData("/api/v1/sections")]
    [InlineData("/feeds/sections/domestic.rss")]
    public async Task Public_reads_carry_a_strong_etag_a_public_lifetime_and_vary(string url)
    {
        var domestic = await Given.Section("domestic", "國內");
        await Given.Article("story").In(domestic).Save();

        var response = await Client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.ETag!.IsWeak);
        Assert.NotNull(response.Content.Headers.LastModified);
        Assert.True(response.Headers.CacheControl is { Public: true, MaxAge.TotalSeconds: 60 });
        Assert.Contains("stale-while-revalidate=30", response.Headers.CacheControl!.ToString());
        // Every public JSON read also varies by script (Accept-Language); feeds do not.
        Assert.Equal(url.StartsWith("/api/v1/", StringComparison.Ordinal) ? ["Accept", "Accept-Language", "Authorization", "Accept-Encoding"]
            : ["Accept", "Authorization", "Accept-Encoding"], response.Headers.Vary);
    }

    [Theory]
    [InlineData("/api/v1/articles/slug/story")]
    [InlineData("/api/v1/articles?limit=5")]
    [InlineData("/api/v1/featured-lists/domestic")]
    public async Task If_none_match_with_the_current_etag_gives_304_without_a_body(string url)
    {
        var story = await Given.Article("story").Save();
        await Given.FeaturedList("domestic", "國內新聞精選", entries: [Given.Entry(story, 1, Clock.GetUtcNow().AddHours(-1))]);
        var first = await Client.GetAsync(url);

        var again = await Get(Client, url, h => h.IfNoneMatch.Add(first.Headers.ETag!));

        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Empty(await again.Content.ReadAsByteArrayAsync());
        Assert.Equal(first.Headers.ETag, again.Headers.ETag);
        Assert.NotNull(again.Headers.CacheControl);
        var stale = await Get(Client, url, h => h.IfNoneMatch.Add(new EntityTagHeaderValue("\"something-else\"")));
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
    }

    [Fact]
    public async Task If_modified_since_gives_304_when_nothing_changed()
    {
        await Given.Article("story").Save();
        var first = await Client.GetAsync("/api/v1/articles");

        var again = await Get(Client, "/api/v1/articles", h => h.IfModifiedSince = first.Content.Headers.LastModified);

        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
    }

    [Fact]
    public async Task A_change_gives_a_new_etag_at_once()
    {
        using var editor = await As(Role.Editor);
        var created = await (await editor.PostAsync("/api/v1/articles", Raw("""{"title":"烏鎮","slug":"story"}"""))).Json(HttpStatusCode.Created);
        var id = (string)created["id"]!;
        var before = await Client.GetAsync("/api/v1/articles");
        Assert.Empty((await before.Json()).Slugs());

        await (await editor.PostAsync($"/api/v1/articles/{id}/publish", null)).Json();

        var after = await Get(Client, "/api/v1/articles", h => h.IfNoneMatch.Add(before.Headers.ETag!));
        Assert.Equal(["story"], (await after.Json()).Slugs());
        Assert.NotEqual(before.Headers.ETag, after.Headers.ETag);
    }

    [Fact]
    public async Task An_articles_lifetime_never_runs_past_its_own_scheduled_unpublish()
    {
        using var editor = await As(Role.Editor);
        var live = await Given.Article("live").Save();
        await (await editor.PostAsync($"/api/v1/articles/{live.Id}/unpublish", JsonBody(new { unpublishAt = Clock.GetUtcNow().AddSeconds(20) }))).Json();

        var control = (await Client.GetAsync("/api/v1/articles/slug/live")).Headers.CacheControl!;
        Assert.Equal(20, control.MaxAge!.Value.TotalSeconds);
        Assert.Contains("stale-while-revalidate=0", control.ToString());
        // A list that shows it comes down with it too.
        Assert.Equal(20, (await Client.GetAsync("/api/v1/articles")).Headers.CacheControl!.MaxAge!.Value.TotalSeconds);

        Clock.Advance(TimeSpan.FromSeconds(15));
        var later = await Client.GetAsync($"/api/v1/articles/{live.Id}");
        Assert.Equal(5, later.Headers.CacheControl!.MaxAge!.Value.TotalSeconds);
    }

    [Fact]
    public async Task No_lifetime_counts_down_to_another_articles_schedule_or_to_an_embargos_end()
    {
        using var editor = await As(Role.Editor);
        var other = await Given.Article("other").Save();
        await Given.Article("live").Save();
        await (await editor.PostAsync($"/api/v1/articles/{other.Id}/unpublish", JsonBody(new { unpublishAt = Clock.GetUtcNow().AddSeconds(30) }))).Json();
        var soon = await (await editor.PostAsync("/api/v1/articles", Raw("""{"title":"定時","slug":"soon"}"""))).Json(HttpStatusCode.Created);
        await (await editor.PostAsync($"/api/v1/articles/{soon["id"]}/publish", JsonBody(new { publishAt = Clock.GetUtcNow().AddSeconds(20) }))).Json();
        var embargoed = await (await editor.PostAsync("/api/v1/articles",
            JsonBody(new { title = "禁發", slug = "embargoed", embargoUntil = Clock.GetUtcNow().AddSeconds(25) }))).Json(HttpStatusCode.Created);
        await (await editor.PostAsync($"/api/v1/articles/{embargoed["id"]}/publish", null)).Json();

        // The article's own lifetime: whole, whatever the others have scheduled.
        Assert.Equal(60, (await Client.GetAsync("/api/v1/articles/slug/live")).Headers.CacheControl!.MaxAge!.Value.TotalSeconds);
        // The embargoed article's 404 is any 404: polling it tells nothing of when it appears.
        var hidden = await Client.GetAsync("/api/v1/articles/slug/embargoed");
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.Equal(60, hidden.Headers.CacheControl!.MaxAge!.Value.TotalSeconds);
        Assert.Equal(60, (await Client.GetAsync($"/api/v1/articles/{embargoed["id"]}")).Headers.CacheControl!.MaxAge!.Value.TotalSeconds);
        // A list is capped by what the public can read (the other's unpublish), never by the publish or the embargo.
        Assert.Equal(30, (await Client.GetAsync("/api/v1/articles")).Headers.CacheControl!.MaxAge!.Value.TotalSeconds);
    }

    [Fact]
    public async Task A_featured_entry_that_expires_caps_the_lifetime_and_leaves_on_time()
    {
        var story = await Given.Article("story").Save();
        var other = await Given.Article("other").Save();
        await Given.FeaturedList("domestic", "國內新聞精選", entries:
            [Given.Entry(story, 1, Clock.GetUtcNow().AddHours(-1), visibleUntil: Clock.GetUtcNow().AddSeconds(45)), Given.Entry(other, 2, Clock.GetUtcNow().AddHours(-1))]);

        var list = await Client.GetAsync("/api/v1/featured-lists/domestic");
        Assert.Equal(45, list.Headers.CacheControl!.MaxAge!.Value.TotalSeconds);
        Assert.Equal(2, (await list.Json())["entries"]!.AsArray().Count);

        Clock.Advance(TimeSpan.FromSeconds(45));
        var after = await (await Client.GetAsync("/api/v1/featured-lists/domestic")).Json();
        Assert.Single(after["entries"]!.AsArray());
    }

    [Fact]
    public async Task A_scheduled_change_that_is_due_but_not_yet_made_allows_no_caching()
    {
        var article = await Given.Article("overdue").Save();
        await using (var db = Fixture.NewDbContext())
        {
            db.Articles.Single().UnpublishAt = Clock.GetUtcNow().AddSeconds(-1);
            await db.SaveChangesAsync();
        }

        Assert.Equal(0, (await Client.GetAsync("/api/v1/articles")).Headers.CacheControl!.MaxAge!.Value.TotalSeconds);
        Assert.Equal(0, (await Client.GetAsync($"/api/v1/articles/{article.Id}")).Headers.CacheControl!.MaxAge!.Value.TotalSeconds);
    }

    [Theory]
    [InlineData("/api/v1/articles/0193a7c4-5e2b-7d41-9c3a-2f6f1b8e4d10/revisions")]
    [InlineData("/api/v1/webhooks")]
    [InlineData("/api/v1/audit")]
    public async Task A_read_that_needs_a_key_is_never_a_public_read(string url)
    {
        var response = await Client.GetAsync(url);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.True(response.Headers.CacheControl is not { Public: true }, "only routes marked as public reads may be cached publicly");
        Assert.Null(response.Headers.ETag);
    }

    [Fact]
    public async Task Responses_to_a_key_are_private_and_never_stored()
    {
        await Given.Article("story").Save();
        using var previewer = await As(Role.Previewer);

        var response = await previewer.GetAsync("/api/v1/articles/slug/story");

        Assert.True(response.Headers.CacheControl is { Private: true, NoStore: true, Public: false });
        Assert.Contains("Authorization", response.Headers.Vary);
    }

    [Fact]
    public async Task Json_is_compressed_when_the_client_accepts_it()
    {
        await Given.Article("story").Save();

        var response = await Get(Client, "/api/v1/articles", h => h.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip")));

        Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
    }

    [Fact]
    public async Task The_scheduler_invalidates_cached_lists_when_it_publishes()
    {
        using var editor = await As(Role.Editor);
        var created = await (await editor.PostAsync("/api/v1/articles", Raw("""{"title":"定時","slug":"timed"}"""))).Json(HttpStatusCode.Created);
        await (await editor.PostAsync($"/api/v1/articles/{created["id"]}/publish", JsonBody(new { publishAt = Clock.GetUtcNow().AddMinutes(5) }))).Json();
        Assert.Empty((await (await Client.GetAsync("/api/v1/articles")).Json()).Slugs());

        Clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(5));
        var watch = Stopwatch.StartNew();
        List<string> slugs;
        do
        {
            await Task.Delay(50);
            slugs = (await (await Client.GetAsync("/api/v1/articles")).Json()).Slugs();
        } while (slugs.Count == 0 && watch.Elapsed < TimeSpan.FromSeconds(10));

        Assert.Equal(["timed"], slugs);
    }

    [Fact]
    public async Task Another_instance_stops_serving_the_old_list_within_a_second_without_redis()
    {
        using var editor = await As(Role.Editor);
        var created = await (await editor.PostAsync("/api/v1/articles", Raw("""{"title":"兩台主機","slug":"two-hosts"}"""))).Json(HttpStatusCode.Created);
        await using var second = new ApiFactory(Fixture.ConnectionString, Clock, settings: new() { ["Scheduler:Enabled"] = "false" });
        second.StartServer();
        using var elsewhere = second.CreateHttpClient();
        Assert.Empty((await (await elsewhere.GetAsync("/api/v1/articles")).Json()).Slugs());
        Assert.Empty((await (await elsewhere.GetAsync("/api/v1/articles")).Json()).Slugs());

        await (await editor.PostAsync($"/api/v1/articles/{created["id"]}/publish", null)).Json();
        var committed = Stopwatch.StartNew();
        List<string> slugs;
        do
        {
            slugs = (await (await elsewhere.GetAsync("/api/v1/articles")).Json()).Slugs();
            if (slugs.Count == 0)
                await Task.Delay(50);
        } while (slugs.Count == 0 && committed.Elapsed < TimeSpan.FromSeconds(5));

        Assert.Equal(["two-hosts"], slugs);
        Assert.True(committed.Elapsed < TimeSpan.FromSeconds(1), $"the second instance served the old list for {committed.Elapsed.TotalSeconds:F2} s");
    }
}
