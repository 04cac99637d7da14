namespace NewsApi.Development;

/// <summary>Finds initdb and pg_ctl (and other programs) on the machine.</summary>
internal static class PostgresBinaries
{
    internal static string Find(string? explicitDirectory)
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
            $"PostgreSQL binaries (initdb, pg_ctl) were not found on PATH; {LocalPostgres.InstallHint}. Searched: {searched}.");
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

    internal static string ExeName(string name) => OperatingSystem.IsWindows() ? name + ".exe" : name;

    internal static string? FindOnPath(string name, params string[] fallbacks) =>
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
}

/// <summary>The folder initdb and pg_ctl come from, and the runner that starts them.</summary>
internal sealed record PostgresTools(string BinDirectory, CommandRunner Runner)
{
    public string Program(string name) => Path.Combine(BinDirectory, PostgresBinaries.ExeName(name));
}
