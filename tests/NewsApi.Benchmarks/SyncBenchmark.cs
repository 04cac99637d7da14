// The sync API on a 100,000-article newsroom: one initial sync, then a delta of 1,000 changes.
//
//   dotnet run -c Release --project tests/NewsApi.Benchmarks -- sync [--articles 100000] [--changes 1000] [--rounds 5] [--seed N]
//
// Loads the generated newsroom of the reads benchmark (Reads/Newsroom.cs) into a throwaway local PostgreSQL cluster,
// starts the service's Release build in Production and pages through GET /api/v1/sync from nothing to its end,
// timing it and counting the bytes of the answers (as sent: the service compresses nothing itself). Then it changes
// --changes articles as the service's own read model does (their documents rendered again, and logged for sync, in
// one transaction; a tenth of them taken down, so the delta carries tombstones as well as upserts) and times the delta
// from the initial sync's token, --rounds times (the delta is the same each time: its token does not move).
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using NewsApi.Benchmarks.Reads;
using NewsApi.Data;
using NewsApi.Data.Entities;
using NewsApi.Development;
using Npgsql;

namespace NewsApi.Benchmarks;

internal static class SyncBenchmark
{
    public static async Task<int> Run(string[] args)
    {
        string? Text(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        int Number(string name, int fallback) => Text(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
        var articles = Number("--articles", 100_000);
        var changes = Number("--changes", 1_000);
        var rounds = Number("--rounds", 5);
        var seed = Number("--seed", 20231111);

        var repo = RepositoryRoot.Find(AppContext.BaseDirectory) ?? Directory.GetCurrentDirectory();
        var dll = Path.Combine(repo, "src", "NewsApi", "bin", "Release", "net10.0", "NewsApi.dll");
        Console.WriteLine($"NewsApi sync benchmark: {articles:N0} articles, a delta of {changes:N0} changes, seed {seed}; " +
                          $"{Environment.ProcessorCount} cores, load average {LoadAverage()}");
        var work = Directory.CreateTempSubdirectory("newsapi-sync-");
        await using var server = await LocalPostgres.StartAsync(new LocalPostgresOptions
        {
            DataDirectory = Path.Combine(work.FullName, "pg"), Port = 0, Database = "newsapi_sync", Fast = true,
            StopOnDispose = true, DeleteOnDispose = true,
        }, NullLogger.Instance);
        var connection = new NpgsqlConnectionStringBuilder(server.ConnectionString) { CommandTimeout = 0 }.ConnectionString;
        await using var dataSource = NpgsqlDataSource.Create(connection);
        DbContextOptions<NewsDbContext> Options() => new DbContextOptionsBuilder<NewsDbContext>().UseNpgsql(connection).UseSnakeCaseNamingConvention().Options;
        await using (var db = new NewsDbContext(Options()))
        {
            await db.Database.MigrateAsync();
            var sample = await File.ReadAllTextAsync(Path.Combine(repo, "src", "NewsApi", "Demo", "wuzhen-summit-article.txt"));
            await new Newsroom(new Corpus(seed, sample), articles).Load(db, dataSource, CancellationToken.None);
            var rendering = Stopwatch.StartNew();
            Console.WriteLine($"read model: rendered {await Newsroom.RenderReadModel(db):N0} article(s) in {rendering.Elapsed.TotalSeconds:F1} s");
        }

        await using var service = await Service.Start(dll, server.ConnectionString, serverCache: true, logSql: false);
        using var http = new HttpClient { BaseAddress = new Uri(service.BaseUrl), Timeout = TimeSpan.FromMinutes(10) };

        Console.WriteLine($"load average before the initial sync: {LoadAverage()}");
        var full = await Sync(http, null);
        Console.WriteLine($"initial sync: {full.Items:N0} items ({full.Upserts:N0} upserts) in {full.Pages:N0} pages, {full.Elapsed.TotalSeconds:F1} s, " +
                          $"{full.Bytes / 1e6:F1} MB; load average {LoadAverage()}");

        // The changes, as an editor's writes leave them: new titles for most, a tenth taken down; rendered and logged by the read model.
        await using (var db = new NewsDbContext(Options()))
        {
            var ids = await db.Articles.Where(a => a.Status == ArticleStatus.Published).OrderBy(a => a.Id).Select(a => a.Id)
                .Take(changes).ToListAsync();
            await using var transaction = await db.Database.BeginTransactionAsync();
            await db.Articles.Where(a => ids.Contains(a.Id)).ExecuteUpdateAsync(u => u.SetProperty(a => a.Title, a => a.Title + "(更新)"));
            var down = ids.Where((_, i) => i % 10 == 0).ToList();
            await db.Articles.Where(a => down.Contains(a.Id)).ExecuteUpdateAsync(u => u.SetProperty(a => a.Status, ArticleStatus.Unpublished));
            await Newsroom.Renderer().Refresh(db, ids, [], CancellationToken.None);
            await transaction.CommitAsync();
            Console.WriteLine($"changed {ids.Count:N0} articles ({down.Count:N0} taken down)");
        }

        var deltas = new List<Result>();
        for (var round = 0; round < rounds; round++)
            deltas.Add(await Sync(http, full.Token));
        var times = deltas.Select(d => d.Elapsed.TotalMilliseconds).Order().ToList();
        var d0 = deltas[0];
        Console.WriteLine($"delta of {changes:N0} changes: {d0.Items:N0} items ({d0.Upserts:N0} upserts, {d0.Items - d0.Upserts:N0} tombstones) in " +
                          $"{d0.Pages} pages, {d0.Bytes / 1e6:F2} MB; median {times[times.Count / 2]:F0} ms, fastest {times[0]:F0} ms, " +
                          $"slowest {times[^1]:F0} ms of {rounds}; load average {LoadAverage()}");
        return 0;
    }

    sealed record Result(int Items, int Upserts, int Pages, long Bytes, TimeSpan Elapsed, string Token);

    static async Task<Result> Sync(HttpClient http, string? token)
    {
        var watch = Stopwatch.StartNew();
        int items = 0, upserts = 0, pages = 0;
        long bytes = 0;
        while (true)
        {
            var body = await http.GetByteArrayAsync(token is null ? "/api/v1/sync" : $"/api/v1/sync?from={Uri.EscapeDataString(token)}");
            pages++;
            bytes += body.Length;
            using var page = JsonDocument.Parse(body);
            foreach (var item in page.RootElement.GetProperty("items").EnumerateArray())
            {
                items++;
                if (item.TryGetProperty("document", out _))
                    upserts++;
            }
            token = page.RootElement.GetProperty("nextSyncToken").GetString()!;
            if (!page.RootElement.GetProperty("hasMore").GetBoolean())
                return new Result(items, upserts, pages, bytes, watch.Elapsed, token);
        }
    }

    static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]);
}
