using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using NewsApi.Content;
using NewsApi.Data;
using NewsApi.Development;
using NewsApi.Search;

namespace NewsApi.Benchmarks;

// The search benchmark: a generated corpus bulk-loaded, then search classes against the real service over HTTP.
// dotnet run -c Release --project tests/NewsApi.Benchmarks -- search --articles 100000 [--seconds 10] [--keep] [--data DIR] [--reuse] [--only TEXT] [--explain]
internal static class SearchBenchmark
{
    public static async Task<int> Run(string[] args)
    {
        var articles = Option("--articles", 100_000);
        var seconds = Option("--seconds", 10);
        var clients = Option("--clients", 8);
        var seed = Option("--seed", 20231111);
        var keep = args.Contains("--keep");

        string? StringOption(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        int Option(string name, int fallback) => StringOption(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

        var repo = RepositoryRoot.Find(AppContext.BaseDirectory) ?? Directory.GetCurrentDirectory();
        var serviceDll = Path.Combine(repo, "src", "NewsApi", "bin", "Release", "net10.0", "NewsApi.dll");
        Console.WriteLine($"NewsApi search benchmark: {articles:N0} articles, {clients} clients, {seconds}s a query class, seed {seed}");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");

        var probeSample = await File.ReadAllTextAsync(Path.Combine(repo, "src", "NewsApi", "Demo", "wuzhen-summit-article.txt"));
        if (args.Contains("--probe"))
        {
            var probe = new Corpus(seed, probeSample);
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < 3000; i++) { var b = BodyRenderer.Text(probe.Body(1000).Select(Block.Paragraph).ToList()); }
            Console.WriteLine($"generate: {sw.Elapsed.TotalMilliseconds / 3000:N3} ms/article");
            sw.Restart();
            var text = BodyRenderer.Text(probe.Body(1000).Select(Block.Paragraph).ToList());
            for (var i = 0; i < 3000; i++) SearchDocument.For("標題", null, "摘要", null, text);
            Console.WriteLine($"vectors: {sw.Elapsed.TotalMilliseconds / 3000:N3} ms/article, {SearchDocument.For("標題", null, "摘要", null, text).Document.Length} chars");
            return 0;
        }

        LocalPostgres? server = null;
        Process? service = null;
        try
        {
            var connectionString = Environment.GetEnvironmentVariable("NEWSAPI_BENCH_CONNECTION");
            if (string.IsNullOrEmpty(connectionString))
            {
                // --data keeps the cluster in a folder of your choosing, for a later --reuse; otherwise it is thrown away.
                var given = StringOption("--data");
                var options = new LocalPostgresOptions
                {
                    DataDirectory = given is null ? Path.Combine(Path.GetTempPath(), $"newsapi-bench-pg-{Guid.NewGuid():N}") : Path.GetFullPath(given),
                    Port = 0, Database = "newsapi_bench", Fast = true, StopOnDispose = true, DeleteOnDispose = !keep && given is null,
                };
                server = await LocalPostgres.StartAsync(options, NullLogger.Instance);
                connectionString = server.ConnectionString;
                Console.WriteLine($"database: {(given is null ? "throwaway cluster" : "cluster")} in {server.DataDirectory} (fsync off)");
            }
            var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0 }.ConnectionString);
            // initdb's 128 MB was faster here than a quarter of RAM at a million articles: each backend maps the big pool's
            // pages on first touch, and the operating system caches the files anyway.
            Console.WriteLine($"shared_buffers {await Db.Scalar<string>(dataSource, "SHOW shared_buffers")}, " +
                              $"work_mem {await Db.Scalar<string>(dataSource, "SHOW work_mem")}");

            await using (var db = new NewsDbContext(new DbContextOptionsBuilder<NewsDbContext>().UseNpgsql(connectionString).UseSnakeCaseNamingConvention().Options))
            {
                // A migration may rewrite every search row (SearchMonths did): on a kept million that is hours of index
                // maintenance, so a kept corpus from older code is loaded again rather than migrated.
                var pending = (await db.Database.GetPendingMigrationsAsync()).ToList();
                if (args.Contains("--reuse") && pending.Count > 0 && (await db.Database.GetAppliedMigrationsAsync()).Any())
                {
                    Console.Error.WriteLine($"The kept corpus predates {string.Join(", ", pending)}; run without --reuse to load it again.");
                    return 2;
                }
                await db.Database.MigrateAsync();
            }
            // --reuse keeps a corpus loaded by an earlier run (--keep, or NEWSAPI_BENCH_CONNECTION): a million articles take
            // most of an hour to load and index, and the queries can be measured again without that.
            var reuse = args.Contains("--reuse") && await Db.Scalar<long>(dataSource, "SELECT count(*) FROM articles") == articles;
            var ids = new List<Guid>();

            // Corpus --------------------------------------------------------------------------------------------------
            var sample = await File.ReadAllTextAsync(Path.Combine(repo, "src", "NewsApi", "Demo", "wuzhen-summit-article.txt"));
            var corpus = new Corpus(seed, sample);
            if (reuse)
            {
                Console.WriteLine($"reusing the {articles:N0} articles already loaded");
                ids.AddRange(await Db.Column<Guid>(dataSource, "SELECT id FROM articles WHERE status = 'Published' ORDER BY id LIMIT 20000"));
            }
            else
            {
                await Db.Sql(dataSource, "TRUNCATE articles, article_revisions, sections CASCADE");
                var sections = Enumerable.Range(0, 8).Select(i => Guid.CreateVersion7()).ToArray();
                for (var i = 0; i < sections.Length; i++)
                    await Db.Sql(dataSource, $"INSERT INTO sections (id, slug, name, position, created_at, updated_at) VALUES ('{sections[i]}', 'section-{i}', '版塊{i}', {i}, now(), now())");

                await Db.Sql(dataSource, """
                    ALTER TABLE article_search_documents DROP CONSTRAINT fk_article_search_documents_articles_article_id;
                    DROP INDEX ix_article_search_documents_document;
                    """);
                var epoch = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
                var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
                var load = Stopwatch.StartNew();
                long bytes = 0;
                await using (var articleConnection = await dataSource.OpenConnectionAsync())
                await using (var documentConnection = await dataSource.OpenConnectionAsync())
                {
                    await using var writer = await articleConnection.BeginBinaryImportAsync(
                        "COPY articles (id, slug, title, summary, body, byline, language, section_id, status, published_at, first_published_at, " +
                        "created_at, updated_at, notices, char_count) FROM STDIN (FORMAT BINARY)");
                    // Written with their visibility columns by hand, triggers off: the articles arrive on the other connection,
                    // uncommitted, so the insert trigger could not see them.
                    await using (var replica = new NpgsqlCommand("SET session_replication_role = replica", documentConnection))
                        await replica.ExecuteNonQueryAsync();
                    await using var documents = await documentConnection.BeginTextImportAsync(
                        "COPY article_search_documents (article_id, document, head, published_at) FROM STDIN");
                    var lastReport = Stopwatch.StartNew();
                    var bytesId = new byte[16];
                    var line = new System.Text.StringBuilder();
                    for (var n = 0; n < articles; n++)
                    {
                        var random = corpus.Random;
                        random.NextBytes(bytesId);
                        var id = new Guid(bytesId);
                        var title = corpus.Phrase(3, 6);
                        var summary = corpus.Phrase(10, 20) + "。";
                        var body = corpus.Body(random.Next(700, 1300)).Select(Block.Paragraph).ToList();
                        var bodyText = BodyRenderer.Text(body);
                        var published = epoch.AddMinutes(-random.Next(0, 5 * 365 * 24 * 60));
                        var status = random.NextDouble() < 0.97 ? "Published" : "Draft";
                        if (status == "Published" && ids.Count < 20_000)
                            ids.Add(id);

                        writer.StartRow();
                        writer.Write(id, NpgsqlDbType.Uuid);
                        writer.Write($"bench-{n}", NpgsqlDbType.Varchar);
                        writer.Write(title, NpgsqlDbType.Varchar);
                        writer.Write(summary, NpgsqlDbType.Varchar);
                        writer.Write(JsonSerializer.Serialize(body, json), NpgsqlDbType.Jsonb);
                        writer.Write("記者", NpgsqlDbType.Varchar);
                        writer.Write("zh-Hant", NpgsqlDbType.Varchar);
                        writer.Write(sections[n % sections.Length], NpgsqlDbType.Uuid);
                        writer.Write(status, NpgsqlDbType.Varchar);
                        for (var twice = 0; twice < 2; twice++)
                        {
                            if (status == "Published")
                                writer.Write(published, NpgsqlDbType.TimestampTz);
                            else
                                writer.WriteNull();
                        }
                        writer.Write(published.AddMinutes(-30), NpgsqlDbType.TimestampTz);
                        writer.Write(published, NpgsqlDbType.TimestampTz);
                        writer.Write("[]", NpgsqlDbType.Jsonb);
                        writer.Write(ChineseText.CountCharacters(bodyText), NpgsqlDbType.Integer);

                        // The same vectors SearchDocumentWriter computes, written as tsvector text.
                        var (document, head) = SearchDocument.For(title, null, summary, null, bodyText);
                        documents.Write(BulkCopy.TextLine(line.Clear(), [id.ToString(), document, head, status == "Published" ? published.ToString("O") : null]));
                        bytes += bodyText.Length * 3L;

                        if (lastReport.Elapsed > TimeSpan.FromSeconds(5) || n == articles - 1)
                        {
                            lastReport.Restart();
                            var done = n + 1;
                            var rate = done / load.Elapsed.TotalSeconds;
                            Console.WriteLine($"  generated and copied {done:N0}/{articles:N0} ({rate:N0}/s, ~{bytes / done / 1024.0:N1} KB body each), " +
                                              $"{TimeSpan.FromSeconds((articles - done) / rate):hh\\:mm\\:ss} left");
                        }
                    }
                    await writer.CompleteAsync();
                    await documents.DisposeAsync();
                }
                Console.WriteLine($"load (generate + COPY): {load.Elapsed.TotalSeconds:N1}s, {articles / load.Elapsed.TotalSeconds:N0} articles/s");

                var step = Stopwatch.StartNew();
                await Db.Sql(dataSource, """
                    ALTER TABLE article_search_documents ADD CONSTRAINT fk_article_search_documents_articles_article_id
                        FOREIGN KEY (article_id) REFERENCES articles (id) ON DELETE CASCADE;
                    """);
                Console.WriteLine($"foreign key check: {step.Elapsed.TotalSeconds:N1}s");
                step.Restart();
                await Db.Sql(dataSource, """
                    SET maintenance_work_mem = '1GB';
                    CREATE INDEX ix_article_search_documents_document ON article_search_documents USING gin (document);
                    """);
                var buildTime = step.Elapsed;
                Console.WriteLine($"GIN index build: {buildTime.TotalSeconds:N1}s");
                step.Restart();
                await Db.Sql(dataSource, "VACUUM (ANALYZE) articles");
                await Db.Sql(dataSource, "VACUUM (ANALYZE) article_search_documents");
                Console.WriteLine($"vacuum analyze: {step.Elapsed.TotalSeconds:N1}s");
            }
            await using (var sizes = dataSource.CreateCommand("""
                SELECT pg_size_pretty(pg_relation_size('ix_article_search_documents_document')),
                       pg_size_pretty(pg_total_relation_size('article_search_documents')),
                       pg_size_pretty(pg_total_relation_size('articles')),
                       pg_size_pretty(pg_database_size(current_database()))
                """))
            await using (var reader = await sizes.ExecuteReaderAsync())
            {
                await reader.ReadAsync();
                Console.WriteLine($"sizes: GIN index {reader.GetString(0)}, search vectors table (with TOAST) {reader.GetString(1)}, " +
                                  $"articles {reader.GetString(2)}, database {reader.GetString(3)}");
            }

            // Queries -------------------------------------------------------------------------------------------------
            var classes = new List<(string Name, List<string> Queries)>();
            foreach (var length in new[] { 2, 3, 4 })
            {
                classes.Add(($"{length} chars, common", corpus.Common(length, 8)));
                classes.Add(($"{length} chars, rare", corpus.Rare(length, 8)));
            }
            // One character, by how many articles' titles and summaries hold it (the heads' unigrams, folded): the
            // most frequent, and the most frequent of those in at most one article in 500 (the rare pairs' share).
            Task<List<string>> Characters(string where) => Db.Column<string>(dataSource, $"""
                SELECT substr(word, 2) FROM ts_stat('SELECT head FROM article_search_documents')
                WHERE word LIKE '^%' {where} ORDER BY ndoc DESC, word LIMIT 8
                """);
            classes.Add(("1 char, common", await Characters("")));
            classes.Add(("1 char, rare", await Characters($"AND ndoc <= {articles / 500}")));
            foreach (var (name, queries) in classes)
            {
                var counts = new List<long>();
                foreach (var q in queries.Take(3))
                {
                    var parsed = Parsed(q);
                    await using var count = dataSource.CreateCommand("SELECT count(*) FROM article_search_documents WHERE document @@ $1::tsquery");
                    count.Parameters.AddWithValue(parsed.TsQuery);
                    counts.Add((long)(await count.ExecuteScalarAsync())!);
                }
                Console.WriteLine($"  {name,-16} e.g. {string.Join(" ", queries.Take(4)),-30} matching articles: {string.Join(", ", counts.Select(c => c.ToString("N0")))}");
            }
            // --explain shows the plan of every class's first query; otherwise of a common, a rare and a phrase query,
            // and of a common and a rare character.
            foreach (var q in args.Contains("--explain") ? classes.Select(c => c.Queries[0]) : new[] { classes[0].Queries[0], classes[1].Queries[0], classes[4].Queries[0], classes[6].Queries[0], classes[7].Queries[0] })
            {
                var sql = new SearchSql(Parsed(q), DateTimeOffset.UtcNow, new SearchOptions().RankWindow);
                await using var explain = dataSource.CreateCommand("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql.Text(withCursor: false));
                explain.Parameters.AddRange(sql.Parameters(null, 21).ToArray());
                Console.WriteLine($"EXPLAIN ANALYZE of q={q}:");
                await using var reader = await explain.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                    Console.WriteLine("    " + reader.GetString(0));
            }

            // Service -------------------------------------------------------------------------------------------------
            var port = ClusterSettings.GetFreePort();
            var start = new ProcessStartInfo("dotnet", [serviceDll]) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.Environment["ConnectionStrings__NewsDb"] = connectionString;
            start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            start.Environment["Paging__CursorKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
            start.Environment["Demo__Load"] = "false";
            // A benchmark is one caller sending far more than any budget allows: it measures the work, not the limits.
            foreach (var budget in NewsApi.Api.RateLimits.RateLimitOptions.Budgets)
                start.Environment[$"RateLimits__{budget}__PermitLimit"] = "1000000000";
            // The benchmark repeats a few queries: with the service's response cache on they would be answered from memory
            // and measure the cache, not the index. Pass --server-cache to measure what a deployment with popular queries sees.
            start.Environment["Caching__ServerCache"] = args.Contains("--server-cache") ? "true" : "false";
            start.Environment["Search__BackfillOnStart"] = "false";
            start.Environment["Logging__LogLevel__Default"] = "Warning";
            service = Process.Start(start)!;
            service.OutputDataReceived += (_, _) => { };
            service.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("service: " + e.Data); };
            service.BeginOutputReadLine();
            service.BeginErrorReadLine();
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
                { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            // Five minutes (on two cores shared with other benchmarks, load 13, the service took over two to answer), and
            // more for a corpus copied in around the service: before it listens it renders the read model of every
            // article without one (0012): a million took seven minutes here.
            var wait = TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(articles / 1_000);
            var ready = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    if ((await http.GetAsync("/health/ready")).IsSuccessStatusCode)
                        break;
                }
                catch (HttpRequestException) { }
                if (ready.Elapsed > wait || service.HasExited)
                    throw new InvalidOperationException($"The service did not become ready in {wait.TotalMinutes:N0} minutes.");
                await Task.Delay(200);
            }
            Console.WriteLine($"service ready on 127.0.0.1:{port} after {ready.Elapsed.TotalSeconds:N1}s");

            // CPU milliseconds a request, by process: on two shared cores what one spends the others wait for.
            var dataDirectory = server?.DataDirectory;
            var self = Process.GetCurrentProcess();
            (double Service, double Postgres, double Client) Cpu()
            {
                self.Refresh();
                return (ProcessStats.CpuSeconds(service.Id), dataDirectory is null ? double.NaN : ProcessStats.PostgresCpuSeconds(dataDirectory),
                    self.TotalProcessorTime.TotalSeconds);
            }

            var only = StringOption("--only");
            var runs = new List<(string Name, List<string> Urls)> { ("article by id", ids.Select(i => $"/api/v1/articles/{i}").ToList()) };
            runs.AddRange(classes.Where(c => only is null || c.Name.Contains(only, StringComparison.Ordinal))
                .Select(c => ("search " + c.Name, c.Queries.Select(q => "/api/v1/search?limit=20&q=" + Uri.EscapeDataString(q)).ToList())));
            // The service compiles code as it first runs it (tiered JIT): every class is warmed before any is measured, so the
            // first search class does not pay for the code all of them share.
            foreach (var (_, urls) in runs)
                await Load(http, urls, clients, TimeSpan.FromSeconds(2));

            Console.WriteLine($"{"class",-18} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"req/s",8} {"requests",9} {"errors",7}   CPU ms a request: service, PostgreSQL, client");
            var byId = await Drive(http, runs[0].Name, runs[0].Urls, clients, seconds, Cpu);
            foreach (var (name, urls) in runs.Skip(1))
            {
                var result = await Drive(http, name, urls, clients, seconds, Cpu);
                Console.WriteLine($"{"",-18} search/by-id throughput: {result / byId:P0}");
            }
            return 0;
        }
        finally
        {
            if (service is { HasExited: false })
            {
                service.Kill(entireProcessTree: true);
                await service.WaitForExitAsync();
            }
            if (server is not null)
                await server.DisposeAsync();
        }

        static async Task<double> Drive(HttpClient http, string name, List<string> urls, int clients, int seconds,
            Func<(double Service, double Postgres, double Client)> cpu)
        {
            // Warm up (plans, caches), then measure for a fixed time.
            await Load(http, urls, clients, TimeSpan.FromSeconds(2));
            var before = cpu();
            var (latencies, errors, elapsed) = await Load(http, urls, clients, TimeSpan.FromSeconds(seconds));
            var after = cpu();
            latencies.Sort();
            double P(double p) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)(p * latencies.Count))];
            var rate = latencies.Count / elapsed.TotalSeconds;
            double PerRequest(double seconds) => seconds * 1000 / Math.Max(1, latencies.Count + errors);
            Console.WriteLine($"{name,-18} {P(0.50),8:N1} {P(0.95),8:N1} {P(0.99),8:N1} {rate,8:N0} {latencies.Count,9:N0} {errors,7:N0}   " +
                              $"{PerRequest(after.Service - before.Service):N2}, {PerRequest(after.Postgres - before.Postgres):N2}, {PerRequest(after.Client - before.Client):N2}");
            return rate;
        }

        // Clients each send one request after another, round the URLs, for the given time: the latencies of the 200s, and
        // how many were not.
        static async Task<(List<double> Latencies, int Errors, TimeSpan Elapsed)> Load(HttpClient http, List<string> urls, int clients, TimeSpan duration)
        {
            var all = new List<double>();
            var failed = 0;
            var clock = Stopwatch.StartNew();
            var next = 0;
            await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
            {
                var mine = new List<double>();
                while (clock.Elapsed < duration)
                {
                    var url = urls[Interlocked.Increment(ref next) % urls.Count];
                    var t = Stopwatch.GetTimestamp();
                    using var response = await http.GetAsync(url);
                    await response.Content.ReadAsByteArrayAsync();
                    var ms = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                    if (response.StatusCode == HttpStatusCode.OK)
                        mine.Add(ms);
                    else
                        Interlocked.Increment(ref failed);
                }
                lock (all)
                    all.AddRange(mine);
            }));
            return (all, failed, clock.Elapsed);
        }

        // The benchmark's queries are its own; one that does not parse is a mistake in this file.
        static SearchQuery Parsed(string q) => SearchQuery.TryParse(q, out var parsed, out var error) ? parsed! : throw new ArgumentException(error, nameof(q));
    }
}
