using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using NewsApi.Benchmarks;
using NewsApi.Development;

// Import benchmark: dotnet run -c Release --project tests/NewsApi.ImportBenchmark -- --articles 10000
// Starts a throwaway PostgreSQL (fast, unsafe settings) and the real service as a child process, generates articles of
// 2-4 KB of Chinese text with 3 tags each from a fixed seed, imports them over HTTP, re-imports the same file (all
// unchanged), and prints articles/s for both, the CPU time the service and PostgreSQL spent per article (which depends
// far less than the rate on what else a shared machine runs), the service's peak memory (VmHWM), how long after the
// import's last result line the search index holds every article, and with --steady the index's lag under steady writes.
// --chunks 100 imports that many files of --articles each, one after another (a million in 10,000-line requests):
// each chunk's rate and CPU, whether the rate holds as the database grows, and the whole load with search caught up.

var articles = ArgValue("--articles", 10_000);
var seed = ArgValue("--seed", 20231111);
// Wire titles repeat (「國內新聞精選」, 「股市收盤」): --titles 20 gives every story one of 20 titles, so slugs must be numbered.
var titles = ArgValue("--titles", 0);
// --steady 200 --seconds 30: after the imports, that many new articles a second, and the search index's lag behind them.
var steady = ArgValue("--steady", 0);
var steadySeconds = ArgValue("--seconds", 30);
var chunks = Math.Max(1, ArgValue("--chunks", 1));
var root = RepositoryRoot.Find(AppContext.BaseDirectory) ?? throw new InvalidOperationException("NewsApi.sln not found.");
var configuration = AppContext.BaseDirectory.Contains("/Release/") ? "Release" : "Debug";
var serviceDll = Path.Combine(root, "src", "NewsApi", "bin", configuration, "net10.0", "NewsApi.dll");
var work = Path.Combine(Path.GetTempPath(), $"newsapi-import-bench-{Guid.NewGuid():N}");
Directory.CreateDirectory(work);

// --statements 15: the statements PostgreSQL spent the most time on during the first import (pg_stat_statements,
// loaded by a restart of the throwaway cluster before the service starts).
var statements = ArgValue("--statements", 0);
// --keep 1: leave the stopped cluster's data directory behind (its path is printed), to look at what is stored.
var keep = ArgValue("--keep", 0) > 0;
LocalPostgresOptions Cluster(bool delete) => new()
{
    DataDirectory = Path.Combine(work, "pg"), Port = 0, Database = "newsapi_bench", Fast = true, StopOnDispose = true, DeleteOnDispose = delete,
};
if (statements > 0)
{
    await using var first = await LocalPostgres.StartAsync(Cluster(delete: false), NullLogger.Instance, CancellationToken.None);
    await using var admin = Npgsql.NpgsqlDataSource.Create(first.ConnectionString);
    await admin.CreateCommand("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'").ExecuteNonQueryAsync();
}
var postgres = await LocalPostgres.StartAsync(Cluster(delete: !keep), NullLogger.Instance, CancellationToken.None);
if (statements > 0)
{
    await using var admin = Npgsql.NpgsqlDataSource.Create(postgres.ConnectionString);
    await admin.CreateCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements").ExecuteNonQueryAsync();
}

var file = Path.Combine(work, "articles.ndjson");
Generate(file, articles, seed, titles);
Console.WriteLine($"data: {articles} articles, {new FileInfo(file).Length / 1024 / 1024.0:F1} MiB, seed {seed}" +
                  (titles > 0 ? $", {titles} distinct titles" : "") + (chunks > 1 ? $"; {chunks} chunks of it, {articles * chunks} in all" : ""));

var port = FreePort();
var adminKey = Convert.ToHexString(Guid.NewGuid().ToByteArray()) + Convert.ToHexString(Guid.NewGuid().ToByteArray());
var service = Process.Start(new ProcessStartInfo("dotnet", [serviceDll])
{
    WorkingDirectory = Path.GetDirectoryName(serviceDll)!,
    RedirectStandardOutput = true,
    RedirectStandardError = true,
    Environment =
    {
        ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["Paging__CursorKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        ["ConnectionStrings__NewsDb"] = postgres.ConnectionString,
        ["NEWSAPI_ADMIN_KEY"] = adminKey,
        ["Demo__Load"] = "false",
        ["RateLimits__Writes__PermitLimit"] = "1000000000",
        ["RateLimits__Imports__PermitLimit"] = "1000000000",
        ["RateLimits__KeyedReads__PermitLimit"] = "1000000000",
        ["Scheduler__Enabled"] = "false",
        ["Logging__LogLevel__Default"] = "Warning",
    },
})!;
service.OutputDataReceived += (_, _) => { };
service.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("service: " + e.Data); };
service.BeginOutputReadLine();
service.BeginErrorReadLine();

try
{
    using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(30) };
    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
    await WaitUntilReady(http);
    var started = ProcessStats.Memory(service.Id);
    Console.WriteLine($"service ready (pid {service.Id}, {started.Rss / 1024} MiB resident)");

    await using var db = Npgsql.NpgsqlDataSource.Create(postgres.ConnectionString);
    var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
    if (statements > 0)
        await db.CreateCommand("SELECT pg_stat_statements_reset()").ExecuteNonQueryAsync();
    var loads = new List<(double Rate, string Summary, string Cpu)>();
    var loading = Stopwatch.StartNew();
    var generating = TimeSpan.Zero;
    for (var k = 0; k < chunks; k++)
    {
        if (k > 0)
        {
            // Each chunk's own seed, so its own stories and external ids; the first chunk is the single import's file.
            var generation = Stopwatch.StartNew();
            Generate(file, articles, seed + 7919 * k, titles);
            generating += generation.Elapsed;
        }
        var chunk = await Measured(() => Import(http, file, articles, chunks > 1 ? $"chunk {k + 1}/{chunks}" : "import (new)"));
        loads.Add(chunk);
        if (chunks > 1)
            Console.WriteLine($"chunk {k + 1,3}/{chunks}: {chunk.Rate,6:F0} articles/s; {chunk.Cpu}; " +
                              $"{await NewsApi.ImportBenchmark.SearchLag.Queued(db)} waiting for the index; load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
    }
    var first = loads[0];
    if (statements > 0)
        await Statements(db, statements, "import (new)");
    // Search is near-real-time: the burst is searchable once the indexer has emptied the queue.
    var (caughtUp, indexed) = await NewsApi.ImportBenchmark.SearchLag.UntilCaughtUp(db, TimeSpan.FromMinutes(chunks > 1 ? 60 : 10));
    var loaded = loading.Elapsed - generating;
    Console.WriteLine($"searchable: all {indexed} indexed {caughtUp:F1} s after the last result line");
    if (statements > 0)
        await db.CreateCommand("SELECT pg_stat_statements_reset()").ExecuteNonQueryAsync();
    var second = await Measured(() => Import(http, file, articles, "re-import (unchanged)"));
    if (statements > 0)
        await Statements(db, statements, "re-import (unchanged)");
    var lag = steady > 0 ? await NewsApi.ImportBenchmark.SearchLag.Steady(http, db, steady, steadySeconds) : null;
    var memory = ProcessStats.Memory(service.Id);
    Console.WriteLine();
    Console.WriteLine($"new articles:     {first.Rate,8:F0} articles/s  ({first.Summary}); {first.Cpu}");
    if (chunks > 1)
    {
        var last = loads[^1];
        Console.WriteLine($"last chunk:       {last.Rate,8:F0} articles/s  ({last.Summary}); {last.Cpu}; {last.Rate / first.Rate:P0} of the first chunk's rate");
        Console.WriteLine($"whole load:       {articles * chunks} articles with search caught up in {loaded:hh\\:mm\\:ss} " +
                          $"({articles * chunks / loaded.TotalSeconds:F0}/s; generating the files, {generating.TotalSeconds:F0} s, not counted)");
    }
    Console.WriteLine($"searchable:       {caughtUp,8:F1} s after the import's last result line ({indexed} in the index)");
    Console.WriteLine($"re-import:        {second.Rate,8:F0} articles/s  ({second.Summary}); {second.Cpu}");
    if (lag is not null)
        Console.WriteLine($"steady writes:    {lag}");
    Console.WriteLine($"load average:     {File.ReadAllText("/proc/loadavg").Trim()} at the end");
    Console.WriteLine($"machine:          {Environment.ProcessorCount} cores, load average {load} before the first import");
    await Sizes(db);
    Console.WriteLine($"service memory:   peak {memory.Hwm / 1024} MiB (VmHWM), now {memory.Rss / 1024} MiB (VmRSS); at start {started.Rss / 1024} MiB");
}
finally
{
    if (!service.HasExited)
    {
        service.Kill(entireProcessTree: true);
        await service.WaitForExitAsync();
    }
    await postgres.DisposeAsync();
    if (keep)
        Console.WriteLine($"kept: {postgres.DataDirectory}");
    else if (Directory.Exists(work))
        Directory.Delete(work, recursive: true);
}

async Task<(double Rate, string Summary, string Cpu)> Measured(Func<Task<(double Rate, string Summary)>> import)
{
    var (service0, postgres0) = (ProcessStats.CpuSeconds(service.Id), ProcessStats.PostgresCpuSeconds(postgres.DataDirectory));
    var (rate, summary) = await import();
    var (service1, postgres1) = (ProcessStats.CpuSeconds(service.Id), ProcessStats.PostgresCpuSeconds(postgres.DataDirectory));
    return (rate, summary, $"CPU per article: service {(service1 - service0) * 1000 / articles:F2} ms, PostgreSQL {(postgres1 - postgres0) * 1000 / articles:F2} ms");
}

// The database's size, table by table (heap, TOAST, indexes) and index by index, per article and as it would be at 1M.
static async Task Sizes(Npgsql.NpgsqlDataSource db)
{
    var count = Convert.ToDouble(await db.CreateCommand("SELECT count(*) FROM articles").ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    var total = Convert.ToDouble(await db.CreateCommand("SELECT pg_database_size(current_database())").ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    string Per(double bytes) => $"{bytes / count,9:F0} B/article  {bytes * 1_000_000 / count / (1 << 30),6:F2} GiB at 1M";
    Console.WriteLine($"storage:          {count} articles, database {total / (1 << 20):F0} MiB: {Per(total)}");
    await using (var tables = db.CreateCommand("""
        SELECT c.relname, pg_relation_size(c.oid), coalesce(pg_total_relation_size(nullif(c.reltoastrelid, 0)), 0), pg_indexes_size(c.oid), pg_total_relation_size(c.oid)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 5 DESC LIMIT 12
        """))
    await using (var reader = await tables.ExecuteReaderAsync())
        while (await reader.ReadAsync())
            Console.WriteLine($"  table {reader.GetString(0),-28} heap {reader.GetInt64(1) / count,7:F0} toast {reader.GetInt64(2) / count,7:F0} indexes {reader.GetInt64(3) / count,6:F0}  total {Per(reader.GetInt64(4))}");
    await using (var indexes = db.CreateCommand("""
        SELECT i.relname, pg_relation_size(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_namespace n ON n.oid = i.relnamespace
        WHERE n.nspname = 'public' ORDER BY 2 DESC LIMIT 12
        """))
    await using (var reader = await indexes.ExecuteReaderAsync())
        while (await reader.ReadAsync())
            Console.WriteLine($"  index {reader.GetString(0),-44} {Per(reader.GetInt64(1))}");
}

static async Task Statements(Npgsql.NpgsqlDataSource db, int top, string label)
{
    await using var command = db.CreateCommand("""
        SELECT round(total_exec_time::numeric, 0), calls, rows, left(regexp_replace(query, '\s+', ' ', 'g'), 150)
        FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%' ORDER BY total_exec_time DESC LIMIT $1
        """);
    command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = top });
    await using var reader = await command.ExecuteReaderAsync();
    Console.WriteLine($"top statements during {label} (ms total, calls, rows, query):");
    while (await reader.ReadAsync())
        Console.WriteLine($"  {reader.GetDecimal(0),8} {reader.GetInt64(1),7} {reader.GetInt64(2),8}  {reader.GetString(3)}");
}

static async Task<(double Rate, string Summary)> Import(HttpClient http, string file, int total, string label)
{
    await using var body = File.OpenRead(file);
    using var content = new StreamContent(body, 1 << 16);
    content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
    var watch = Stopwatch.StartNew();
    using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/import/articles?createMissing=true") { Content = content };
    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    if (!response.IsSuccessStatusCode)
        throw new InvalidOperationException($"{label}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
    var done = 0;
    var summary = "";
    var lastReport = TimeSpan.Zero;
    while (await reader.ReadLineAsync() is { } line)
    {
        if (line.StartsWith("{\"summary\"", StringComparison.Ordinal))
        {
            summary = line;
            continue;
        }
        done++;
        if (watch.Elapsed - lastReport > TimeSpan.FromSeconds(0.5))
        {
            lastReport = watch.Elapsed;
            var rate = done / watch.Elapsed.TotalSeconds;
            Console.Write($"\r{label}: {done}/{total}  {rate:F0}/s  {(total - done) / Math.Max(rate, 1):F0} s left   ");
        }
    }
    var elapsed = watch.Elapsed;
    Console.WriteLine($"\r{label}: {done}/{total} in {elapsed.TotalSeconds:F2} s                    ");
    using var json = JsonDocument.Parse(summary);
    var s = json.RootElement.GetProperty("summary");
    return (total / elapsed.TotalSeconds,
        $"created {s.GetProperty("created")}, updated {s.GetProperty("updated")}, unchanged {s.GetProperty("unchanged")}, invalid {s.GetProperty("invalid")}");
}

static void Generate(string file, int count, int seed, int titles)
{
    // Common characters weighted like news copy; punctuation every so often; 2-4 KB of UTF-8 (3 bytes a character).
    const string Han = "的一是在不了有和人這中大為上個國我以要他時來用們生到作地於出就分對成會可主發年動同工也能下過子說產種面而方後多定行學法所民得經十三之進著等部度家電力裡如水化高自二理起小物現實加量都兩體制機當使點從業本去把性好應開它合還因由其些然前外天政四日那社義事平形相全表間樣與關各重新線內數正心反你明看原又麼利比或但質氣第向道命此變條只沒結解問意建月公無系軍很情者最立代想已通並提直題黨程展五果料象員革位入常文總次品式活設及管特件長求老頭基資邊流路級少圖山統接知較將組見計別她手角期根論運農指幾九區強放決西被幹做必戰先回則任取據處隊南給色光門即保治北造百規熱領七海口東導器壓志世金增爭濟階油思術極交受聯什認六共權收證改清己美再採轉更單風切打白教速花帶安場身車例真務具萬每目至達走積示議聲報鬥完類八離華名確才科張信馬節話米整空元況今集溫傳土許步群廣石記需段研界拉林律叫且究觀越織裝影算低持音眾書布復容兒須際商非驗連斷深難近礦千週委素技備半辦青省列習響約支般史感勞便團往酸歷市克何除消構府稱太準精值號率族維劃選標寫存候毛親快效斯院查江型眼王按格養易置派層片始卻專狀育廠京識適屬圓包火住調滿縣局照參紅細引聽該鐵價嚴";
    var random = new Random(seed);
    var tags = Enumerable.Range(1, 200).Select(i => $"tag-{i}").ToArray();
    var sections = new[] { "domestic", "world", "business", "tech", "culture" };
    var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };
    string Sentence(int length)
    {
        var b = new StringBuilder(length + 1);
        for (var i = 0; i < length; i++)
            b.Append(i > 0 && i % random.Next(9, 17) == 0 ? '，' : Han[random.Next(Han.Length)]);
        return b.Append('。').ToString();
    }
    // Drawn from a generator of their own, so the stories' text is the same with or without repeated titles.
    var pool = new Random(seed + 1);
    var repeated = Enumerable.Range(0, titles).Select(_ => new string(pool.GetItems(Han.ToCharArray(), pool.Next(6, 12)))).ToArray();

    using var writer = new StreamWriter(file, false, new UTF8Encoding(false), 1 << 16);
    var watch = Stopwatch.StartNew();
    for (var n = 1; n <= count; n++)
    {
        var characters = random.Next(700, 1350); // 2.1-4 KB
        var body = new List<object>();
        var written = 0;
        while (written < characters)
        {
            var length = Math.Min(random.Next(60, 200), characters - written);
            body.Add(body.Count > 0 && body.Count % 5 == 0
                ? new { type = "heading", text = Sentence(random.Next(5, 12)).TrimEnd('。'), level = 2 }
                : new { type = "paragraph", text = Sentence(length) });
            written += length;
        }
        var title = Sentence(random.Next(10, 24)).TrimEnd('。'); // drawn either way: the rest of each story stays the same
        var item = new
        {
            externalId = $"bench-{seed}-{n:D6}",
            title = titles > 0 ? repeated[n % titles] : title,
            summary = Sentence(random.Next(40, 80)),
            byline = "記者 " + Han[random.Next(Han.Length)] + Han[random.Next(Han.Length)],
            dateline = new { agency = "中新網", place = "北京", date = "2023-11-11", text = "中新網北京11月11日電" },
            section = sections[random.Next(sections.Length)],
            tags = random.GetItems(tags, 6).Distinct().Take(3).ToArray(),
            body,
        };
        writer.Write(JsonSerializer.Serialize(item, options));
        writer.Write('\n');
        if (n % 1000 == 0 || n == count)
        {
            var rate = n / watch.Elapsed.TotalSeconds;
            Console.Write($"\rgenerating: {n}/{count}  {rate:F0}/s  {(count - n) / rate:F0} s left   ");
        }
    }
    Console.WriteLine();
}

static async Task WaitUntilReady(HttpClient http)
{
    var watch = Stopwatch.StartNew();
    while (watch.Elapsed < TimeSpan.FromMinutes(2))
    {
        try
        {
            if ((await http.GetAsync("/health/ready")).IsSuccessStatusCode)
                return;
        }
        catch (HttpRequestException)
        {
        }
        await Task.Delay(250);
    }
    throw new TimeoutException("The service did not become ready in 2 minutes.");
}

static int FreePort()
{
    using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
    listener.Start();
    return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
}

int ArgValue(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
