using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NewsApi.Development;
using Testcontainers.PostgreSql;

namespace NewsApi.Tests.Infrastructure;

/// <summary>
/// One real PostgreSQL for the whole run: NEWSAPI_TEST_CONNECTION when set, else a Testcontainers
/// container where a Docker engine answers, else a throwaway cluster from the binaries on PATH.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string ConnectionVariable = "NEWSAPI_TEST_CONNECTION";

    readonly IAsyncDisposable? _owned;

    TestDatabase(string connectionString, string source, IAsyncDisposable? owned)
    {
        ConnectionString = connectionString;
        Source = source;
        _owned = owned;
    }

    public string ConnectionString { get; }

    /// <summary>Where the database came from, for the test log.</summary>
    public string Source { get; }

    public static async Task<TestDatabase> StartAsync()
    {
        // A fresh database of its own on the given server, so a shared server's data is never touched.
        var database = $"newsapi_test_{Environment.ProcessId}_{DateTime.UtcNow:HHmmss}";
        if (Environment.GetEnvironmentVariable(ConnectionVariable) is { Length: > 0 } configured)
            return new TestDatabase(await CreateDatabase(configured, database), ConnectionVariable, null);

        if (DockerMayAnswer())
        {
            try
            {
                var container = new PostgreSqlBuilder("postgres:15-alpine").Build();
                await container.StartAsync().WaitAsync(TimeSpan.FromMinutes(3));
                return new TestDatabase(container.GetConnectionString(), "Testcontainers", container);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Console.WriteLine($"Docker did not give a PostgreSQL container ({e.GetType().Name}); using the local binaries.");
            }
        }

        var server = await LocalPostgres.StartAsync(new LocalPostgresOptions
        {
            DataDirectory = Path.Combine(Path.GetTempPath(), $"newsapi-test-pg-{Guid.NewGuid():N}"),
            Port = 0,
            Database = "newsapi_test",
            Fast = true,
            StopOnDispose = true,
            DeleteOnDispose = true,
        }, NullLogger.Instance, CancellationToken.None);
        return new TestDatabase(server.ConnectionString, "local PostgreSQL binaries", server);
    }

    static bool DockerMayAnswer() =>
        Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } || File.Exists("/var/run/docker.sock");

    /// <summary>Creates an empty database on the server of <paramref name="serverConnection"/> and returns its connection string.</summary>
    public static async Task<string> CreateDatabase(string serverConnection, string database)
    {
        await using var connection = new Npgsql.NpgsqlConnection(serverConnection);
        await connection.OpenAsync();
        await using var create = connection.CreateCommand();
        create.CommandText = $"CREATE DATABASE \"{database}\"";
        await create.ExecuteNonQueryAsync();
        return new Npgsql.NpgsqlConnectionStringBuilder(serverConnection) { Database = database }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        if (_owned is not null)
            await _owned.DisposeAsync();
    }
}
