using Microsoft.Extensions.Logging;
using NewsApi.Development;
using Npgsql;
using Xunit.Abstractions;

namespace NewsApi.Tests.Infrastructure;

/// <summary>
/// Starts real throwaway clusters from the PostgreSQL binaries on PATH (each test its own temp directory).
/// When the tests run as root, this exercises the runuser/chown path.
/// </summary>
public sealed class LocalPostgresTests(ITestOutputHelper output)
{
    private readonly ILogger _logger = new TestOutputLogger(output);

    [Fact]
    public async Task Starts_a_throwaway_cluster_that_accepts_connections()
    {
        var dataDirectory = NewTempDataDirectory();
        await using var postgres = await LocalPostgres.StartAsync(ThrowawayOptions(dataDirectory), _logger, CancellationToken.None);

        Assert.True(postgres.StartedHere);
        Assert.Equal(dataDirectory, postgres.DataDirectory);
        Assert.InRange(postgres.Port, 1, 65535);
        Assert.Equal($"Host=127.0.0.1;Port={postgres.Port};Database=newsapi_test;Username=postgres", postgres.ConnectionString);
        Assert.True(File.Exists(Path.Combine(dataDirectory, "PG_VERSION")));
        Assert.True(File.Exists(Path.Combine(dataDirectory, $".s.PGSQL.{postgres.Port}")), "the Unix socket lives in the data directory");

        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync();
        Assert.Equal(1, await ScalarAsync<int>(connection, "select 1"));
        Assert.Equal("newsapi_test", await ScalarAsync<string>(connection, "select current_database()"));
        Assert.Equal("UTF8", await ScalarAsync<string>(connection, "show server_encoding"));
        Assert.Equal("127.0.0.1", await ScalarAsync<string>(connection, "show listen_addresses"));
        Assert.Equal("off", await ScalarAsync<string>(connection, "show fsync"));
        Assert.Equal("off", await ScalarAsync<string>(connection, "show synchronous_commit"));
        Assert.Equal("off", await ScalarAsync<string>(connection, "show full_page_writes"));
    }

    [Fact]
    public async Task A_second_instance_reuses_the_running_server_and_the_owner_deletes_the_directory()
    {
        var dataDirectory = NewTempDataDirectory();
        var owner = await LocalPostgres.StartAsync(ThrowawayOptions(dataDirectory), _logger, CancellationToken.None);
        try
        {
            var reuser = await LocalPostgres.StartAsync(ThrowawayOptions(dataDirectory), _logger, CancellationToken.None);
            Assert.False(reuser.StartedHere);
            Assert.Equal(owner.Port, reuser.Port);
            Assert.Equal(owner.ConnectionString, reuser.ConnectionString);
            await AssertSelectOneAsync(reuser.ConnectionString);

            // Disposing the instance that only reused the server neither stops nor deletes it.
            await reuser.DisposeAsync();
            Assert.True(Directory.Exists(dataDirectory));
            await AssertSelectOneAsync(owner.ConnectionString);
        }
        finally
        {
            await owner.DisposeAsync();
        }

        Assert.False(Directory.Exists(dataDirectory), "the owner stops the server and deletes the throwaway data directory");
        await using var connection = new NpgsqlConnection(owner.ConnectionString + ";Pooling=false;Timeout=2");
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => connection.OpenAsync());
    }

    [Fact]
    public async Task A_stopped_cluster_is_restarted_on_its_previous_port_with_durable_settings_unless_fast()
    {
        var dataDirectory = NewTempDataDirectory();
        int firstPort;
        var first = ThrowawayOptions(dataDirectory);
        first.DeleteOnDispose = false;
        try
        {
            await using (var postgres = await LocalPostgres.StartAsync(first, _logger, CancellationToken.None))
            {
                firstPort = postgres.Port;
                await using var connection = new NpgsqlConnection(postgres.ConnectionString);
                await connection.OpenAsync();
                await using var create = new NpgsqlCommand("create table kept (id int); insert into kept values (42)", connection);
                await create.ExecuteNonQueryAsync();
            }

            Assert.True(File.Exists(Path.Combine(dataDirectory, "PG_VERSION")), "StopOnDispose without DeleteOnDispose keeps the cluster");
            Assert.False(File.Exists(Path.Combine(dataDirectory, "postmaster.pid")), "the server was stopped");

            var second = ThrowawayOptions(dataDirectory);
            second.Fast = false; // the development cluster must be durable
            await using (var postgres = await LocalPostgres.StartAsync(second, _logger, CancellationToken.None))
            {
                Assert.True(postgres.StartedHere);
                Assert.Equal(firstPort, postgres.Port);
                await using var connection = new NpgsqlConnection(postgres.ConnectionString);
                await connection.OpenAsync();
                Assert.Equal(42, await ScalarAsync<int>(connection, "select id from kept"));
                Assert.Equal("on", await ScalarAsync<string>(connection, "show fsync"));
                Assert.Equal("on", await ScalarAsync<string>(connection, "show synchronous_commit"));
                Assert.Equal("on", await ScalarAsync<string>(connection, "show full_page_writes"));
            }

            Assert.False(Directory.Exists(dataDirectory));
        }
        finally
        {
            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Missing_binaries_give_a_clear_error()
    {
        var emptyBin = Directory.CreateTempSubdirectory("newsapi-nobin-");
        try
        {
            var options = ThrowawayOptions(NewTempDataDirectory());
            options.BinDirectory = emptyBin.FullName;

            var error = await Assert.ThrowsAsync<InvalidOperationException>(
                () => LocalPostgres.StartAsync(options, _logger, CancellationToken.None));

            Assert.Contains("PostgreSQL binaries (initdb, pg_ctl) were not found", error.Message);
            Assert.Contains("apt-get install postgresql", error.Message);
            Assert.Contains("ConnectionStrings__NewsDb", error.Message);
            Assert.Contains(emptyBin.FullName, error.Message);
            Assert.False(Directory.Exists(options.DataDirectory), "nothing is created when the binaries are missing");
        }
        finally
        {
            emptyBin.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Invalid_options_are_rejected_before_anything_runs()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => LocalPostgres.StartAsync(
            new LocalPostgresOptions { DataDirectory = "relative/dir" }, _logger, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => LocalPostgres.StartAsync(
            new LocalPostgresOptions { DataDirectory = NewTempDataDirectory(), Port = 70000 }, _logger, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => LocalPostgres.StartAsync(
            new LocalPostgresOptions { DataDirectory = NewTempDataDirectory(), StopOnDispose = false, DeleteOnDispose = true }, _logger, CancellationToken.None));
    }

    private static LocalPostgresOptions ThrowawayOptions(string dataDirectory) => new()
    {
        DataDirectory = dataDirectory,
        Port = 0,
        Database = "newsapi_test",
        Fast = true,
        StopOnDispose = true,
        DeleteOnDispose = true,
        StartTimeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>A not-yet-existing directory under the temp folder (/tmp is reachable by the postgres user).</summary>
    private static string NewTempDataDirectory() =>
        Path.Combine(Path.GetTempPath(), "newsapi-pg-" + Guid.NewGuid().ToString("N")[..12]);

    private static async Task AssertSelectOneAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        Assert.Equal(1, await ScalarAsync<int>(connection, "select 1"));
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Assert.IsType<T>(await command.ExecuteScalarAsync());
    }

    private sealed class TestOutputLogger(ITestOutputHelper output) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            output.WriteLine($"[{logLevel}] {formatter(state, exception)}{(exception is null ? "" : Environment.NewLine + exception)}");
        }
    }
}
