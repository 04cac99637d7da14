using System.Net;
using NewsApi.Api;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Operations;

/// <summary>
/// <c>ConnectionStrings:Replica</c> routes anonymous public reads, and nothing else, to the standby. Here the "standby"
/// is the test database reached through a <see cref="TcpGate"/>, so a test sees what went its way and can cut it; the
/// real streaming standby, its replay position and a promotion are proven with processes in tests/NewsApi.Cluster.
/// </summary>
public sealed class StandbyReadTests(ApiFixture fixture) : ApiTest(fixture)
{
    sealed class WithStandby : IAsyncDisposable
    {
        public WithStandby(ApiFixture fixture, string? primary = null)
        {
            (Gate, var replica) = TcpGate.To(fixture.ConnectionString);
            Host = new ApiFactory(primary ?? fixture.ConnectionString, fixture.Clock, settings: new()
            {
                ["Scheduler:Enabled"] = "false", ["Webhooks:Enabled"] = "false", ["Caching:ServerCache"] = "false",
                ["ConnectionStrings:Replica"] = replica,
            });
            Host.StartServer();
            Client = Host.CreateHttpClient();
        }

        public TcpGate Gate { get; }
        public ApiFactory Host { get; }
        public HttpClient Client { get; }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await Host.DisposeAsync();
            await Gate.DisposeAsync();
        }
    }

    [Fact]
    public async Task Public_reads_go_to_the_standby_and_writes_and_keyed_reads_to_the_primary()
    {
        await using var app = new WithStandby(Fixture);
        await Given.Article("on-both").Save();
        using var editor = app.Host.CreateHttpClient();
        editor.DefaultRequestHeaders.Authorization = new("Bearer", await Given.Key(Role.Editor));

        var before = app.Gate.BytesSent;
        await (await app.Client.GetAsync("/api/v1/articles/slug/on-both")).Json();
        Assert.True(app.Gate.BytesSent > before, "the public read did not reach the standby");

        before = app.Gate.BytesSent;
        await (await editor.GetAsync("/api/v1/articles/slug/on-both")).Json();
        await (await editor.PostAsync("/api/v1/articles", Raw("""{"title":"只寫主庫","slug":"primary-only"}"""))).Json(HttpStatusCode.Created);
        await (await editor.GetAsync("/api/v1/articles?status=draft")).Json();
        Assert.Equal(before, app.Gate.BytesSent);
    }

    [Fact]
    public async Task With_the_standby_down_public_reads_go_to_the_primary_and_ready_says_degraded()
    {
        await using var app = new WithStandby(Fixture);
        await Given.Article("still-here").Save();
        await (await app.Client.GetAsync("/api/v1/articles/slug/still-here")).Json();

        app.Gate.Close();

        await (await app.Client.GetAsync("/api/v1/articles/slug/still-here")).Json();
        await (await app.Client.GetAsync("/api/v1/articles")).Json();
        var ready = await (await app.Client.GetAsync("/health/ready")).Json();
        Assert.Equal("degraded", (string?)ready["status"]);
        Assert.StartsWith("degraded: The standby cannot be reached", (string?)ready["checks"]!["replica"]);
    }

    [Fact]
    public async Task With_the_primary_down_public_reads_go_on_from_the_standby_writes_answer_503_and_ready_says_degraded()
    {
        var (primaryGate, primary) = TcpGate.To(Fixture.ConnectionString);
        await using var gate = primaryGate;
        await using var app = new WithStandby(Fixture, primary);
        await Given.Article("from-the-standby").Save();
        using var editor = app.Host.CreateHttpClient();
        editor.DefaultRequestHeaders.Authorization = new("Bearer", await Given.Key(Role.Editor));
        await (await app.Client.GetAsync("/api/v1/articles/slug/from-the-standby")).Json();

        primaryGate.Close();

        await (await app.Client.GetAsync("/api/v1/articles/slug/from-the-standby")).Json();
        Assert.Equal(["from-the-standby"], (await (await app.Client.GetAsync("/api/v1/articles")).Json()).Slugs());
        await (await editor.PostAsync("/api/v1/articles", Raw("""{"title":"主庫離線","slug":"no-primary"}"""))).Problem(HttpStatusCode.ServiceUnavailable, ProblemTypes.Unavailable);
        var ready = await (await app.Client.GetAsync("/health/ready")).Json();
        Assert.Equal("degraded", (string?)ready["status"]);
        Assert.StartsWith("degraded: The primary cannot be reached", (string?)ready["checks"]!["database"]);
        Assert.Equal("healthy", (string?)ready["checks"]!["migrations"]);
    }

    [Fact]
    public async Task A_standby_connection_string_that_does_not_parse_stops_the_service_at_start_naming_the_key()
    {
        await using var broken = new ApiFactory(Fixture.ConnectionString, Clock, settings: new() { ["ConnectionStrings:Replica"] = "Host=standby;No Such Keyword=1" });

        Assert.Contains("ConnectionStrings:Replica", broken.StartRefusal());
    }
}
