using Microsoft.Extensions.Logging;
using Npgsql;

namespace NewsApi.Development;

/// <summary>
/// A PostgreSQL server on 127.0.0.1 running from a local data directory, started with the initdb/pg_ctl
/// binaries found on the machine. Used for development (the cluster in .data/postgres of the repository) and
/// by tests (throwaway clusters in a temp directory).
/// </summary>
/// <remarks>
/// <para>
/// Security: the cluster is created with <c>--auth=trust</c> and only listens on 127.0.0.1 (plus a Unix socket in
/// the data directory, whose mode is 0700). Any local user who can reach the port can connect as superuser; this
/// is for development and tests only.
/// </para>
/// <para>
/// Root: PostgreSQL refuses to run as root. When this process runs as root (Linux containers, CI), initdb and
/// pg_ctl are run as the <c>postgres</c> system user (<c>runuser -u postgres --</c>, or
/// <c>su postgres -s /bin/sh -c</c> when runuser is missing), the data directory is chowned (recursively) to that
/// user with mode 0700, and parent directories created here are chowned to it as well. Existing parent
/// directories are left alone, unless the postgres user cannot reach the data directory through them: then the
/// ones lacking the "other" execute (traverse) bit get o+x, which lets others pass through them but not list
/// them; each change is logged as a warning.
/// </para>
/// <para>
/// Settings (listen_addresses, port, unix_socket_directories, fsync, synchronous_commit, full_page_writes) are
/// merged into postgresql.auto.conf before each start rather than passed with pg_ctl -o: pg_ctl hands -o to a
/// shell, so paths would need shell quoting, and settings in the file survive a manual <c>pg_ctl restart</c>.
/// postgresql.auto.conf is read after postgresql.conf, so these values win; other lines (ALTER SYSTEM) are kept.
/// </para>
/// </remarks>
internal sealed class LocalPostgres : IAsyncDisposable
{
    /// <summary>The database superuser created by initdb (-U).</summary>
    public const string SuperUser = "postgres";

    /// <summary>The operating system user that runs the server when this process runs as root.</summary>
    public const string ServiceUser = "postgres";

    /// <summary>Hint appended to the "binaries not found" error.</summary>
    public const string InstallHint =
        "install PostgreSQL (apt-get install postgresql) or set ConnectionStrings__NewsDb";

    /// <summary>The only address the server listens on.</summary>
    public const string Host = "127.0.0.1";

    private readonly LocalPostgresOptions _options;
    private readonly ILogger _logger;
    private readonly PostgresTools _tools;
    private int _disposed;

    private LocalPostgres(LocalPostgresOptions options, ILogger logger, PostgresTools tools, string dataDirectory, int port, bool startedHere)
    {
        _options = options;
        _logger = logger;
        _tools = tools;
        DataDirectory = dataDirectory;
        Port = port;
        StartedHere = startedHere;
        Database = options.Database;
        ConnectionString = BuildConnectionString(port, options.Database, pooling: null);
    }

    /// <summary>Full path of the data directory.</summary>
    public string DataDirectory { get; }

    /// <summary>Port the server listens on (127.0.0.1).</summary>
    public int Port { get; }

    /// <summary>Name of the application database (created when absent).</summary>
    public string Database { get; }

    /// <summary><c>Host=127.0.0.1;Port=…;Database=…;Username=postgres</c>.</summary>
    public string ConnectionString { get; }

    /// <summary>True when this instance started the server; false when it reused one that was already running.</summary>
    public bool StartedHere { get; }

    /// <summary>The folder initdb and pg_ctl were taken from.</summary>
    public string BinDirectory => _tools.BinDirectory;

    /// <summary>The server log (pg_ctl -l).</summary>
    public string LogFile => Path.Combine(DataDirectory, ServerLog.FileName);

    /// <summary>
    /// Makes sure a server runs on <see cref="LocalPostgresOptions.DataDirectory"/> (initdb when there is no cluster,
    /// reuse when one is running, pg_ctl start otherwise) and that the database exists.
    /// </summary>
    /// <exception cref="ArgumentException">Invalid options.</exception>
    /// <exception cref="InvalidOperationException">Binaries missing, initdb/pg_ctl failed (message includes their output and the end of the server log), etc.</exception>
    public static async Task<LocalPostgres> StartAsync(LocalPostgresOptions options, ILogger logger, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        var dataDirectory = LocalPostgresOptions.Validate(options);

        var binDirectory = PostgresBinaries.Find(options.BinDirectory);
        var runner = await CommandRunner.CreateAsync(logger, ct).ConfigureAwait(false);
        var tools = new PostgresTools(binDirectory, runner);
        logger.LogDebug("Using PostgreSQL binaries in {BinDirectory}", binDirectory);

        var deadline = DateTime.UtcNow + options.StartTimeout;
        var initializedHere = false;
        var startedHere = false;
        try
        {
            if (!ClusterDirectory.IsCluster(dataDirectory))
            {
                await ClusterDirectory.PrepareAsync(dataDirectory, tools, logger, ct).ConfigureAwait(false);
                initializedHere = true;
                await ClusterDirectory.InitDbAsync(dataDirectory, options, tools, logger, ct).ConfigureAwait(false);
            }

            var port = await ServerControl.FindRunningAsync(dataDirectory, tools, deadline, ct).ConfigureAwait(false);
            if (port is int runningPort)
            {
                if (!options.ReuseRunningServer)
                {
                    throw new InvalidOperationException(
                        $"A PostgreSQL server is already running on {dataDirectory} (port {runningPort}) and ReuseRunningServer is false.");
                }

                if (options.Port != 0 && options.Port != runningPort)
                {
                    logger.LogWarning(
                        "Reusing the PostgreSQL server already running on {DataDirectory}: it listens on port {RunningPort}, not the requested {Port}",
                        dataDirectory, runningPort, options.Port);
                }

                logger.LogInformation("Reusing the PostgreSQL server already running on {DataDirectory} (port {Port})", dataDirectory, runningPort);
            }
            else
            {
                (port, startedHere) = await ServerControl.StartAsync(dataDirectory, options, tools, logger, deadline, ct).ConfigureAwait(false);
            }

            var instance = new LocalPostgres(options, logger, tools, dataDirectory, port.Value, startedHere);
            await instance.EnsureDatabaseAsync(deadline, ct).ConfigureAwait(false);
            return instance;
        }
        catch (Exception ex) when (startedHere || initializedHere)
        {
            await ServerControl.CleanUpAfterFailedStartAsync(dataDirectory, options, tools, logger, startedHere, ex).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops the server (pg_ctl stop -m fast) and clears the Npgsql pool of <see cref="ConnectionString"/> when it was started here and <see cref="LocalPostgresOptions.StopOnDispose"/> is set, then deletes the data directory when <see cref="LocalPostgresOptions.DeleteOnDispose"/> is set. A reused server is never stopped or deleted.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0 || !StartedHere)
        {
            return;
        }

        if (_options.StopOnDispose)
        {
            await ServerControl.StopAsync(DataDirectory, _tools, _logger, "fast", CancellationToken.None).ConfigureAwait(false);

            // Idle pooled connections now point at a stopped server; a later server on the same port would get them.
            using var connection = new NpgsqlConnection(ConnectionString);
            NpgsqlConnection.ClearPool(connection);
        }

        if (_options.DeleteOnDispose)
        {
            ClusterDirectory.Delete(DataDirectory, _logger);
        }
    }

    internal static string BuildConnectionString(int port, string database, bool? pooling)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = Host,
            Port = port,
            Database = database,
            Username = SuperUser,
        };
        if (pooling is bool value)
        {
            builder.Pooling = value;
        }

        return builder.ConnectionString;
    }

    private async Task EnsureDatabaseAsync(DateTime deadline, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(BuildConnectionString(Port, "postgres", pooling: false));
        await OpenAsync(connection, deadline, ct).ConfigureAwait(false);

        await using (var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection))
        {
            exists.Parameters.Add(new NpgsqlParameter { Value = Database });
            if (await exists.ExecuteScalarAsync(ct).ConfigureAwait(false) is not null)
            {
                return;
            }
        }

        _logger.LogInformation("Creating database {Database}", Database);
        var quoted = "\"" + Database.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        await using var create = new NpgsqlCommand($"CREATE DATABASE {quoted}", connection);
        try
        {
            await create.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            _logger.LogDebug("Database {Database} was created concurrently by another process", Database);
        }
        catch (PostgresException ex)
        {
            throw new InvalidOperationException($"CREATE DATABASE {quoted} failed on {Host}:{Port}: {ex.MessageText} ({ex.SqlState})", ex);
        }
    }

    private async Task OpenAsync(NpgsqlConnection connection, DateTime deadline, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                await connection.OpenAsync(ct).ConfigureAwait(false);
                return;
            }
            catch (NpgsqlException ex) when (ex is not PostgresException || ((PostgresException)ex).SqlState == PostgresErrorCodes.CannotConnectNow)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException(
                        $"Could not connect to PostgreSQL on {Host}:{Port} (data directory {DataDirectory}): {ex.Message}{Environment.NewLine}" +
                        $"Last lines of {LogFile}:{Environment.NewLine}{ServerLog.Tail(DataDirectory)}",
                        ex);
                }

                _logger.LogDebug("PostgreSQL on port {Port} is not accepting connections yet ({Error}); retrying", Port, ex.Message);
                await Task.Delay(200, ct).ConfigureAwait(false);
            }
            catch (PostgresException ex)
            {
                throw new InvalidOperationException(
                    $"Could not connect to PostgreSQL on {Host}:{Port} as {SuperUser}: {ex.MessageText} ({ex.SqlState})", ex);
            }
        }
    }
}
