using System.Globalization;

namespace NewsApi.Benchmarks;

/// <summary>CPU time and memory of processes from /proc, so a benchmark can say who spent the machine's time.</summary>
public static class ProcessStats
{
    /// <summary>utime + stime of a process, plus those of its children that have ended (PostgreSQL's autovacuum workers), in seconds.</summary>
    public static double CpuSeconds(int pid) => Stat(pid)[11..15].Sum(f => long.Parse(f, CultureInfo.InvariantCulture)) / 100.0;

    /// <summary>The postmaster and every process it started: backends, autovacuum, checkpointer, WAL writer.</summary>
    public static double PostgresCpuSeconds(string dataDirectory) =>
        FamilyCpuSeconds(int.Parse(File.ReadLines(Path.Combine(dataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture));

    /// <summary>A process and the processes it started (nginx's master and its workers), in seconds.</summary>
    public static double FamilyCpuSeconds(int parent)
    {
        var children = Directory.EnumerateDirectories("/proc").Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && ParentOf(pid) == parent);
        return CpuSeconds(parent) + children.Sum(pid => { try { return CpuSeconds(pid); } catch (IOException) { return 0; } });
    }

    static int ParentOf(int pid)
    {
        try
        {
            return int.Parse(Stat(pid)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0; // it ended meanwhile
        }
    }

    /// <summary>The fields of /proc/PID/stat after the command name: [0] is the state, field 3 of proc(5).</summary>
    static string[] Stat(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    }

    /// <summary>Peak and current resident memory (VmHWM, VmRSS) in KiB.</summary>
    public static (long Hwm, long Rss) Memory(int pid)
    {
        long Kb(string key) => File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith(key, StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture)).FirstOrDefault();
        return (Kb("VmHWM"), Kb("VmRSS"));
    }
}
