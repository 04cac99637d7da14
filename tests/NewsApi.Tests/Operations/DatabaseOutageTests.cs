using System.Net;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Operations;

/// <summary>
/// The database cut off between the app and PostgreSQL (a <see cref="TcpGate"/>): every answer is 503 problem+json
/// with Retry-After, never a 500, nothing is half stored, and the same running app answers again once it is back.
/// </summary>
public sealed class DatabaseOutageTests(ApiFixture fixture) : ApiTest(fixture)
{
    /// <summary>
    /// The app through a gate: no server cache, so every read reaches the database; one quick retry, so a cut is
    /// answered in milliseconds.
    /// </summary>
    sealed class Cuttable : IAsyncDisposable
    {
        public Cuttable(ApiFixture fixture)
        {
            (Gate, var connectionString) = TcpGate.To(fixture.ConnectionString);
            Host = new ApiFactory(connectionString, fixture.Clock, settings: new()
            {
                ["Scheduler:Enabled"] = "false", ["Caching:ServerCache"] = "false",
                ["Database:Retries"] = "1", ["Database:MaxRetryDelay"] = "00:00:00.050", ["Database:RetryAfter"] = "00:00:07",
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

    [Theory]
    [InlineData("/api/v1/articles")]
    [InlineData("/api/v1/articles/slug/wuzhen")]
    [InlineData("/api/v1/sections")]
    [InlineData("/api/v1/search?q=%E7%83%8F%E9%8E%AE")]
    [InlineData("/sitemap-news.xml")]
    [InlineData("/sitemap.xml")]
    public async Task Reads_are_503_with_Retry_After_while_the_database_is_cut_and_200_once_it_is_back(string path)
    {
        await using var app = new Cuttable(Fixture);
        await Given.Article("wuzhen").Titled("烏鎮峰會開幕").PublishedAt(ApiFixture.Now.AddHours(-1)).Save();
        Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync(path)).StatusCode);

        app.Gate.Close();
        var cut = await app.Client.GetAsync(path);
        var problem = await cut.Problem(HttpStatusCode.ServiceUnavailable, ProblemTypes.Unavailable);
        Assert.Equal(TimeSpan.FromSeconds(7), cut.Headers.RetryAfter?.Delta);
        Assert.DoesNotContain("Npgsql", problem.ToJsonString());
        Assert.DoesNotContain("127.0.0.1", problem.ToJsonString());

        app.Gate.Open();
        Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task Readiness_is_503_with_Retry_After_while_the_database_is_cut()
    {
        await using var app = new Cuttable(Fixture);
        app.Gate.Close();
        var cut = await app.Client.GetAsync("/health/ready");

        await cut.Problem(HttpStatusCode.ServiceUnavailable, ProblemTypes.Unavailable);
        Assert.Equal(TimeSpan.FromSeconds(7), cut.Headers.RetryAfter?.Delta);
        app.Gate.Open();
        Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task A_write_while_the_database_is_cut_is_503_and_stores_nothing()
    {
        await using var app = new Cuttable(Fixture);
        var editor = await Given.Key(Role.Editor);
        app.Client.DefaultRequestHeaders.Authorization = new("Bearer", editor);
        Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync("/api/v1/articles")).StatusCode);

        app.Gate.Close();
        var cut = await app.Client.PostAsync("/api/v1/articles", JsonBody(new { title = "烏鎮峰會閉幕", slug = "closing" }));
        await cut.Problem(HttpStatusCode.ServiceUnavailable, ProblemTypes.Unavailable);
        Assert.NotNull(cut.Headers.RetryAfter);

        app.Gate.Open();
        await using var db = Fixture.NewDbContext();
        Assert.Equal(0, await db.Articles.CountAsync());
        Assert.Equal(0, await db.Set<ArticleRevision>().CountAsync());
        var again = await app.Client.PostAsync("/api/v1/articles", JsonBody(new { title = "烏鎮峰會閉幕", slug = "closing" }));
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
    }
}
