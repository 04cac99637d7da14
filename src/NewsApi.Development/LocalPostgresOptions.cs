using System.Text;

namespace NewsApi.Development;

/// <summary>Settings for <see cref="LocalPostgres.StartAsync"/>.</summary>
internal sealed class LocalPostgresOptions
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

    /// <summary>The full path of the data directory, once the options are known to be valid.</summary>
    internal static string Validate(LocalPostgresOptions options)
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
}
