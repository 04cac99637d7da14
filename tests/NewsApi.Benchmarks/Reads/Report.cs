namespace NewsApi.Benchmarks.Reads;

/// <summary>The table: each read's four runs, then its ratios to the ceilings of the same run.</summary>
internal static class Report
{
    public static void Print(IReadOnlyList<Measurement> results, IReadOnlyDictionary<string, long> bytes, long serviceMemoryKb)
    {
        Console.WriteLine();
        Console.WriteLine("| read | run | req/s | p50 ms | p99 ms | server CPU ms/req | PostgreSQL CPU ms/req | " +
                          "wrk/pgbench CPU ms/req | errors |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        var reads = results.Select(m => m.Read).Distinct().ToList();
        foreach (var m in results.OrderBy(m => reads.IndexOf(m.Read)).ThenBy(m => Array.IndexOf(Runs, m.How)))
            Console.WriteLine($"| {m.Read} ({bytes[m.Read] / 1024.0:N1} KB) | {m.How} | {m.Rate:N0} | {m.P50:N2} | {m.P99:N2} | " +
                              $"{Cpu(m.ServerMs)} | {Cpu(m.PostgresMs)} | {Cpu(m.ClientMs)} | {m.Errors:N0} |");
        Console.WriteLine();
        Console.WriteLine("| read | uncached / pgbench | cached / nginx |");
        Console.WriteLine("| --- | ---: | ---: |");
        foreach (var read in reads)
        {
            double Rate(string how) => results.Single(m => m.Read == read && m.How == how).Rate;
            Console.WriteLine($"| {read} | {Rate("uncached") / Rate("pgbench"):P1} | {Rate("cached") / Rate("nginx"):P1} |");
        }
        Console.WriteLine();
        Console.WriteLine($"service peak resident memory: {serviceMemoryKb / 1024.0:N0} MB. Server CPU is the service's for uncached and " +
                          "cached runs, nginx's (master and workers) for nginx, none for pgbench.");
    }

    static readonly string[] Runs = ["uncached", "pgbench", "cached", "nginx"];

    static string Cpu(double ms) => double.IsNaN(ms) ? "–" : ms.ToString("N3", System.Globalization.CultureInfo.InvariantCulture);
}
