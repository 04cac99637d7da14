using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Npgsql;

namespace NewsApi.Data;

/// <summary>Settings for <see cref="LocalPostgres.StartAsync"/>.</summary>
public sealed class LocalPostgresOptions
{
    /// <summary>Absolute path of the cluster's data directory. Created (and initdb'ed) when it holds no cluster yet.</summary>
    public required string DataDirectory { get; set; }

    /// <summary>
    /// TCP port on 127.0.0.1. 0 picks one: the port the cluster was configured with last time if it is
    /// still free (so a development cluster keeps a stable port), otherwise a free loopback port.
    /// </summary>
    public int Port { get; set; }

    /// <summary>Database that is created when absent (the server itself always has <c>postgres</c>).</summary>
    public string Database { get; set; } = "newsapi";

    /// <summary>Stop the server on dispose, but only when this instance started it (see <see cref="LocalPostgres.StartedHere"/>).</summary>
    public bool StopOnDispose { get; set; } = true;

    /// <summary>
    /// Keep/reuse flag: when a server is already running on <see cref="DataDirectory"/>, use it instead of failing.
    /// With false, finding a running server is an error.
    /// </summary>
    public bool ReuseRunningServer { get; set; } = true;

    /// <summary>
    /// Delete <see cref="DataDirectory"/> after stopping the server on dispose (throwaway test clusters).
    /// Only applies when this instance started the server; requires <see cref="StopOnDispose"/>.
    /// </summary>
    public bool DeleteOnDispose { get; set; }

    /// <summary>
    /// Trade durability for speed: fsync, synchronous_commit and full_page_writes off, initdb --no-sync.
    /// For throwaway test clusters only, never for a cluster whose data matters.
    /// </summary>
    public bool Fast { get; set; }

    /// <summary>
    /// Folder holding initdb and pg_ctl. When set, only this folder is searched (no PATH, no fallbacks);
    /// when null, PATH and then /usr/lib/postgresql/*/bin (highest version first) are searched.
    /// </summary>
    public string? BinDirectory { get; set; }

    /// <summary>How long to wait for the server to accept connections (pg_ctl -t, reuse and connect waits).</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);
}

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
public sealed class LocalPostgres : IAsyncDisposable
{
    /// <summary>The database superuser created by initdb (-U).</summary>
    public const string SuperUser = "postgres";

    /// <summary>The operating system user that runs the server when this process runs as root.</summary>
    public const string ServiceUser = "postgres";

    /// <summary>Hint appended to the "binaries not found" error.</summary>
    public const string InstallHint =
        "install PostgreSQL (apt-get install postgresql) or set ConnectionStrings__NewsDb";

    private const string Host = "127.0.0.1";
    private const string LogFileName = "server.log";
    private const string AutoConfFileName = "postgresql.auto.conf";
    private const string PidFileName = "postmaster.pid";
    private const int MaxUnixSocketPathBytes = 107; // sizeof(sockaddr_un.sun_path) - 1

    private readonly LocalPostgresOptions _options;
    private readonly ILogger _logger;
    private readonly Tools _tools;
    private int _disposed;

    private LocalPostgres(LocalPostgresOptions options, ILogger logger, Tools tools, string dataDirectory, int port, bool startedHere)
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
    public string LogFile => Path.Combine(DataDirectory, LogFileName);

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
        var dataDirectory = Validate(options);

        var binDirectory = FindBinDirectory(options.BinDirectory);
        var runner = await CommandRunner.CreateAsync(logger, ct).ConfigureAwait(false);
        var tools = new Tools(binDirectory, runner);
        logger.LogDebug("Using PostgreSQL binaries in {BinDirectory}", binDirectory);

        var deadline = DateTime.UtcNow + options.StartTimeout;
        var initializedHere = false;
        var startedHere = false;
        try
        {
            if (!IsCluster(dataDirectory))
            {
                await PrepareDirectoryAsync(dataDirectory, tools, logger, ct).ConfigureAwait(false);
                initializedHere = true;
                await InitDbAsync(dataDirectory, options, tools, logger, ct).ConfigureAwait(false);
            }

            var port = await FindRunningServerAsync(dataDirectory, tools, deadline, ct).ConfigureAwait(false);
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
                (port, startedHere) = await StartServerAsync(dataDirectory, options, tools, logger, deadline, ct).ConfigureAwait(false);
            }

            var instance = new LocalPostgres(options, logger, tools, dataDirectory, port.Value, startedHere);
            await instance.EnsureDatabaseAsync(deadline, ct).ConfigureAwait(false);
            return instance;
        }
        catch (Exception ex) when (startedHere || initializedHere)
        {
            await CleanUpAfterFailedStartAsync(dataDirectory, options, tools, logger, startedHere, ex).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The nearest folder at or above <paramref name="startDirectory"/> that contains NewsApi.sln, or null.</summary>
    public static string? FindRepositoryRoot(string startDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(startDirectory);
        for (var dir = new DirectoryInfo(Path.GetFullPath(startDirectory)); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NewsApi.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
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
            await StopServerAsync(DataDirectory, _tools, _logger, "fast", CancellationToken.None).ConfigureAwait(false);

            // Idle pooled connections now point at a stopped server; a later server on the same port would get them.
            using var connection = new NpgsqlConnection(ConnectionString);
            NpgsqlConnection.ClearPool(connection);
        }

        if (_options.DeleteOnDispose)
        {
            DeleteDirectory(DataDirectory, _logger);
        }
    }

    // ---- validation and binaries -------------------------------------------------------------------------------

    private static string Validate(LocalPostgresOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.DataDirectory) || !Path.IsPathFullyQualified(options.DataDirectory))
        {
            throw new ArgumentException(
                $"LocalPostgresOptions.DataDirectory must be an absolute path, got '{options.DataDirectory}'.", nameof(options));
        }

        if (options.Port is < 0 or > 65535)
        {
            throw new ArgumentException($"LocalPostgresOptions.Port must be 0 (pick a free port) or 1-65535, got {options.Port}.", nameof(options));
        }

        if (string.IsNullOrEmpty(options.Database) || Encoding.UTF8.GetByteCount(options.Database) > 63 || options.Database.Contains('\0'))
        {
            throw new ArgumentException(
                $"LocalPostgresOptions.Database must be a non-empty name of at most 63 bytes, got '{options.Database}'.", nameof(options));
        }

        if (options.DeleteOnDispose && !options.StopOnDispose)
        {
            throw new ArgumentException("LocalPostgresOptions.DeleteOnDispose requires StopOnDispose (a running cluster cannot be deleted).", nameof(options));
        }

        if (options.StartTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"LocalPostgresOptions.StartTimeout must be positive, got {options.StartTimeout}.", nameof(options));
        }

        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.DataDirectory));
        if (Path.GetDirectoryName(full) is null)
        {
            throw new ArgumentException($"LocalPostgresOptions.DataDirectory cannot be a file system root, got '{options.DataDirectory}'.", nameof(options));
        }

        return full;
    }

    private static string FindBinDirectory(string? explicitDirectory)
    {
        var candidates = new List<string>();
        if (explicitDirectory is not null)
        {
            candidates.Add(explicitDirectory);
        }
        else
        {
            candidates.AddRange(PathDirectories());
            candidates.AddRange(DebianVersionDirectories());
        }

        foreach (var dir in candidates)
        {
            if (IsExecutable(Path.Combine(dir, ExeName("initdb"))) && IsExecutable(Path.Combine(dir, ExeName("pg_ctl"))))
            {
                return Path.GetFullPath(dir);
            }
        }

        var searched = explicitDirectory is not null
            ? $"BinDirectory '{explicitDirectory}'"
            : "PATH and /usr/lib/postgresql/*/bin";
        throw new InvalidOperationException(
            $"PostgreSQL binaries (initdb, pg_ctl) were not found on PATH; {InstallHint}. Searched: {searched}.");
    }

    private static IEnumerable<string> PathDirectories() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(Path.IsPathFullyQualified);

    /// <summary>/usr/lib/postgresql/{version}/bin, highest version first (Debian/Ubuntu layout).</summary>
    private static IEnumerable<string> DebianVersionDirectories()
    {
        const string root = "/usr/lib/postgresql";
        if (OperatingSystem.IsWindows() || !Directory.Exists(root))
        {
            return [];
        }

        return Directory.EnumerateDirectories(root)
            .Select(dir => (dir, version: Version.TryParse(NormalizeVersion(Path.GetFileName(dir)), out var v) ? v : null))
            .Where(x => x.version is not null)
            .OrderByDescending(x => x.version)
            .Select(x => Path.Combine(x.dir, "bin"));

        static string NormalizeVersion(string name) => name.Contains('.') ? name : name + ".0";
    }

    private static string ExeName(string name) => OperatingSystem.IsWindows() ? name + ".exe" : name;

    private static string? FindOnPath(string name, params string[] fallbacks) =>
        PathDirectories().Select(d => Path.Combine(d, name)).Concat(fallbacks).FirstOrDefault(IsExecutable);

    private static bool IsExecutable(string path)
    {
        FileSystemInfo info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            info = info.ResolveLinkTarget(returnFinalTarget: true) ?? info;
        }

        if (!info.Exists || info is not FileInfo)
        {
            return false;
        }

        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (info.UnixFileMode & anyExecute) != 0;
    }

    // ---- cluster creation -------------------------------------------------------------------------------------

    private static bool IsCluster(string dataDirectory) => File.Exists(Path.Combine(dataDirectory, "PG_VERSION"));

    private static async Task PrepareDirectoryAsync(string dataDirectory, Tools tools, ILogger logger, CancellationToken ct)
    {
        if (Directory.Exists(dataDirectory) && Directory.EnumerateFileSystemEntries(dataDirectory).Any())
        {
            throw new InvalidOperationException(
                $"The data directory {dataDirectory} is not empty but holds no PostgreSQL cluster (no PG_VERSION file). " +
                "Empty or delete it so that initdb can create a cluster there.");
        }

        // Remember which directories we create so that only those are chowned.
        var created = new List<string>();
        for (var dir = dataDirectory; dir is not null && !Directory.Exists(dir); dir = Path.GetDirectoryName(dir))
        {
            created.Add(dir);
        }

        try
        {
            Directory.CreateDirectory(dataDirectory);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(dataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Could not create the PostgreSQL data directory {dataDirectory}: {ex.Message}", ex);
        }

        if (!tools.Runner.RunsAsServiceUser)
        {
            return;
        }

        foreach (var dir in created.Where(d => d != dataDirectory))
        {
            await tools.Runner.RunCheckedAsync("chown", ["--", ServiceUser + ":", dir], asServiceUser: false, ct).ConfigureAwait(false);
        }

        await ChownDataDirectoryAsync(dataDirectory, tools, ct).ConfigureAwait(false);
        await EnsureReachableByServiceUserAsync(dataDirectory, created, tools, logger, ct).ConfigureAwait(false);
    }

    private static async Task ChownDataDirectoryAsync(string dataDirectory, Tools tools, CancellationToken ct)
    {
        await tools.Runner.RunCheckedAsync("chown", ["-R", "--", ServiceUser + ":", dataDirectory], asServiceUser: false, ct).ConfigureAwait(false);
        await tools.Runner.RunCheckedAsync("chmod", ["700", "--", dataDirectory], asServiceUser: false, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The postgres user needs search (x) permission on every parent directory. When it lacks it, add o+x to the
    /// existing parents that lack it (logged); nothing else is changed on directories we did not create.
    /// </summary>
    private static async Task EnsureReachableByServiceUserAsync(
        string dataDirectory, IReadOnlyCollection<string> created, Tools tools, ILogger logger, CancellationToken ct)
    {
        if (OperatingSystem.IsWindows() || await CanServiceUserWriteAsync(dataDirectory, tools, ct).ConfigureAwait(false))
        {
            return;
        }

        var parents = new List<string>();
        for (var dir = Path.GetDirectoryName(dataDirectory); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            parents.Add(dir);
        }

        foreach (var dir in Enumerable.Reverse(parents).Where(d => !created.Contains(d)))
        {
            var mode = File.GetUnixFileMode(dir);
            if ((mode & UnixFileMode.OtherExecute) == 0)
            {
                logger.LogWarning(
                    "Adding o+x (traverse only, no listing) to {Directory} so that the '{User}' user can reach the PostgreSQL data directory {DataDirectory}",
                    dir, ServiceUser, dataDirectory);
                File.SetUnixFileMode(dir, mode | UnixFileMode.OtherExecute);
            }
        }

        if (!await CanServiceUserWriteAsync(dataDirectory, tools, ct).ConfigureAwait(false))
        {
            throw new InvalidOperationException(
                $"The '{ServiceUser}' user cannot write to the PostgreSQL data directory {dataDirectory} even after chown and o+x on its parents. " +
                "PostgreSQL refuses to run as root; choose a data directory the postgres user can reach (e.g. under /tmp or /var/lib/postgresql).");
        }
    }

    private static async Task<bool> CanServiceUserWriteAsync(string dataDirectory, Tools tools, CancellationToken ct)
    {
        var result = await tools.Runner.RunAsync("test", ["-w", dataDirectory, "-a", "-x", dataDirectory], asServiceUser: true, ct).ConfigureAwait(false);
        return result.ExitCode switch
        {
            0 => true,
            1 => false,
            _ => throw new InvalidOperationException(
                $"Could not check whether the '{ServiceUser}' user can access {dataDirectory}: {result.Describe()}"),
        };
    }

    private static async Task InitDbAsync(string dataDirectory, LocalPostgresOptions options, Tools tools, ILogger logger, CancellationToken ct)
    {
        logger.LogInformation("Creating a PostgreSQL cluster in {DataDirectory} (initdb, trust authentication, loopback only)", dataDirectory);
        var initdb = Path.Combine(tools.BinDirectory, ExeName("initdb"));

        List<string> Arguments(string locale)
        {
            var args = new List<string> { "-D", dataDirectory, "-U", SuperUser, "--auth=trust", "-E", "UTF8", locale };
            if (options.Fast)
            {
                args.Add("--no-sync");
            }

            return args;
        }

        var result = await tools.Runner.RunAsync(initdb, Arguments("--locale=C.UTF-8"), asServiceUser: true, ct).ConfigureAwait(false);
        if (result.ExitCode != 0 && result.Output.Contains("locale", StringComparison.OrdinalIgnoreCase))
        {
            logger.LogInformation("initdb could not use the C.UTF-8 locale ({Error}); retrying with --no-locale", result.StdErr.Trim());
            result = await tools.Runner.RunAsync(initdb, Arguments("--no-locale"), asServiceUser: true, ct).ConfigureAwait(false);
        }

        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"initdb failed for {dataDirectory}: {result.Describe()}");
        }
    }

    // ---- running server detection ------------------------------------------------------------------------------

    /// <summary>
    /// Port of a server running on the data directory (waiting until it is ready), or null when none runs.
    /// A stale postmaster.pid counts as "not running"; pg_ctl start deals with it.
    /// </summary>
    private static async Task<int?> FindRunningServerAsync(string dataDirectory, Tools tools, DateTime deadline, CancellationToken ct)
    {
        var pidFile = Path.Combine(dataDirectory, PidFileName);
        while (true)
        {
            if (!File.Exists(pidFile) || !await IsRunningAsync(dataDirectory, tools, ct).ConfigureAwait(false))
            {
                return null;
            }

            var lines = TryReadPidFile(pidFile);
            var status = lines is { Length: >= 8 } ? lines[7].Trim() : "starting";
            var zombie = lines is { Length: >= 1 } && IsZombie(lines[0]);
            if (zombie)
            {
                // The postmaster died (e.g. kill -9) but its parent has not reaped it yet: kill(pid, 0) still
                // succeeds, so pg_ctl status says "running" and a new postmaster would refuse to start. Wait.
                status = "exited, not yet reaped (zombie)";
            }
            else if (status is "ready" or "standby")
            {
                if (!int.TryParse(lines![3].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
                {
                    throw new InvalidOperationException($"Could not read the port from line 4 of {pidFile}: '{lines[3]}'.");
                }

                if (string.IsNullOrWhiteSpace(lines[5]))
                {
                    throw new InvalidOperationException(
                        $"The PostgreSQL server running on {dataDirectory} does not listen on TCP (listen_addresses is empty); stop it (pg_ctl -D {dataDirectory} stop) and retry.");
                }

                return port;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException(
                    $"The PostgreSQL server of {dataDirectory} (see its postmaster.pid) neither became ready nor went away in time (status '{status}'). " +
                    $"Last lines of {Path.Combine(dataDirectory, LogFileName)}:{Environment.NewLine}{ReadLogTail(dataDirectory)}");
            }

            await Task.Delay(100, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Linux: whether the process is a zombie (state Z in /proc/PID/stat). False elsewhere or when it is gone.</summary>
    private static bool IsZombie(string pidLine)
    {
        if (!OperatingSystem.IsLinux() || !int.TryParse(pidLine.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return false;
        }

        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return false; // the process is gone: not a zombie (pg_ctl status decides whether it runs)
        }

        // "pid (comm) S ...": comm may contain spaces and parentheses, the state follows the last ')'.
        var end = stat.LastIndexOf(')');
        return end >= 0 && end + 2 < stat.Length && stat[end + 2] == 'Z';
    }

    private static string[]? TryReadPidFile(string pidFile)
    {
        try
        {
            using var stream = new FileStream(pidFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd().Split('\n');
        }
        catch (FileNotFoundException)
        {
            return null; // the server just stopped; the caller re-checks
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    private static async Task<bool> IsRunningAsync(string dataDirectory, Tools tools, CancellationToken ct)
    {
        var result = await tools.Runner.RunAsync(
            Path.Combine(tools.BinDirectory, ExeName("pg_ctl")), ["-D", dataDirectory, "status"], asServiceUser: true, ct).ConfigureAwait(false);
        return result.ExitCode switch
        {
            0 => true,
            3 => false,
            _ => throw new InvalidOperationException($"pg_ctl status failed for {dataDirectory}: {result.Describe()}"),
        };
    }

    // ---- start / stop ------------------------------------------------------------------------------------------

    private static async Task<(int Port, bool StartedHere)> StartServerAsync(
        string dataDirectory, LocalPostgresOptions options, Tools tools, ILogger logger, DateTime deadline, CancellationToken ct)
    {
        const int maxAttempts = 3;
        var pgCtl = Path.Combine(tools.BinDirectory, ExeName("pg_ctl"));
        var logFile = Path.Combine(dataDirectory, LogFileName);
        var timeoutSeconds = Math.Max(1, (int)Math.Ceiling(options.StartTimeout.TotalSeconds));

        for (var attempt = 1; ; attempt++)
        {
            var port = ChoosePort(options.Port, dataDirectory);
            WriteSettings(dataDirectory, port, options.Fast, logger);
            if (tools.Runner.RunsAsServiceUser)
            {
                await ChownDataDirectoryAsync(dataDirectory, tools, ct).ConfigureAwait(false);
            }

            var logOffset = File.Exists(logFile) ? new FileInfo(logFile).Length : 0;
            logger.LogInformation("Starting PostgreSQL on {Host}:{Port} from {DataDirectory}", Host, port, dataDirectory);
            var result = await tools.Runner.RunAsync(
                pgCtl,
                ["-D", dataDirectory, "-l", logFile, "-w", "-t", timeoutSeconds.ToString(CultureInfo.InvariantCulture), "start"],
                asServiceUser: true,
                ct).ConfigureAwait(false);

            if (result.ExitCode == 0)
            {
                return (port, true);
            }

            // Another process may have started the server on this directory at the same time: use it.
            if (result.Output.Contains("another server might be running", StringComparison.OrdinalIgnoreCase)
                && await FindRunningServerAsync(dataDirectory, tools, deadline, ct).ConfigureAwait(false) is int otherPort)
            {
                logger.LogInformation("Another process started PostgreSQL on {DataDirectory} concurrently; reusing it (port {Port})", dataDirectory, otherPort);
                return (otherPort, false);
            }

            // pg_ctl -w gives up after -t seconds but leaves the postmaster starting: stop what we launched.
            if (await IsRunningAsync(dataDirectory, tools, ct).ConfigureAwait(false))
            {
                await StopServerAsync(dataDirectory, tools, logger, "immediate", ct).ConfigureAwait(false);
            }

            var newLog = ReadLogSince(logFile, logOffset);
            if (options.Port == 0 && attempt < maxAttempts
                && (newLog.Contains("could not bind", StringComparison.OrdinalIgnoreCase)
                    || newLog.Contains("already in use", StringComparison.OrdinalIgnoreCase)))
            {
                logger.LogWarning("Port {Port} was taken before PostgreSQL could bind it; retrying with another port", port);
                continue;
            }

            throw new InvalidOperationException(
                $"pg_ctl start failed for {dataDirectory} on port {port}: {result.Describe()}{Environment.NewLine}" +
                $"Last lines of {logFile}:{Environment.NewLine}{ReadLogTail(dataDirectory)}");
        }
    }

    private static async Task StopServerAsync(string dataDirectory, Tools tools, ILogger logger, string mode, CancellationToken ct)
    {
        logger.LogInformation("Stopping PostgreSQL on {DataDirectory} (-m {Mode})", dataDirectory, mode);
        var result = await tools.Runner.RunAsync(
            Path.Combine(tools.BinDirectory, ExeName("pg_ctl")),
            ["-D", dataDirectory, "-m", mode, "-w", "-t", "60", "stop"],
            asServiceUser: true,
            ct).ConfigureAwait(false);
        if (result.ExitCode == 0)
        {
            return;
        }

        if (!await IsRunningAsync(dataDirectory, tools, ct).ConfigureAwait(false))
        {
            logger.LogInformation("PostgreSQL on {DataDirectory} was already stopped: {Output}", dataDirectory, result.Output.Trim());
            return;
        }

        throw new InvalidOperationException(
            $"pg_ctl stop failed for {dataDirectory}: {result.Describe()}{Environment.NewLine}" +
            $"Last lines of {Path.Combine(dataDirectory, LogFileName)}:{Environment.NewLine}{ReadLogTail(dataDirectory)}");
    }

    private static async Task CleanUpAfterFailedStartAsync(
        string dataDirectory, LocalPostgresOptions options, Tools tools, ILogger logger, bool startedHere, Exception failure)
    {
        try
        {
            if (startedHere && options.StopOnDispose)
            {
                await StopServerAsync(dataDirectory, tools, logger, "fast", CancellationToken.None).ConfigureAwait(false);
            }

            if (options.DeleteOnDispose && Directory.Exists(dataDirectory)
                && !(File.Exists(Path.Combine(dataDirectory, PidFileName)) && await IsRunningAsync(dataDirectory, tools, CancellationToken.None).ConfigureAwait(false)))
            {
                DeleteDirectory(dataDirectory, logger);
            }
        }
        catch (Exception cleanupError)
        {
            // The original failure is rethrown by the caller; the cleanup failure must not hide it, but is reported.
            logger.LogError(cleanupError, "Cleaning up {DataDirectory} after a failed PostgreSQL start ({Failure}) failed as well", dataDirectory, failure.Message);
        }
    }

    private static void DeleteDirectory(string dataDirectory, ILogger logger)
    {
        logger.LogInformation("Deleting the PostgreSQL data directory {DataDirectory}", dataDirectory);
        try
        {
            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Could not delete the PostgreSQL data directory {dataDirectory}: {ex.Message}", ex);
        }
    }

    // ---- settings and ports ------------------------------------------------------------------------------------

    private static int ChoosePort(int requested, string dataDirectory)
    {
        if (requested != 0)
        {
            if (!IsPortFree(requested))
            {
                throw new InvalidOperationException(
                    $"Port {requested} on {Host} is already in use; choose another LocalPostgresOptions.Port (or 0 to pick a free one).");
            }

            return requested;
        }

        return ReadConfiguredPort(dataDirectory) is int previous && IsPortFree(previous) ? previous : GetFreePort();
    }

    /// <summary>A port that is free on 127.0.0.1 right now (bind to port 0 and let the OS choose).</summary>
    internal static int GetFreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static bool IsPortFree(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false; // that is the answer, not an error
        }
        finally
        {
            listener.Stop();
        }
    }

    private static int? ReadConfiguredPort(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, AutoConfFileName);
        if (!File.Exists(path))
        {
            return null;
        }

        foreach (var line in File.ReadAllLines(path))
        {
            if (SettingKey(line) == "port")
            {
                var value = line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim().Trim('\'');
                return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535 ? port : null;
            }
        }

        return null;
    }

    /// <summary>Merges our settings into postgresql.auto.conf, keeping every other line (e.g. from ALTER SYSTEM).</summary>
    private static void WriteSettings(string dataDirectory, int port, bool fast, ILogger logger)
    {
        var socketDirectory = dataDirectory;
        if (OperatingSystem.IsWindows())
        {
            socketDirectory = "";
        }
        else if (Encoding.UTF8.GetByteCount(Path.Combine(dataDirectory, $".s.PGSQL.{port}")) > MaxUnixSocketPathBytes)
        {
            logger.LogWarning(
                "The data directory path {DataDirectory} is too long for a Unix socket; the server will only accept TCP connections on {Host}",
                dataDirectory, Host);
            socketDirectory = "";
        }

        var durability = fast ? "off" : "on";
        var settings = new (string Key, string Value)[]
        {
            ("listen_addresses", Host),
            ("port", port.ToString(CultureInfo.InvariantCulture)),
            ("unix_socket_directories", socketDirectory),
            ("fsync", durability),
            ("synchronous_commit", durability),
            ("full_page_writes", durability),
        };

        var path = Path.Combine(dataDirectory, AutoConfFileName);
        var lines = File.Exists(path)
            ? File.ReadAllLines(path).ToList()
            : ["# Do not edit this file manually!", "# It will be overwritten by the ALTER SYSTEM command."];
        lines.RemoveAll(line => settings.Any(s => s.Key == SettingKey(line)));
        lines.AddRange(settings.Select(s => $"{s.Key} = '{s.Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal)}'"));

        try
        {
            // Overwriting in place keeps the file's owner (postgres) and mode (0600).
            File.WriteAllText(path, string.Join('\n', lines) + "\n");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Could not write the server settings to {path}: {ex.Message}", ex);
        }
    }

    /// <summary>The lower-cased setting name of a postgresql.conf line, or null for comments and blank lines.</summary>
    private static string? SettingKey(string line)
    {
        var trimmed = line.TrimStart();
        if (trimmed.Length == 0 || trimmed[0] == '#')
        {
            return null;
        }

        var end = 0;
        while (end < trimmed.Length && (char.IsLetterOrDigit(trimmed[end]) || trimmed[end] is '_' or '.'))
        {
            end++;
        }

        return end == 0 ? null : trimmed[..end].ToLowerInvariant();
    }

    private static string ReadLogTail(string dataDirectory, int lines = 30)
    {
        var path = Path.Combine(dataDirectory, LogFileName);
        try
        {
            var text = ReadLogSince(path, 0);
            var all = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return all.Length == 0 ? "(the server log is empty)" : string.Join(Environment.NewLine, all.TakeLast(lines));
        }
        catch (FileNotFoundException)
        {
            return $"(no server log at {path})";
        }
        catch (DirectoryNotFoundException)
        {
            return $"(no server log at {path})";
        }
    }

    private static string ReadLogSince(string path, long offset)
    {
        if (!File.Exists(path))
        {
            return "";
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Position = offset <= stream.Length ? offset : 0;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    // ---- database ----------------------------------------------------------------------------------------------

    private static string BuildConnectionString(int port, string database, bool? pooling)
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
                        $"Last lines of {LogFile}:{Environment.NewLine}{ReadLogTail(DataDirectory)}",
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

    // ---- processes ---------------------------------------------------------------------------------------------

    private sealed record Tools(string BinDirectory, CommandRunner Runner);

    private sealed record CommandResult(string CommandLine, int ExitCode, string StdOut, string StdErr)
    {
        public string Output => StdOut + StdErr;

        public string Describe()
        {
            var output = string.Join(Environment.NewLine, new[] { StdErr.Trim(), StdOut.Trim() }.Where(s => s.Length > 0));
            return $"'{CommandLine}' exited with code {ExitCode}" + (output.Length > 0 ? $":{Environment.NewLine}{output}" : " and printed nothing");
        }
    }

    /// <summary>Runs programs, as the postgres system user when this process is root (PostgreSQL refuses root).</summary>
    private sealed class CommandRunner
    {
        private readonly ILogger _logger;
        private readonly string? _runuser;
        private readonly string? _su;

        private CommandRunner(ILogger logger, bool runsAsServiceUser, string? runuser, string? su)
        {
            _logger = logger;
            RunsAsServiceUser = runsAsServiceUser;
            _runuser = runuser;
            _su = su;
        }

        /// <summary>True when this process is root, so PostgreSQL commands are run as <see cref="ServiceUser"/>.</summary>
        public bool RunsAsServiceUser { get; }

        public static async Task<CommandRunner> CreateAsync(ILogger logger, CancellationToken ct)
        {
            if (!IsRoot())
            {
                return new CommandRunner(logger, runsAsServiceUser: false, null, null);
            }

            var runuser = FindOnPath("runuser", "/usr/sbin/runuser", "/sbin/runuser");
            var su = runuser is null ? FindOnPath("su", "/bin/su", "/usr/bin/su") : null;
            if (runuser is null && su is null)
            {
                throw new InvalidOperationException(
                    $"This process runs as root, which PostgreSQL refuses; running initdb/pg_ctl as the '{ServiceUser}' user needs runuser or su, and neither was found (install util-linux).");
            }

            var runner = new CommandRunner(logger, runsAsServiceUser: true, runuser, su);
            logger.LogInformation("Running as root: PostgreSQL commands run as the '{User}' system user via {Tool}", ServiceUser, runuser ?? su);

            var check = await runner.RunAsync("id", ["-u"], asServiceUser: true, ct).ConfigureAwait(false);
            if (check.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"This process runs as root, which PostgreSQL refuses, so initdb/pg_ctl must run as the '{ServiceUser}' system user, but that did not work " +
                    $"(create the user with 'useradd --system --create-home --home-dir /var/lib/postgresql postgres', or install the postgresql package): {check.Describe()}");
            }

            return runner;
        }

        public async Task RunCheckedAsync(string fileName, IReadOnlyList<string> arguments, bool asServiceUser, CancellationToken ct)
        {
            var result = await RunAsync(fileName, arguments, asServiceUser, ct).ConfigureAwait(false);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"Command failed: {result.Describe()}");
            }
        }

        public async Task<CommandResult> RunAsync(string fileName, IReadOnlyList<string> arguments, bool asServiceUser, CancellationToken ct)
        {
            var startInfo = new ProcessStartInfo
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                // A working directory the postgres user can always enter (the caller's may be e.g. /root).
                WorkingDirectory = OperatingSystem.IsWindows() ? Path.GetTempPath() : "/",
            };

            if (asServiceUser && RunsAsServiceUser && _runuser is not null)
            {
                startInfo.FileName = _runuser;
                foreach (var arg in (string[])["-u", ServiceUser, "--", fileName, .. arguments])
                {
                    startInfo.ArgumentList.Add(arg);
                }
            }
            else if (asServiceUser && RunsAsServiceUser)
            {
                startInfo.FileName = _su!;
                foreach (var arg in (string[])[ServiceUser, "-s", "/bin/sh", "-c", string.Join(' ', new[] { fileName }.Concat(arguments).Select(ShellQuote))])
                {
                    startInfo.ArgumentList.Add(arg);
                }
            }
            else
            {
                startInfo.FileName = fileName;
                foreach (var arg in arguments)
                {
                    startInfo.ArgumentList.Add(arg);
                }
            }

            var commandLine = string.Join(' ', new[] { startInfo.FileName }.Concat(startInfo.ArgumentList).Select(ShellQuote));
            _logger.LogDebug("Running {CommandLine}", commandLine);

            using var process = new Process { StartInfo = startInfo };
            try
            {
                process.Start();
            }
            catch (Win32Exception ex)
            {
                throw new InvalidOperationException($"Could not run '{commandLine}': {ex.Message}", ex);
            }

            process.StandardInput.Close(); // nothing may wait for input (e.g. a password prompt)
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            try
            {
                await process.WaitForExitAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            var result = new CommandResult(commandLine, process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
            _logger.LogDebug("{CommandLine} exited with {ExitCode}", commandLine, result.ExitCode);
            return result;
        }

        private static string ShellQuote(string value) =>
            value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '-' or '_' or '.' or '=' or ':' or ',')
                ? value
                : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

        private static bool IsRoot()
        {
            if (OperatingSystem.IsWindows())
            {
                return false;
            }

            try
            {
                return NativeMethods.geteuid() == 0;
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
            {
                // No libc to ask (unusual platform): fall back to the user name, which .NET derives from the effective uid.
                return Environment.UserName == "root";
            }
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "geteuid", ExactSpelling = true)]
        internal static extern uint geteuid();
    }
}
