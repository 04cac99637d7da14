using System.Globalization;
using System.Text.RegularExpressions;

namespace NewsApi.Benchmarks.Reads;

/// <summary>
/// pgbench running a read's SQL as one transaction a "request", prepared statements, its latencies from the
/// per-transaction log (microseconds, the third column).
/// </summary>
internal static partial class PgBench
{
    public static async Task<Load> Run(Npgsql.NpgsqlConnectionStringBuilder connection, string name, string script, int clients,
        TimeSpan duration, string workDirectory, bool log)
    {
        var file = Path.Combine(workDirectory, name + ".sql");
        await File.WriteAllTextAsync(file, script);
        var prefix = Path.Combine(workDirectory, "pgbench-" + name);
        foreach (var old in Directory.EnumerateFiles(workDirectory, Path.GetFileName(prefix) + ".*"))
            File.Delete(old);
        var arguments = new List<string>
        {
            "-h", connection.Host!, "-p", connection.Port.ToString(CultureInfo.InvariantCulture), "-U", connection.Username!,
            "-n", "-M", "prepared", "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", "2",
            "-T", ((int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture), "-f", file,
        };
        if (log)
            arguments.AddRange(["-l", "--log-prefix=" + prefix]);
        arguments.Add(connection.Database!);
        var output = await Tool.Run("pgbench", arguments);

        var rate = Tps().Match(output) is { Success: true } t ? double.Parse(t.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException("pgbench printed no tps:\n" + output);
        var done = Processed().Match(output) is { Success: true } p ? long.Parse(p.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var failed = Failed().Match(output) is { Success: true } f ? long.Parse(f.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var latencies = log
            ? Directory.EnumerateFiles(workDirectory, Path.GetFileName(prefix) + ".*")
                .SelectMany(File.ReadLines).Select(l => double.Parse(l.Split(' ')[2], CultureInfo.InvariantCulture) / 1000).Order().ToList()
            : [];
        double P(double q) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)(q * latencies.Count))];
        return new Load(rate, P(0.50), P(0.99), done, failed);
    }

    [GeneratedRegex(@"tps = ([\d.]+) \(without initial connection time\)")]
    private static partial Regex Tps();

    [GeneratedRegex(@"number of transactions actually processed: (\d+)")]
    private static partial Regex Processed();

    [GeneratedRegex(@"number of failed transactions: (\d+)")]
    private static partial Regex Failed();
}
