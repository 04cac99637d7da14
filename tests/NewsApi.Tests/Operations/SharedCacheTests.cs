using Microsoft.EntityFrameworkCore;
using System.Diagnostics;
using System.Net;
using NewsApi.Data.Entities;
using NewsApi.Testing;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Operations;

/// <summary>
/// Several instances with <c>Redis:Configuration</c>: one cache in a real redis-server for all of them, changes pushed
/// to every instance by pub/sub, and Redis taken away without a single error.
/// </summary>
public sealed class SharedCacheTests(ApiFixture fixture) : ApiTest(fixture), IAsyncLifetime
{
    RedisServer _redis = null!;
    readonly string _prefix = $"test-{Guid.NewGuid():N}:";

    async Task IAsyncLifetime.InitializeAsync()
    {
        await Fixture.ResetAsync();
        _redis = await RedisServer.StartAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        Client.Dispose();
        await _redis.DisposeAsync();
    }

    ApiFactory Instance(TimeSpan? poll = null) => new(Fixture.ConnectionString, Clock, settings: new()
    {
        ["Scheduler:Enabled"] = "false", ["Webhooks:Enabled"] = "false",
        ["Redis:Configuration"] = _redis.Configuration, ["Redis:InstanceName"] = _prefix,
        ["Caching:InvalidationPoll"] = (poll ?? TimeSpan.FromSeconds(1)).ToString(),
    });

    async Task<HttpClient> Editor(ApiFactory instance)
    {
        var client = instance.CreateHttpClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", await Given.Key(Role.Editor));
        return client;
    }

    [Fact]
    public async Task A_change_made_through_one_instance_is_gone_from_the_other_within_a_second()
    {
        await using var one = Instance();
        await using var other = Instance();
        one.StartServer();
        other.StartServer();
        using var editor = await Editor(one);
        using var reader = other.CreateHttpClient();
        var created = await (await editor.PostAsync("/api/v1/articles", Raw("""{"title":"共用快取","slug":"shared-cache"}"""))).Json(HttpStatusCode.Created);
        Assert.Empty((await (await reader.GetAsync("/api/v1/articles")).Json()).Slugs());
        Assert.Empty((await (await reader.GetAsync("/api/v1/articles")).Json()).Slugs());
        Assert.NotEqual("0", await _redis.CommandAsync("DBSIZE") is { } size ? size.TrimStart(':') : "0");

        await (await editor.PostAsync($"/api/v1/articles/{created["id"]}/publish", null)).Json();
        var committed = Stopwatch.StartNew();
        List<string> slugs;
        do
        {
            slugs = (await (await reader.GetAsync("/api/v1/articles")).Json()).Slugs();
        } while (slugs.Count == 0 && committed.Elapsed < TimeSpan.FromSeconds(5));

        Assert.Equal(["shared-cache"], slugs);
        Assert.True(committed.Elapsed < TimeSpan.FromSeconds(1), $"the other instance served the old list for {committed.Elapsed.TotalSeconds:F3} s");
    }

    [Fact]
    public async Task A_change_that_commits_after_a_later_one_was_read_from_the_table_still_reaches_the_instance()
    {
        var poll = TimeSpan.FromMilliseconds(200);
        await using var instance = Instance(poll);
        instance.StartServer();
        using var reader = instance.CreateHttpClient();
        Assert.Empty((await (await reader.GetAsync("/api/v1/articles")).Json()).Slugs());
        await Task.Delay(3 * poll); // its table reads have begun

        // Written beside the instance (it hears of it only from the table): the article's invalidation takes its id
        // first, a later change takes the next one and commits, the table is read past both ids, then the article commits.
        await using var late = Fixture.NewDbContext();
        await using (var transaction = await late.Database.BeginTransactionAsync())
        {
            late.Add(Given.Article("late").Build());
            await late.SaveChangesAsync();
            await using (var other = Fixture.NewDbContext())
                await other.Database.ExecuteSqlAsync($"INSERT INTO cache_invalidations (tags, at) VALUES ({new[] { "tag:meanwhile" }}, now())");
            await Task.Delay(3 * poll);
            Assert.Empty((await (await reader.GetAsync("/api/v1/articles")).Json()).Slugs());
            await transaction.CommitAsync();
        }
        var committed = Stopwatch.StartNew();
        List<string> slugs;
        while ((slugs = (await (await reader.GetAsync("/api/v1/articles")).Json()).Slugs()).Count == 0 && committed.Elapsed < TimeSpan.FromSeconds(5))
            await Task.Delay(50);

        Assert.Equal(["late"], slugs);
        Assert.True(committed.Elapsed < TimeSpan.FromSeconds(2), $"the instance served the old list for {committed.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task Without_redis_answers_are_served_uncached_writes_succeed_and_ready_says_degraded()
    {
        await using var instance = Instance();
        instance.StartServer();
        using var editor = await Editor(instance);
        using var reader = instance.CreateHttpClient();
        await (await reader.GetAsync("/api/v1/articles")).Json();

        await _redis.StopAsync();
        var created = await (await editor.PostAsync("/api/v1/articles", Raw("""{"title":"快取離線","slug":"cache-down"}"""))).Json(HttpStatusCode.Created);
        await (await editor.PostAsync($"/api/v1/articles/{created["id"]}/publish", null)).Json();

        Assert.Equal(["cache-down"], (await (await reader.GetAsync("/api/v1/articles")).Json()).Slugs());
        Assert.Equal(["cache-down"], (await (await reader.GetAsync("/api/v1/articles")).Json()).Slugs());
        var ready = await (await reader.GetAsync("/health/ready")).Json();
        Assert.Equal("degraded", (string?)ready["status"]);
        Assert.StartsWith("degraded: Redis cannot be reached", (string?)ready["checks"]!["cache"]);

        await _redis.StartAgainAsync();
        var back = Stopwatch.StartNew();
        while ((string?)(await (await reader.GetAsync("/health/ready")).Json())["status"] != "healthy" && back.Elapsed < TimeSpan.FromSeconds(20))
            await Task.Delay(100);
        Assert.Equal("healthy", (string?)(await (await reader.GetAsync("/health/ready")).Json())["checks"]!["cache"]);
        Assert.Equal(["cache-down"], (await (await reader.GetAsync("/api/v1/articles")).Json()).Slugs());
    }

    [Fact]
    public async Task A_redis_configuration_that_does_not_parse_stops_the_service_at_start_naming_the_key()
    {
        await using var broken = new ApiFactory(Fixture.ConnectionString, Clock, settings: new() { ["Redis:Configuration"] = "127.0.0.1:6379,no-such-option=1" });

        Assert.Contains("Redis:Configuration", broken.StartRefusal());
    }

    [Fact]
    public async Task An_instance_starts_and_serves_while_redis_is_down()
    {
        await _redis.StopAsync();
        await using var instance = Instance();
        instance.StartServer();
        using var reader = instance.CreateHttpClient();
        await Given.Article("no-redis-yet").Save();

        Assert.Equal(["no-redis-yet"], (await (await reader.GetAsync("/api/v1/articles")).Json()).Slugs());
        await Task.Delay(1500); // a background service that failed would have stopped the host by now
        Assert.Equal(["no-redis-yet"], (await (await reader.GetAsync("/api/v1/articles")).Json()).Slugs());
        Assert.Equal("degraded", (string?)(await (await reader.GetAsync("/health/ready")).Json())["status"]);
    }
}
