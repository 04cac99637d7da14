using Microsoft.Extensions.Logging;

namespace NewsApi.Development;

/// <summary>The data directory: created for the postgres user when this process is root, initdb'ed, deleted.</summary>
internal static class ClusterDirectory
{
    internal static bool IsCluster(string dataDirectory) => File.Exists(Path.Combine(dataDirectory, "PG_VERSION"));

    internal static async Task PrepareAsync(string dataDirectory, PostgresTools tools, ILogger logger, CancellationToken ct)
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
            await tools.Runner.RunCheckedAsync("chown", ["--", LocalPostgres.ServiceUser + ":", dir], asServiceUser: false, ct).ConfigureAwait(false);
        }

        await ChownDataDirectoryAsync(dataDirectory, tools, ct).ConfigureAwait(false);
        await EnsureReachableByServiceUserAsync(dataDirectory, created, tools, logger, ct).ConfigureAwait(false);
    }

    internal static async Task ChownDataDirectoryAsync(string dataDirectory, PostgresTools tools, CancellationToken ct)
    {
        await tools.Runner.RunCheckedAsync("chown", ["-R", "--", LocalPostgres.ServiceUser + ":", dataDirectory], asServiceUser: false, ct).ConfigureAwait(false);
        await tools.Runner.RunCheckedAsync("chmod", ["700", "--", dataDirectory], asServiceUser: false, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The postgres user needs search (x) permission on every parent directory. When it lacks it, add o+x to the
    /// existing parents that lack it (logged); nothing else is changed on directories we did not create.
    /// </summary>
    private static async Task EnsureReachableByServiceUserAsync(
        string dataDirectory, IReadOnlyCollection<string> created, PostgresTools tools, ILogger logger, CancellationToken ct)
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
                    dir, LocalPostgres.ServiceUser, dataDirectory);
                File.SetUnixFileMode(dir, mode | UnixFileMode.OtherExecute);
            }
        }

        if (!await CanServiceUserWriteAsync(dataDirectory, tools, ct).ConfigureAwait(false))
        {
            throw new InvalidOperationException(
                $"The '{LocalPostgres.ServiceUser}' user cannot write to the PostgreSQL data directory {dataDirectory} even after chown and o+x on its parents. " +
                "PostgreSQL refuses to run as root; choose a data directory the postgres user can reach (e.g. under /tmp or /var/lib/postgresql).");
        }
    }

    private static async Task<bool> CanServiceUserWriteAsync(string dataDirectory, PostgresTools tools, CancellationToken ct)
    {
        var result = await tools.Runner.RunAsync("test", ["-w", dataDirectory, "-a", "-x", dataDirectory], asServiceUser: true, ct).ConfigureAwait(false);
        return result.ExitCode switch
        {
            0 => true,
            1 => false,
            _ => throw new InvalidOperationException(
                $"Could not check whether the '{LocalPostgres.ServiceUser}' user can access {dataDirectory}: {result.Describe()}"),
        };
    }

    internal static async Task InitDbAsync(string dataDirectory, LocalPostgresOptions options, PostgresTools tools, ILogger logger, CancellationToken ct)
    {
        logger.LogInformation("Creating a PostgreSQL cluster in {DataDirectory} (initdb, trust authentication, loopback only)", dataDirectory);
        var initdb = tools.Program("initdb");

        List<string> Arguments(string locale)
        {
            var args = new List<string> { "-D", dataDirectory, "-U", LocalPostgres.SuperUser, "--auth=trust", "-E", "UTF8", locale };
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

    internal static void Delete(string dataDirectory, ILogger logger)
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
}
