using System.Globalization;
using Microsoft.Extensions.Logging;

namespace NewsApi.Development;

/// <summary>pg_ctl: whether a server runs on a data directory, starting and stopping it.</summary>
internal static class ServerControl
{
    private const string PidFileName = "postmaster.pid";

    // ---- running server detection ------------------------------------------------------------------------------

    /// <summary>
    /// Port of a server running on the data directory (waiting until it is ready), or null when none runs.
    /// A stale postmaster.pid counts as "not running"; pg_ctl start deals with it.
    /// </summary>
    internal static async Task<int?> FindRunningAsync(string dataDirectory, PostgresTools tools, DateTime deadline, CancellationToken ct)
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
                    $"Last lines of {Path.Combine(dataDirectory, ServerLog.FileName)}:{Environment.NewLine}{ServerLog.Tail(dataDirectory)}");
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

    internal static async Task<bool> IsRunningAsync(string dataDirectory, PostgresTools tools, CancellationToken ct)
    {
        var result = await tools.Runner.RunAsync(
            tools.Program("pg_ctl"), ["-D", dataDirectory, "status"], asServiceUser: true, ct).ConfigureAwait(false);
        return result.ExitCode switch
        {
            0 => true,
            3 => false,
            _ => throw new InvalidOperationException($"pg_ctl status failed for {dataDirectory}: {result.Describe()}"),
        };
    }

    // ---- start / stop ------------------------------------------------------------------------------------------

    internal static async Task<(int Port, bool StartedHere)> StartAsync(
        string dataDirectory, LocalPostgresOptions options, PostgresTools tools, ILogger logger, DateTime deadline, CancellationToken ct)
    {
        const int maxAttempts = 3;
        var pgCtl = tools.Program("pg_ctl");
        var logFile = Path.Combine(dataDirectory, ServerLog.FileName);
        var timeoutSeconds = Math.Max(1, (int)Math.Ceiling(options.StartTimeout.TotalSeconds));

        for (var attempt = 1; ; attempt++)
        {
            var port = ClusterSettings.ChoosePort(options.Port, dataDirectory);
            ClusterSettings.WriteSettings(dataDirectory, port, options.Fast, logger);
            if (tools.Runner.RunsAsServiceUser)
            {
                await ClusterDirectory.ChownDataDirectoryAsync(dataDirectory, tools, ct).ConfigureAwait(false);
            }

            var logOffset = File.Exists(logFile) ? new FileInfo(logFile).Length : 0;
            logger.LogInformation("Starting PostgreSQL on {Host}:{Port} from {DataDirectory}", LocalPostgres.Host, port, dataDirectory);
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
                && await FindRunningAsync(dataDirectory, tools, deadline, ct).ConfigureAwait(false) is int otherPort)
            {
                logger.LogInformation("Another process started PostgreSQL on {DataDirectory} concurrently; reusing it (port {Port})", dataDirectory, otherPort);
                return (otherPort, false);
            }

            // pg_ctl -w gives up after -t seconds but leaves the postmaster starting: stop what we launched.
            if (await IsRunningAsync(dataDirectory, tools, ct).ConfigureAwait(false))
            {
                await StopAsync(dataDirectory, tools, logger, "immediate", ct).ConfigureAwait(false);
            }

            var newLog = ServerLog.ReadSince(logFile, logOffset);
            if (options.Port == 0 && attempt < maxAttempts
                && (newLog.Contains("could not bind", StringComparison.OrdinalIgnoreCase)
                    || newLog.Contains("already in use", StringComparison.OrdinalIgnoreCase)))
            {
                logger.LogWarning("Port {Port} was taken before PostgreSQL could bind it; retrying with another port", port);
                continue;
            }

            throw new InvalidOperationException(
                $"pg_ctl start failed for {dataDirectory} on port {port}: {result.Describe()}{Environment.NewLine}" +
                $"Last lines of {logFile}:{Environment.NewLine}{ServerLog.Tail(dataDirectory)}");
        }
    }

    internal static async Task StopAsync(string dataDirectory, PostgresTools tools, ILogger logger, string mode, CancellationToken ct)
    {
        logger.LogInformation("Stopping PostgreSQL on {DataDirectory} (-m {Mode})", dataDirectory, mode);
        var result = await tools.Runner.RunAsync(
            tools.Program("pg_ctl"),
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
            $"Last lines of {Path.Combine(dataDirectory, ServerLog.FileName)}:{Environment.NewLine}{ServerLog.Tail(dataDirectory)}");
    }

    internal static async Task CleanUpAfterFailedStartAsync(
        string dataDirectory, LocalPostgresOptions options, PostgresTools tools, ILogger logger, bool startedHere, Exception failure)
    {
        try
        {
            if (startedHere && options.StopOnDispose)
            {
                await StopAsync(dataDirectory, tools, logger, "fast", CancellationToken.None).ConfigureAwait(false);
            }

            if (options.DeleteOnDispose && Directory.Exists(dataDirectory)
                && !(File.Exists(Path.Combine(dataDirectory, PidFileName)) && await IsRunningAsync(dataDirectory, tools, CancellationToken.None).ConfigureAwait(false)))
            {
                ClusterDirectory.Delete(dataDirectory, logger);
            }
        }
        catch (Exception cleanupError)
        {
            // The original failure is rethrown by the caller; the cleanup failure must not hide it, but is reported.
            logger.LogError(cleanupError, "Cleaning up {DataDirectory} after a failed PostgreSQL start ({Failure}) failed as well", dataDirectory, failure.Message);
        }
    }
}
