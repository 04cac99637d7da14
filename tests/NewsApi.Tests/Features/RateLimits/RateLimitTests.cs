using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using NewsApi.Api;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Features.Assets.TestImages;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Features.RateLimits;

/// <summary>
/// The service started again with small budgets, an hour each (the window never ends by itself during a test), its
/// own clock, and loopback as its trusted proxy, so each test is a caller of its own through X-Forwarded-For.
/// </summary>
public sealed class SmallBudgetsApp : IAsyncLifetime
{
    public static readonly DateTimeOffset Opening = ApiFixture.Now; // on the hour: a window starts here

    public FakeTimeProvider Clock { get; } = new(Opening);
    public ApiFactory? Factory { get; private set; }

    public static Dictionary<string, string> Settings(string trusted) => new()
    {
        ["Proxies:Trusted:0"] = trusted,
        ["RateLimits:AnonymousReads:PermitLimit"] = "3",
        ["RateLimits:KeyedReads:PermitLimit"] = "4",
        ["RateLimits:Search:PermitLimit"] = "2",
        ["RateLimits:Writes:PermitLimit"] = "3",
        ["RateLimits:Imports:PermitLimit"] = "2",
        ["RateLimits:AnonymousReads:Window"] = "01:00:00",
        ["RateLimits:KeyedReads:Window"] = "01:00:00",
        ["RateLimits:Search:Window"] = "01:00:00",
        ["RateLimits:Writes:Window"] = "01:00:00",
        ["RateLimits:Imports:Window"] = "01:00:00",
        ["Scheduler:Enabled"] = "false",
        ["Webhooks:Enabled"] = "false",
    };

    public Task InitializeAsync() => Task.CompletedTask;

    public ApiFactory Start(ApiFixture fixture)
    {
        if (Factory is null)
        {
            Factory = new ApiFactory(fixture.ConnectionString, Clock, settings: Settings("127.0.0.1"));
            Factory.StartServer();
        }
        return Factory;
    }

    public async Task DisposeAsync()
    {
        if (Factory is not null)
            await Factory.DisposeAsync();
    }
}

public sealed class RateLimitTests(ApiFixture fixture, SmallBudgetsApp app) : ApiTest(fixture), IClassFixture<SmallBudgetsApp>
{
    /// <summary>A client the trusted proxy (loopback) says is at <paramref name="address"/>.</summary>
    HttpClient From(string address, string? key = null)
    {
        var client = app.Start(Fixture).CreateHttpClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        if (key is not null)
            client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        return client;
    }

    static StringContent Tag(string slug) => new($$"""{"slug":"{{slug}}","name":"{{slug}}"}""", Encoding.UTF8, "application/json");

    static StringContent NoItems() => new("", Encoding.UTF8, "application/x-ndjson");

    static async Task<JsonNode> AssertRefused(HttpResponseMessage response, string budget, int size)
    {
        var problem = await response.Problem(HttpStatusCode.TooManyRequests, ProblemTypes.TooManyRequests);
        Assert.Equal(TimeSpan.FromHours(1), response.Headers.RetryAfter?.Delta);
        Assert.Equal($"\"{budget}\";q={size};w=3600", Header(response, "RateLimit-Policy"));
        Assert.Equal($"\"{budget}\";r=0;t=3600", Header(response, "RateLimit"));
        Assert.True(response.Headers.CacheControl?.NoStore, "A cache must never keep a refusal.");
        return problem;
    }

    static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    static async Task<HttpStatusCode[]> Statuses(int count, Func<Task<HttpResponseMessage>> request)
    {
        var statuses = new HttpStatusCode[count];
        for (var i = 0; i < count; i++)
            statuses[i] = (await request()).StatusCode;
        return statuses;
    }

    [Fact]
    public async Task Anonymous_reads_over_their_budget_are_429_saying_when_the_budget_comes_back()
    {
        using var client = From("203.0.113.10");

        Assert.All(await Statuses(3, () => client.GetAsync("/api/v1/articles")), s => Assert.Equal(HttpStatusCode.OK, s));
        var refused = await client.GetAsync("/api/v1/articles");

        var problem = await AssertRefused(refused, "reads", 3);
        Assert.Contains("3 reads requests per 3600 seconds", (string?)problem["detail"]);
        app.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/articles")).StatusCode);
    }

    [Fact]
    public async Task A_second_address_behind_the_trusted_proxy_has_its_own_budget_and_an_IPv6_address_counts_by_its_64()
    {
        using var first = From("203.0.113.20");
        using var second = From("203.0.113.21");
        using var sameNetwork = From("2001:db8:5:6::1");
        using var sameNetworkOther = From("2001:db8:5:6:ffff::2");
        using var otherNetwork = From("2001:db8:5:7::1");

        await Statuses(3, () => first.GetAsync("/api/v1/sections"));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await first.GetAsync("/api/v1/sections")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/api/v1/sections")).StatusCode);

        await Statuses(3, () => sameNetwork.GetAsync("/api/v1/sections"));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await sameNetworkOther.GetAsync("/api/v1/sections")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await otherNetwork.GetAsync("/api/v1/sections")).StatusCode);
    }

    [Fact]
    public async Task A_refusal_is_never_cached_and_a_cached_answer_still_counts()
    {
        using var refusedCaller = From("203.0.113.30");
        using var other = From("203.0.113.31");

        var statuses = await Statuses(4, () => refusedCaller.GetAsync("/api/v1/tags"));
        var answered = await other.GetAsync("/api/v1/tags");

        // The same public read, cached after the first answer, still took a turn of the budget each time.
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.True(answered.Headers.CacheControl?.Public, "Another caller's answer is the public one, not the refusal.");
        // A public answer is shared by a CDN: what is left of one caller's budget must not be in it.
        Assert.Null(Header(answered, "RateLimit"));
        Assert.Null(Header(answered, "RateLimit-Policy"));
        await AssertRefused(await refusedCaller.GetAsync("/api/v1/tags"), "reads", 3);
    }

    [Fact]
    public async Task A_rendition_served_from_the_services_own_copy_still_counts()
    {
        using var editor = From("203.0.113.35", await Given.Key(Role.Editor));
        var created = await editor.PostAsync("/api/v1/assets", Body(Jpeg(400, 300)));
        var id = (string)(await created.Json(HttpStatusCode.Created))["id"]!;
        var asset = await (await editor.Send(HttpMethod.Patch, $"/api/v1/assets/{id}", JsonBody(new { @public = true }), created.ETag())).Json();
        var url = (string)asset["renditions"]!.AsArray().Single(r => (string?)r!["preset"] == "w320" && (string?)r["format"] == "webp")!["url"]!;
        using var reader = From("203.0.113.36");

        // The first read makes and keeps it; the next two are served from that copy before the endpoint runs.
        var statuses = await Statuses(4, () => reader.GetAsync(url));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        await AssertRefused(await reader.GetAsync(url), "reads", 3);
    }

    [Fact]
    public async Task Writes_have_a_budget_per_key_that_reads_and_other_keys_do_not_share()
    {
        using var editor = From("203.0.113.40", await Given.Key(Role.Editor));
        using var otherEditor = From("203.0.113.40", await Given.Key(Role.Editor));

        var first = await editor.PostAsync("/api/v1/tags", Tag("one"));
        Assert.Equal("\"writes\";r=2;t=3600", Header(first, "RateLimit"));
        Assert.Equal("\"writes\";q=3;w=3600", Header(first, "RateLimit-Policy"));
        await editor.PostAsync("/api/v1/tags", Tag("two"));
        await editor.PostAsync("/api/v1/tags", Tag("three"));

        await AssertRefused(await editor.PostAsync("/api/v1/tags", Tag("four")), "writes", 3);
        var read = await editor.GetAsync("/api/v1/tags");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("\"keyed-reads\";r=3;t=3600", Header(read, "RateLimit"));
        Assert.Equal(HttpStatusCode.Created, (await otherEditor.PostAsync("/api/v1/tags", Tag("five"))).StatusCode);
    }

    [Fact]
    public async Task Searches_draw_from_their_own_budget()
    {
        using var client = From("203.0.113.50");

        Assert.All(await Statuses(2, () => client.GetAsync("/api/v1/search?q=" + Uri.EscapeDataString("烏鎮"))), s => Assert.Equal(HttpStatusCode.OK, s));

        await AssertRefused(await client.GetAsync("/api/v1/search?q=" + Uri.EscapeDataString("江南")), "search", 2);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/articles")).StatusCode);
    }

    [Fact]
    public async Task Imports_draw_from_their_own_budget_per_key()
    {
        using var editor = From("203.0.113.60", await Given.Key(Role.Editor));

        Assert.All(await Statuses(2, () => editor.PostAsync("/api/v1/import/articles", NoItems())), s => Assert.Equal(HttpStatusCode.OK, s));

        await AssertRefused(await editor.PostAsync("/api/v1/import/articles", NoItems()), "imports", 2);
        Assert.Equal(HttpStatusCode.Created, (await editor.PostAsync("/api/v1/tags", Tag("after-imports"))).StatusCode);
    }

    [Fact]
    public async Task A_request_with_an_invalid_key_is_still_401_and_takes_nothing_from_the_address()
    {
        using var bad = From("203.0.113.70", "not-a-key-of-ours");
        using var anonymous = From("203.0.113.70");

        Assert.All(await Statuses(4, () => bad.GetAsync("/api/v1/articles")), s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.All(await Statuses(3, () => anonymous.GetAsync("/api/v1/articles")), s => Assert.Equal(HttpStatusCode.OK, s));
    }

    [Fact]
    public async Task Every_operation_declares_its_429_with_Retry_After_and_every_answer_the_RateLimit_fields()
    {
        var document = await (await Client.GetAsync("/swagger/v1/swagger.json")).Json();

        var operations = document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject()
            .Where(o => o.Key is "get" or "post" or "put" or "patch" or "delete")
            .Select(o => (Name: $"{o.Key} {p.Key}", Responses: o.Value!["responses"]!.AsObject()))).ToList();
        Assert.NotEmpty(operations);
        Assert.All(operations, op =>
        {
            var refused = op.Responses["429"];
            Assert.True(refused?["content"]?["application/problem+json"] is not null, op.Name);
            Assert.True(refused!["headers"]?["Retry-After"] is not null, op.Name);
            Assert.All(op.Responses.Where(r => r.Key[0] is '2' or '4'), r =>
                Assert.True(r.Value!["headers"]?["RateLimit"] is not null && r.Value["headers"]?["RateLimit-Policy"] is not null, $"{op.Name} {r.Key}"));
        });
    }
}

/// <summary>Only configured proxies are believed: loopback is not one here, so X-Forwarded-For from it is ignored.</summary>
public sealed class UntrustedForwardingTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task A_spoofed_X_Forwarded_For_from_an_untrusted_peer_does_not_buy_a_new_budget()
    {
        await using var host = new ApiFactory(Fixture.ConnectionString, new FakeTimeProvider(SmallBudgetsApp.Opening), settings: SmallBudgetsApp.Settings("10.20.30.40"));
        host.StartServer();

        var statuses = new List<HttpStatusCode>();
        for (var i = 1; i <= 4; i++)
        {
            using var client = host.CreateHttpClient();
            client.DefaultRequestHeaders.Add("X-Forwarded-For", $"198.51.100.{i}");
            statuses.Add((await client.GetAsync("/api/v1/articles")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }
}

/// <summary>Settings that cannot work stop the service at start instead of limiting nothing, or everything.</summary>
public sealed class RateLimitSettingsTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Theory]
    [InlineData("RateLimits:Writes:PermitLimit", "0", "RateLimits")]
    [InlineData("RateLimits:AnonymousReads:Window", "00:00:00.500", "RateLimits")]
    [InlineData("Proxies:Trusted:0", "10.0.0.0/33", "Proxies:Trusted")]
    [InlineData("Proxies:Trusted:0", "proxy.example", "Proxies:Trusted")]
    public async Task A_setting_that_cannot_work_stops_the_service_at_start(string key, string value, string named)
    {
        await using var host = new ApiFactory(Fixture.ConnectionString, new FakeTimeProvider(ApiFixture.Now), settings: new() { [key] = value });

        var refusal = host.StartRefusal();

        Assert.Contains(named, refusal);
    }
}
