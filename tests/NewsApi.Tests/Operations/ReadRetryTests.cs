using System.Net;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using Npgsql;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Operations;

/// <summary>
/// A read that meets a dropped connection runs again and succeeds when the database is back within its retries; a
/// write does not run again (it might have been stored), and answers 503.
/// </summary>
public sealed class ReadRetryTests(ApiFixture fixture) : ApiTest(fixture)
{
    static readonly TimeSpan Blip = TimeSpan.FromMilliseconds(250);

    [Fact]
    public async Task A_read_across_a_short_blip_succeeds()
    {
        var read = await ReadAcrossBlip(retries: 3);

        Assert.Equal("烏鎮峰會開幕", (string?)(await read.Json())["title"]);
    }

    [Fact]
    public async Task Without_retries_the_same_blip_is_a_503()
    {
        var read = await ReadAcrossBlip(retries: 0);

        await read.Problem(HttpStatusCode.ServiceUnavailable, ProblemTypes.Unavailable);
    }

    [Fact]
    public async Task A_write_across_the_same_blip_is_not_run_again()
    {
        var editor = await Given.Key(Role.Editor);
        var (gate, connectionString) = TcpGate.To(Fixture.ConnectionString);
        await using var _ = gate;
        await using var host = Host(connectionString, retries: 3);
        using var client = host.CreateHttpClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", editor);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/articles")).StatusCode);

        gate.Close();
        var reopening = Task.Delay(Blip).ContinueWith(_ => gate.Open());
        var write = await client.PostAsync("/api/v1/articles", JsonBody(new { title = "烏鎮峰會閉幕", slug = "closing" }));
        await reopening;

        await write.Problem(HttpStatusCode.ServiceUnavailable, ProblemTypes.Unavailable);
        await using var db = Fixture.NewDbContext();
        Assert.Equal(0, await db.Articles.CountAsync());
    }

    [Fact]
    public async Task A_read_after_the_server_ended_every_connection_succeeds()
    {
        await Given.Article("wuzhen").Titled("烏鎮峰會開幕").PublishedAt(ApiFixture.Now.AddHours(-1)).Save();
        await using var host = Host(Fixture.ConnectionString, retries: 3);
        using var client = host.CreateHttpClient();
        // Several pooled connections, each of which the server then ends (57P01, as a restart or an operator does).
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => client.GetAsync("/api/v1/articles/slug/wuzhen")));
        var database = new NpgsqlConnectionStringBuilder(Fixture.ConnectionString).Database;
        await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Fixture.ConnectionString) { Pooling = false }.ConnectionString))
        {
            await admin.OpenAsync();
            await using var end = new NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", admin);
            end.Parameters.AddWithValue(database!);
            Assert.True((long)(await end.ExecuteScalarAsync())! > 0);
        }

        foreach (var _ in Enumerable.Range(0, 4))
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/articles/slug/wuzhen")).StatusCode);
    }

    /// <summary>A published story read once through a gate that stays closed for <see cref="Blip"/> while the read runs.</summary>
    async Task<HttpResponseMessage> ReadAcrossBlip(int retries)
    {
        await Given.Article("wuzhen").Titled("烏鎮峰會開幕").PublishedAt(ApiFixture.Now.AddHours(-1)).Save();
        var (gate, connectionString) = TcpGate.To(Fixture.ConnectionString);
        await using var _ = gate;
        await using var host = Host(connectionString, retries);
        using var client = host.CreateHttpClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/articles/slug/wuzhen")).StatusCode);

        gate.Close();
        var reopening = Task.Delay(Blip).ContinueWith(_ => gate.Open());
        var read = await client.GetAsync("/api/v1/articles/slug/wuzhen");
        await reopening;
        await read.Content.LoadIntoBufferAsync();
        return read;
    }

    ApiFactory Host(string connectionString, int retries)
    {
        var host = new ApiFactory(connectionString, Clock, settings: new()
        {
            ["Scheduler:Enabled"] = "false", ["Caching:ServerCache"] = "false", ["Database:Retries"] = retries.ToString(),
        });
        host.StartServer();
        return host;
    }
}
