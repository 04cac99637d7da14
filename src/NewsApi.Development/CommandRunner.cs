using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace NewsApi.Development;

/// <summary>How a program exited and what it printed.</summary>
internal sealed record CommandResult(string CommandLine, int ExitCode, string StdOut, string StdErr)
{
    public string Output => StdOut + StdErr;

    public string Describe()
    {
        var output = string.Join(Environment.NewLine, new[] { StdErr.Trim(), StdOut.Trim() }.Where(s => s.Length > 0));
        return $"'{CommandLine}' exited with code {ExitCode}" + (output.Length > 0 ? $":{Environment.NewLine}{output}" : " and printed nothing");
    }
}

/// <summary>Runs programs, as the postgres system user when this process is root (PostgreSQL refuses root).</summary>
internal sealed class CommandRunner
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

    /// <summary>True when this process is root, so PostgreSQL commands are run as <see cref="LocalPostgres.ServiceUser"/>.</summary>
    public bool RunsAsServiceUser { get; }

    public static async Task<CommandRunner> CreateAsync(ILogger logger, CancellationToken ct)
    {
        if (!IsRoot())
        {
            return new CommandRunner(logger, runsAsServiceUser: false, null, null);
        }

        var runuser = PostgresBinaries.FindOnPath("runuser", "/usr/sbin/runuser", "/sbin/runuser");
        var su = runuser is null ? PostgresBinaries.FindOnPath("su", "/bin/su", "/usr/bin/su") : null;
        if (runuser is null && su is null)
        {
            throw new InvalidOperationException(
                $"This process runs as root, which PostgreSQL refuses; running initdb/pg_ctl as the '{LocalPostgres.ServiceUser}' user needs runuser or su, and neither was found (install util-linux).");
        }

        var runner = new CommandRunner(logger, runsAsServiceUser: true, runuser, su);
        logger.LogInformation("Running as root: PostgreSQL commands run as the '{User}' system user via {Tool}", LocalPostgres.ServiceUser, runuser ?? su);

        var check = await runner.RunAsync("id", ["-u"], asServiceUser: true, ct).ConfigureAwait(false);
        if (check.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"This process runs as root, which PostgreSQL refuses, so initdb/pg_ctl must run as the '{LocalPostgres.ServiceUser}' system user, but that did not work " +
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
            foreach (var arg in (string[])["-u", LocalPostgres.ServiceUser, "--", fileName, .. arguments])
            {
                startInfo.ArgumentList.Add(arg);
            }
        }
        else if (asServiceUser && RunsAsServiceUser)
        {
            startInfo.FileName = _su!;
            foreach (var arg in (string[])[LocalPostgres.ServiceUser, "-s", "/bin/sh", "-c", string.Join(' ', new[] { fileName }.Concat(arguments).Select(ShellQuote))])
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

/// <summary>The effective user id, to tell whether this process is root.</summary>
file static class NativeMethods
{
    [DllImport("libc", EntryPoint = "geteuid", ExactSpelling = true)]
    internal static extern uint geteuid();
}
