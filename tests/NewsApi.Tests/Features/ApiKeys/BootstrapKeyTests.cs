using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NewsApi.Api;
using NewsApi.Tests.Infrastructure;
using Npgsql;

namespace NewsApi.Tests.Features.ApiKeys;

/// <summary>The admin key from NEWSAPI_ADMIN_KEY: registered on start, once, and never brought back once revoked.</summary>
public sealed class BootstrapKeyTests(ApiFixture fixture) : ApiTest(fixture)
{
    const string Key = "bootstrap-admin-key-0123456789abcdefghij";
    static readonly Dictionary<string, string> Settings = new() { ["NEWSAPI_ADMIN_KEY"] = Key, ["Scheduler:Enabled"] = "false" };

    [Fact]
    public async Task A_revoked_bootstrap_key_stays_revoked_after_a_restart_with_one_warning()
    {
        await using (var first = new ApiFactory(Fixture.ConnectionString, Clock, settings: Settings))
        {
            first.StartServer();
            using var admin = Admin(first);
            var keys = await (await admin.GetAsync("/api/v1/api-keys")).Json();
            var id = (string)keys["items"]!.AsArray().Single(k => (string)k!["name"]! == "environment-admin")!["id"]!;
            Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/api-keys/{id}")).StatusCode);
        }

        var log = new CapturedLog();
        await using var second = new ApiFactory(Fixture.ConnectionString, Clock, settings: Settings,
            services: s => s.AddSingleton<ILoggerProvider>(log));
        second.StartServer();
        using var refused = Admin(second);

        await (await refused.GetAsync("/api/v1/api-keys")).Problem(HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
        await using var db = Fixture.NewDbContext();
        Assert.NotNull((await db.ApiKeys.SingleAsync(k => k.Name == "environment-admin")).RevokedAt);
        var warning = Assert.Single(log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("NEWSAPI_ADMIN_KEY"));
        Assert.Contains("revoked", warning.Message);
    }

    [Fact]
    public async Task Two_instances_starting_at_once_register_one_key_without_an_error()
    {
        await using var a = new ApiFactory(Fixture.ConnectionString, Clock, settings: Settings);
        await using var b = new ApiFactory(Fixture.ConnectionString, Clock, settings: Settings);

        // Both instances may look for the key, but neither may write it until both are waiting: the moment of the race.
        await using (var gate = new NpgsqlConnection(Fixture.ConnectionString))
        {
            await gate.OpenAsync();
            await using var hold = await gate.BeginTransactionAsync();
            await using (var lockKeys = new NpgsqlCommand("LOCK TABLE api_keys IN EXCLUSIVE MODE", gate, hold))
                await lockKeys.ExecuteNonQueryAsync();
            var starts = new[] { Task.Run(a.StartServer), Task.Run(b.StartServer) };
            await WaitForWaiters(gate, hold, 2, starts);
            await hold.CommitAsync();
            await Task.WhenAll(starts).WaitAsync(TimeSpan.FromMinutes(2));
        }

        await using var db = Fixture.NewDbContext();
        Assert.Single(await db.ApiKeys.Where(k => k.Name == "environment-admin").ToListAsync());
        using var viaA = Admin(a);
        using var viaB = Admin(b);
        await (await viaA.GetAsync("/api/v1/api-keys")).Json();
        await (await viaB.GetAsync("/api/v1/api-keys")).Json();
    }

    /// <summary>Until <paramref name="count"/> other sessions of this database wait for a lock (a table's or an advisory one).</summary>
    static async Task WaitForWaiters(NpgsqlConnection connection, NpgsqlTransaction transaction, int count, Task[] starts)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            await using var waiting = new NpgsqlCommand(
                "SELECT count(DISTINCT pid) FROM pg_locks WHERE NOT granted AND (relation = 'api_keys'::regclass OR locktype = 'advisory')", connection, transaction);
            if ((long)(await waiting.ExecuteScalarAsync())! >= count)
                return;
            // A start that ended already (with an error, before the fix) will never wait: show its error.
            if (starts.FirstOrDefault(s => s.IsCompleted) is { } ended)
            {
                await ended;
                Assert.Fail("An instance started without waiting for the other.");
            }
            Assert.True(DateTime.UtcNow < deadline, "The instances never reached the admin key.");
            await Task.Delay(50);
        }
    }

    static HttpClient Admin(ApiFactory host)
    {
        var client = host.CreateHttpClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        return client;
    }

    sealed class CapturedLog : ILoggerProvider
    {
        public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose() { }

        sealed class Logger(CapturedLog log) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                log.Entries.Enqueue((logLevel, formatter(state, exception)));
        }
    }
}
