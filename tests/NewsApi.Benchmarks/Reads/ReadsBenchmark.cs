// The public reads, against their ceilings on the same machine in the same run.
//
//   dotnet run -c Release --project tests/NewsApi.Benchmarks -- reads [--articles 100000] [--seconds 15] [--warmup 5]
//       [--connections 16] [--seed N] [--keep] [--data DIR] [--reuse] [--wait-load L] [--show-sql]
//
// Loads a generated Chinese newsroom (Newsroom.cs) into a local PostgreSQL cluster, starts the service's Release build
// in Production, and measures with wrk (apt-get install wrk nginx) four reads: a story by slug, the 20 newest
// articles (today's list, without bodies), a topic with its first 100 articles and a featured list. Each read is
// measured uncached (server cache off, wrk's Lua script rotating over thousands of URLs: other slugs, other `to=`
// times, other topics and lists) beside pgbench running the SQL the service runs for it (ReadSql.cs, taken from the
// service's EF log: --show-sql prints it), and cached (server cache on, one URL) beside nginx serving the same bytes.
// Every child process is stopped at the end, also on failure or Ctrl+C; PostgreSQL too unless --keep, which leaves
// the cluster running for a later --reuse (--data DIR keeps its files in DIR). All traffic goes to 127.0.0.1.
using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using NewsApi.Data;
using NewsApi.Development;
using Npgsql;

namespace NewsApi.Benchmarks.Reads;

internal static class ReadsBenchmark
{
    public static async Task<int> Run(string[] args)
    {
        string? Text(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        int Number(string name, int fallback) => Text(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
        var articles = Number("--articles", 100_000);
        var duration = TimeSpan.FromSeconds(Number("--seconds", 15));
        var warmup = TimeSpan.FromSeconds(Number("--warmup", 5));
        var connections = Number("--connections", 16);
        var seed = Number("--seed", 20231111);
        var keep = args.Contains("--keep");
        var data = Text("--data");

        var repo = RepositoryRoot.Find(AppContext.BaseDirectory) ?? Directory.GetCurrentDirectory();
        var dll = Path.Combine(repo, "src", "NewsApi", "bin", "Release", "net10.0", "NewsApi.dll");
        Console.WriteLine($"NewsApi reads benchmark: {articles:N0} articles, {connections} connections, {warmup.TotalSeconds}s warm-up, " +
                          $"{duration.TotalSeconds}s a run, seed {seed}");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; " +
                          $"load average {LoadAverage()}");

        var work = Directory.CreateTempSubdirectory("newsapi-reads-");
        // nginx's workers and pgbench's log need to reach the folder whoever they run as.
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(work.FullName, (UnixFileMode)0b111_101_101);
        LocalPostgres? server = null;
        Service? service = null;
        Nginx? nginx = null;
        async Task Stop()
        {
            if (service is not null)
                await service.DisposeAsync();
            if (nginx is not null)
                await nginx.DisposeAsync();
            if (server is not null)
                await server.DisposeAsync();
            (service, nginx, server) = (null, null, null);
        }
        // Ctrl+C ends the process without running finally blocks: stop the children here first.
        ConsoleCancelEventHandler interrupted = (_, _) => Stop().GetAwaiter().GetResult();
        Console.CancelKeyPress += interrupted;
        try
        {
            // --keep leaves the cluster running and on disk, for a later --reuse; --data keeps its files only.
            server = await LocalPostgres.StartAsync(new LocalPostgresOptions
            {
                DataDirectory = data is not null ? Path.GetFullPath(data)
                    : keep ? Path.Combine(Path.GetTempPath(), $"newsapi-reads-pg-{Guid.NewGuid():N}") : Path.Combine(work.FullName, "pg"),
                Port = 0, Database = "newsapi_reads", Fast = true, StopOnDispose = !keep, DeleteOnDispose = !keep && data is null,
            }, NullLogger.Instance);
            Console.WriteLine($"database: cluster in {server.DataDirectory} on port {server.Port} (fsync off)");
            var connection = new NpgsqlConnectionStringBuilder(server.ConnectionString) { CommandTimeout = 0 };
            await using var dataSource = NpgsqlDataSource.Create(connection.ConnectionString);
            await using (var db = new NewsDbContext(new DbContextOptionsBuilder<NewsDbContext>()
                .UseNpgsql(connection.ConnectionString).UseSnakeCaseNamingConvention().Options))
            {
                await db.Database.MigrateAsync();
                if (args.Contains("--reuse") && await Db.Scalar<long>(dataSource, "SELECT count(*) FROM articles") == articles)
                    Console.WriteLine($"reusing the {articles:N0} articles already loaded");
                else
                {
                    var sample = await File.ReadAllTextAsync(Path.Combine(repo, "src", "NewsApi", "Demo", "wuzhen-summit-article.txt"));
                    await new Newsroom(new Corpus(seed, sample), articles).Load(db, dataSource, CancellationToken.None);
                }
                // The service would render them at start; here the time it takes is seen and kept out of its start.
                var rendering = Stopwatch.StartNew();
                var rendered = await Newsroom.RenderReadModel(db);
                Console.WriteLine($"read model: rendered {rendered:N0} article(s) in {rendering.Elapsed.TotalSeconds:F1} s");
            }

            var reads = await ReadSet.Of(dataSource, articles, work.FullName);
            if (args.Contains("--show-sql"))
            {
                await ShowSql(dll, server.ConnectionString, reads);
                return 0;
            }

            var results = new List<Measurement>();
            var www = Directory.CreateDirectory(Path.Combine(work.FullName, "www")).FullName;
            // --wait-load L: on a shared machine, measure once the 1-minute load average (the load raises it too) is below L.
            var calm = Text("--wait-load") is { } limit ? double.Parse(limit, CultureInfo.InvariantCulture) : double.PositiveInfinity;
            while (double.Parse(LoadAverage().Split(' ')[0], CultureInfo.InvariantCulture) >= calm)
            {
                Console.WriteLine($"  waiting for the 1-minute load average to fall below {calm}: {LoadAverage()}");
                await Task.Delay(TimeSpan.FromSeconds(15));
            }
            Console.WriteLine($"load average before measuring: {LoadAverage()}");
            long serviceMemory = 0;

            service = await Service.Start(dll, server.ConnectionString, serverCache: false, logSql: false);
            foreach (var read in reads)
            {
                await Fetch(service, read.CachedPath, Path.Combine(www, read.Key + ".json"));
                await Wrk.Run(service.BaseUrl, read.PathsFile, null, connections, warmup, work.FullName);
                results.Add(await Measure(read.Name, "uncached", server, () => ProcessStats.CpuSeconds(service.Pid),
                    () => Wrk.Run(service.BaseUrl, read.PathsFile, null, connections, duration, work.FullName)));
            }
            serviceMemory = Math.Max(serviceMemory, ProcessStats.Memory(service.Pid).Hwm);
            await service.DisposeAsync();
            service = null;

            foreach (var read in reads)
            {
                await PgBench.Run(connection, read.Key, read.Sql, connections, warmup, work.FullName, log: false);
                results.Add(await Measure(read.Name, "pgbench", server, () => double.NaN,
                    () => PgBench.Run(connection, read.Key, read.Sql, connections, duration, work.FullName, log: true)));
            }

            service = await Service.Start(dll, server.ConnectionString, serverCache: true, logSql: false);
            foreach (var read in reads)
            {
                await Wrk.Run(service.BaseUrl, null, read.CachedPath, connections, warmup, work.FullName);
                results.Add(await Measure(read.Name, "cached", server, () => ProcessStats.CpuSeconds(service.Pid),
                    () => Wrk.Run(service.BaseUrl, null, read.CachedPath, connections, duration, work.FullName)));
            }
            serviceMemory = Math.Max(serviceMemory, ProcessStats.Memory(service.Pid).Hwm);
            await service.DisposeAsync();
            service = null;

            nginx = await Nginx.Start(www, work.FullName);
            var nginxUrl = $"http://127.0.0.1:{nginx.Port}";
            foreach (var read in reads)
            {
                await Wrk.Run(nginxUrl, null, $"/{read.Key}.json", connections, warmup, work.FullName);
                results.Add(await Measure(read.Name, "nginx", server, () => ProcessStats.FamilyCpuSeconds(nginx.Pid),
                    () => Wrk.Run(nginxUrl, null, $"/{read.Key}.json", connections, duration, work.FullName)));
            }

            var bytes = reads.ToDictionary(r => r.Name, r => new FileInfo(Path.Combine(www, r.Key + ".json")).Length);
            Report.Print(results, bytes, serviceMemory);
            Console.WriteLine($"load average after: {LoadAverage()}");
            return 0;
        }
        finally
        {
            await Stop();
            Console.CancelKeyPress -= interrupted;
            work.Delete(recursive: true);
        }
    }

    /// <summary>The CPU seconds of the server, PostgreSQL and this process with its ended children (wrk, pgbench) around one run.</summary>
    internal static async Task<Measurement> Measure(string read, string how, LocalPostgres postgres, Func<double> serverCpu, Func<Task<Load>> run)
    {
        (double Server, double Postgres, double Client) Cpu() =>
            (serverCpu(), ProcessStats.PostgresCpuSeconds(postgres.DataDirectory), ProcessStats.CpuSeconds(Environment.ProcessId));
        var before = Cpu();
        var load = await run();
        var after = Cpu();
        double Ms(double seconds) => seconds * 1000 / Math.Max(1, load.Requests);
        var m = new Measurement(read, how, load.Rate, load.P50, load.P99, load.Requests, load.Errors,
            Ms(after.Server - before.Server), Ms(after.Postgres - before.Postgres), Ms(after.Client - before.Client));
        Console.WriteLine($"  {read}, {how}: {m.Rate:N0} req/s, p50 {m.P50:N2} ms, p99 {m.P99:N2} ms, {m.Errors} errors");
        return m;
    }

    /// <summary>One answer of the read, kept for nginx to serve; it must be a 200, or the run measures errors.</summary>
    static async Task Fetch(Service service, string path, string file)
    {
        using var http = new HttpClient { BaseAddress = new Uri(service.BaseUrl) };
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}.");
        await File.WriteAllBytesAsync(file, await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>An uncached request of each read with the service's EF command log on, printed: the SQL ReadSql.cs mirrors.</summary>
    static async Task ShowSql(string dll, string connectionString, IReadOnlyList<ReadSet.Read> reads)
    {
        await using var service = await Service.Start(dll, connectionString, serverCache: false, logSql: true);
        using var http = new HttpClient { BaseAddress = new Uri(service.BaseUrl) };
        foreach (var read in reads)
        {
            // The second request's: the first also warms what the service keeps (the next scheduled change).
            var path = File.ReadLines(read.PathsFile).First();
            (await http.GetAsync(new Uri(path, UriKind.Relative))).EnsureSuccessStatusCode();
            service.Listen = true;
            (await http.GetAsync(new Uri(path, UriKind.Relative))).EnsureSuccessStatusCode();
            await Task.Delay(200);
            service.Listen = false;
            Console.WriteLine($"== {read.Name}: GET {path} (background statements, such as the cache_invalidations poll, may show too)");
            lock (service.Lines)
            {
                service.Lines.ForEach(Console.WriteLine);
                service.Lines.Clear();
            }
        }
    }

    static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}
