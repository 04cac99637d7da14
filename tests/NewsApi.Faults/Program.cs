using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using NewsApi.Faults;

// Faults survived, measured with real processes on loopback (issue 15, item 7). Build first (dotnet build), then:
//   dotnet tests/NewsApi.Faults/bin/Debug/net10.0/NewsApi.Faults.dll restart   PostgreSQL restarted -m immediate mid-write
//   dotnet tests/NewsApi.Faults/bin/Debug/net10.0/NewsApi.Faults.dll kill      the service killed -9 mid-import, file re-run
//   dotnet tests/NewsApi.Faults/bin/Debug/net10.0/NewsApi.Faults.dll indexer   the service killed -9 mid-index-batch
//   dotnet tests/NewsApi.Faults/bin/Debug/net10.0/NewsApi.Faults.dll soak --minutes 30
// Each scenario is bounded in time and exits non-zero when one of its checks fails.

var scenario = args.FirstOrDefault() ?? "";
var minutes = Arg("--minutes", 30);
var failures = new List<string>();
var bound = scenario == "soak" ? TimeSpan.FromMinutes(minutes + 5) : TimeSpan.FromMinutes(4);
using var overall = new CancellationTokenSource(bound);
Func<Task> run = scenario switch
{
    "restart" => Restart,
    "kill" => Kill,
    "indexer" => Indexer,
    "soak" => Soak,
    _ => () => throw new ArgumentException("Usage: NewsApi.Faults restart | kill | indexer | soak [--minutes N]"),
};
var work = run();
if (await Task.WhenAny(work, Task.Delay(Timeout.Infinite, overall.Token).ContinueWith(_ => { })) != work)
    failures.Add($"{scenario} did not finish within {bound.TotalMinutes} minutes");
else
    await work;
foreach (var failure in failures)
    Console.WriteLine("FAILED: " + failure);
Console.WriteLine(failures.Count == 0 ? $"{scenario}: all checks passed" : $"{scenario}: {failures.Count} check(s) failed");
return failures.Count == 0 ? 0 : 1;

void Check(bool ok, string what)
{
    Console.WriteLine($"  {(ok ? "ok  " : "FAIL")} {what}");
    if (!ok)
        failures.Add(what);
}

// Editors write while an import streams; PostgreSQL restarts -m immediate in the middle.
async Task Restart()
{
    await using var harness = await Harness.StartAsync("restart");
    await harness.StartServiceAsync();
    var editorKey = await harness.NewKeyAsync("editor");
    var (items, lines) = WireItem.Generate("restart", 1500);

    var acked = new ConcurrentDictionary<Guid, string>();
    var answers = new ConcurrentDictionary<string, int>();
    using var stop = new CancellationTokenSource();
    var clock = Stopwatch.StartNew();
    var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
    {
        using var client = harness.Client(editorKey, TimeSpan.FromSeconds(5));
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var slug = $"writer-{w}-{n}";
            var answer = await Send(client, () => client.PostAsJsonAsync("/api/v1/articles", new { title = $"編輯{w}的第{n}篇稿", slug }));
            answers.AddOrUpdate(answer.Label, 1, (_, c) => c + 1);
            if (answer.Body?["id"] is { } id)
                acked[Guid.Parse((string)id!)] = slug;
            await Task.Delay(answer.Ok ? 20 : 200);
        }
    })).ToArray();

    var importAcked = new ConcurrentBag<string>();
    var linesSent = 0;
    var import = Task.Run(() => Import(harness.Client(editorKey, TimeSpan.FromSeconds(120)), lines, 150, importAcked, n => Volatile.Write(ref linesSent, n)));

    // Mid-way: writes acknowledged and a third of the import sent before the fault (bounded: 30 s at most). Result
    // lines may reach the client only later, so what was sent says how far the import is, not what was acknowledged.
    while ((acked.Count < 20 || Volatile.Read(ref linesSent) < lines.Count / 3) && clock.Elapsed < TimeSpan.FromSeconds(30))
        await Task.Delay(100);
    Console.WriteLine($"restart: {acked.Count} writes acknowledged and {Volatile.Read(ref linesSent)} of {lines.Count} import lines sent so far; pg_ctl restart -m immediate at {clock.Elapsed.TotalSeconds:F1} s");
    var cut = Stopwatch.StartNew();
    await harness.RestartPostgresAsync();
    var restarted = cut.Elapsed.TotalSeconds;
    // Answers again: a read that needs the database, the writers' key check included.
    double? answering = null;
    using (var probe = harness.Client(editorKey, TimeSpan.FromSeconds(2)))
    {
        while (cut.Elapsed < TimeSpan.FromSeconds(30))
        {
            var answer = await Send(probe, () => probe.GetAsync("/api/v1/articles?limit=1"));
            if (answer.Ok)
            {
                answering = cut.Elapsed.TotalSeconds;
                break;
            }
            await Task.Delay(100);
        }
    }
    await Task.Delay(TimeSpan.FromSeconds(4));
    stop.Cancel();
    await Task.WhenAll(writers);
    var importOutcome = await import;

    var stored = await Stored(harness, "restart");
    var found = await harness.ScalarAsync<long>("SELECT count(*) FROM articles WHERE id = ANY($1)", acked.Keys.ToArray());
    var half = items.Count(i => stored.TryGetValue(i.ExternalId, out var s) && !s.WholeAs(i));
    Console.WriteLine($"restart: pg_ctl restart took {restarted:F1} s; the service answered again {answering?.ToString("F1", CultureInfo.InvariantCulture) ?? "never"} s after it began");
    Console.WriteLine($"restart: writer answers {string.Join(", ", answers.OrderBy(a => a.Key).Select(a => $"{a.Key}: {a.Value}"))}");
    Console.WriteLine($"restart: import {importOutcome}; {importAcked.Count} items acknowledged in result lines, {stored.Count} of {items.Count} stored");
    Check(found == acked.Count, $"every acknowledged write is stored: {found} of {acked.Count}");
    Check(importAcked.All(stored.ContainsKey), $"every item the import acknowledged is stored ({importAcked.Count(stored.ContainsKey)} of {importAcked.Count})");
    Check(half == 0, $"no half-imported item: {stored.Count - half} whole, {half} half");
    Check(answering is < 10, $"the service answers within 10 s of the restart without one of its own ({answering:F1} s)");
    Check(!answers.Keys.Any(k => k == "500"), "no 500 among the writers' answers");
}

// The service killed -9 mid-import, started again; the same file run again.
async Task Kill()
{
    await using var harness = await Harness.StartAsync("kill");
    await harness.StartServiceAsync();
    var editorKey = await harness.NewKeyAsync("editor");
    var (items, lines) = WireItem.Generate("kill", 1500);

    var sent = 0;
    var importAcked = new ConcurrentBag<string>();
    var import = Task.Run(() => Import(harness.Client(editorKey, TimeSpan.FromSeconds(120)), lines, 150, importAcked, n => sent = n));
    while (Volatile.Read(ref sent) < lines.Count * 2 / 5)
        await Task.Delay(50);
    await harness.KillServiceAsync();
    Console.WriteLine($"kill: kill -9 after {sent} of {lines.Count} lines sent; import {await import}");
    var ready = await harness.StartServiceAsync();
    Console.WriteLine($"kill: service ready again {ready:F1} s after its start");

    var stored = await Stored(harness, "kill");
    var half = items.Count(i => stored.TryGetValue(i.ExternalId, out var s) && !s.WholeAs(i));
    Check(half == 0, $"after the kill every item whole or absent: {stored.Count - half} whole, {half} half, {items.Count - stored.Count} absent");
    Check(importAcked.All(stored.ContainsKey), $"every item acknowledged before the kill is stored ({importAcked.Count})");

    var rerunAcked = new ConcurrentBag<string>();
    var rerun = await Import(harness.Client(editorKey, TimeSpan.FromSeconds(120)), lines, int.MaxValue, rerunAcked);
    stored = await Stored(harness, "kill");
    half = items.Count(i => stored.TryGetValue(i.ExternalId, out var s) && !s.WholeAs(i));
    var rows = await harness.ScalarAsync<long>("SELECT count(*) FROM articles WHERE external_id LIKE 'fault-kill-%'");
    var duplicates = await harness.ScalarAsync<long>(
        "SELECT count(*) FROM (SELECT external_id FROM articles WHERE external_id LIKE 'fault-kill-%' GROUP BY external_id HAVING count(*) > 1) d");
    var duplicateTitles = await harness.ScalarAsync<long>(
        "SELECT count(*) FROM (SELECT title FROM articles WHERE external_id LIKE 'fault-kill-%' GROUP BY title HAVING count(*) > 1) d");
    Console.WriteLine($"kill: re-run {rerun}");
    Check(stored.Count == items.Count && half == 0, $"after the re-run all present and whole: {stored.Count} of {items.Count}, {half} half");
    Check(rows == items.Count && duplicates == 0 && duplicateTitles == 0,
        $"no duplicate: {rows} rows for {items.Count} items, {duplicates} repeated externalIds, {duplicateTitles} repeated titles");
}

// The service killed -9 while its search indexer holds a batch: the batch's changes stay queued, and the next start
// indexes them, each article once.
async Task Indexer()
{
    await using var harness = await Harness.StartAsync("indexer");
    // Small batches, so that the kill lands inside one of many.
    var settings = new Dictionary<string, string> { ["Search__IndexBatch"] = "25" };
    await harness.StartServiceAsync(settings);
    var editorKey = await harness.NewKeyAsync("editor");
    var (items, lines) = WireItem.Generate("indexer", 1500);
    var acked = new ConcurrentBag<string>();
    var import = Task.Run(() => Import(harness.Client(editorKey, TimeSpan.FromSeconds(120)), lines, int.MaxValue, acked));

    // A batch is in flight while its transaction holds an article's advisory lock (SearchIndexer's lock space, "SI").
    const string InFlight = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = 21321";
    var clock = Stopwatch.StartNew();
    while (await harness.ScalarAsync<long>(InFlight) == 0 || await harness.ScalarAsync<long>("SELECT count(*) FROM article_search_documents") == 0)
    {
        if (clock.Elapsed > TimeSpan.FromSeconds(90))
            throw new TimeoutException("No index batch was seen in flight within 90 s.");
        await Task.Delay(10);
    }
    await harness.KillServiceAsync();
    var outcome = await import;
    // Until PostgreSQL has seen the client go, the batch's transaction may still be open: wait for its locks to go.
    while (await harness.ScalarAsync<long>(InFlight) > 0 && clock.Elapsed < TimeSpan.FromSeconds(120))
        await Task.Delay(50);

    const string Lost = "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM article_search_documents d WHERE d.article_id = a.id) " +
                        "AND NOT EXISTS (SELECT 1 FROM search_queue q WHERE q.article_id = a.id)";
    var articles = await harness.ScalarAsync<long>("SELECT count(*) FROM articles");
    var indexedBefore = await harness.ScalarAsync<long>("SELECT count(*) FROM article_search_documents");
    var queued = await harness.ScalarAsync<long>("SELECT count(*) FROM search_queue");
    Console.WriteLine($"indexer: kill -9 with a batch in flight at {clock.Elapsed.TotalSeconds:F1} s; import {outcome}");
    Console.WriteLine($"indexer: {articles} articles, {indexedBefore} indexed, {queued} changes still queued");
    Check(queued > 0, $"the killed batch's changes are still queued ({queued})");
    Check(await harness.ScalarAsync<long>(Lost) == 0, "no article is neither indexed nor queued");

    var ready = await harness.StartServiceAsync(settings);
    var caughtUp = Stopwatch.StartNew();
    while (await harness.ScalarAsync<long>("SELECT count(*) FROM search_queue") > 0 && caughtUp.Elapsed < TimeSpan.FromSeconds(90))
        await Task.Delay(100);
    var indexed = await harness.ScalarAsync<long>("SELECT count(*) FROM article_search_documents");
    var missing = await harness.ScalarAsync<long>("SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM article_search_documents d WHERE d.article_id = a.id)");
    var stale = await harness.ScalarAsync<long>(
        "SELECT count(*) FROM articles a JOIN article_search_documents d ON d.article_id = a.id " +
        "WHERE (CASE WHEN a.status = 'Published' THEN a.published_at END) IS DISTINCT FROM d.published_at OR a.embargo_until IS DISTINCT FROM d.embargo_until");
    Console.WriteLine($"indexer: service ready again in {ready:F1} s; queue empty {caughtUp.Elapsed.TotalSeconds:F1} s later; {indexed} rows for {articles} articles");
    Check(await harness.ScalarAsync<long>("SELECT count(*) FROM search_queue") == 0, "the restarted service emptied the queue");
    Check(missing == 0 && indexed == articles, $"every article indexed once: {indexed} rows, {missing} missing");
    Check(stale == 0, $"every row as its article is now ({stale} differ)");
}

// Mixed reads, writes, searches and imports at a steady rate.
async Task Soak()
{
    await using var harness = await Harness.StartAsync("soak");
    await harness.StartServiceAsync();
    var editorKey = await harness.NewKeyAsync("editor");
    var pid = harness.ServicePid;
    const string Sizes = "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'";
    const string Tables = "SELECT string_agg(relname || ' ' || pg_size_pretty(pg_total_relation_size(oid)), ', ' ORDER BY pg_total_relation_size(oid) DESC) FROM (SELECT oid, relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' ORDER BY pg_total_relation_size(oid) DESC LIMIT 8) t";
    var sizeBefore = await harness.ScalarAsync<long>(Sizes);
    Console.WriteLine($"soak: {minutes} min; load before: {File.ReadAllText("/proc/loadavg").Trim()}; tables {sizeBefore / 1024} KiB");

    using var editor = harness.Client(editorKey, TimeSpan.FromSeconds(10));
    // Warmed up first, not counted: the soak measures the steady state, not the first compile of each path.
    foreach (var path in new[] { "/api/v1/articles", "/api/v1/sections", "/sitemap.xml", "/sitemap-news.xml", "/api/v1/tags", "/api/v1/search?q=x" })
        await Send(editor, () => editor.GetAsync(path));
    await Send(editor, () => editor.PostAsJsonAsync("/api/v1/articles", new { title = "暖身", slug = "soak-warm-up" }));

    var answers = new ConcurrentDictionary<string, int>();
    var written = 1; // the warm-up's
    var unansweredWrites = 0;
    var imported = 0;
    using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(minutes));
    using var anonymous = harness.Client("", TimeSpan.FromSeconds(10));
    anonymous.DefaultRequestHeaders.Authorization = null;
    var slugs = new ConcurrentQueue<string>();

    // About 20 requests a second: 12 reads, 4 searches, 4 writes; an import of 50 items every 30 s.
    async Task Loop(int perSecond, Func<int, Task<Answer>> step)
    {
        var interval = TimeSpan.FromSeconds(1.0 / perSecond);
        var next = Stopwatch.GetTimestamp();
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var answer = await step(n);
            answers.AddOrUpdate(answer.Label, 1, (_, c) => c + 1);
            next += (long)(interval.TotalSeconds * Stopwatch.Frequency);
            var wait = TimeSpan.FromSeconds((next - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency);
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait, CancellationToken.None);
        }
    }
    string[] reads = ["/api/v1/articles", "/api/v1/sections", "/sitemap.xml", "/sitemap-news.xml", "/api/v1/tags"];
    var loops = new List<Task>
    {
        Task.Run(() => Loop(12, n => n % 3 == 0 && slugs.TryPeek(out var slug)
            ? Send(anonymous, () => anonymous.GetAsync($"/api/v1/articles/slug/{slug}"))
            : Send(anonymous, () => anonymous.GetAsync(reads[n % reads.Length])))),
        Task.Run(() => Loop(4, n => Send(anonymous, () => anonymous.GetAsync($"/api/v1/search?q={Uri.EscapeDataString(n % 2 == 0 ? "烏鎮" : "互聯網")}")))),
        Task.Run(() => Loop(4, async n =>
        {
            var slug = $"soak-{n}";
            var answer = await Send(editor, () => editor.PostAsJsonAsync("/api/v1/articles",
                new { title = $"烏鎮互聯網大會第{n}稿", slug, summary = "世界互聯網大會在烏鎮舉行。" }));
            if (answer.Label == "unanswered")
                Interlocked.Increment(ref unansweredWrites); // it may have been stored all the same
            if (answer.Ok)
            {
                Interlocked.Increment(ref written);
                if (n % 4 == 0)
                {
                    var id = (string)answer.Body!["id"]!;
                    var published = await Send(editor, () => editor.PostAsync($"/api/v1/articles/{id}/publish", null));
                    answers.AddOrUpdate(published.Label, 1, (_, c) => c + 1);
                    if (published.Ok)
                        slugs.Enqueue(slug);
                    while (slugs.Count > 50)
                        slugs.TryDequeue(out _);
                }
            }
            return answer;
        })),
        Task.Run(async () =>
        {
            for (var round = 0; !stop.IsCancellationRequested; round++)
            {
                var (_, lines) = WireItem.Generate($"soak{round}", 50);
                var acked = new ConcurrentBag<string>();
                var outcome = await Import(harness.Client(editorKey, TimeSpan.FromSeconds(60)), lines, int.MaxValue, acked);
                answers.AddOrUpdate(outcome.StartsWith("200", StringComparison.Ordinal) ? "import 200" : "import " + outcome, 1, (_, c) => c + 1);
                Interlocked.Add(ref imported, acked.Count);
                try { await Task.Delay(TimeSpan.FromSeconds(30), stop.Token); } catch (OperationCanceledException) { }
            }
        }),
    };
    var curve = new List<string>();
    var clock = Stopwatch.StartNew();
    while (!stop.IsCancellationRequested)
    {
        var (hwm, rss) = NewsApi.Benchmarks.ProcessStats.Memory(pid);
        curve.Add($"{clock.Elapsed.TotalMinutes:F1} min {rss / 1024} MiB");
        Console.WriteLine($"soak: {clock.Elapsed.TotalMinutes:F1} min  RSS {rss / 1024} MiB (peak {hwm / 1024})  answers {string.Join(", ", answers.OrderBy(a => a.Key).Select(a => $"{a.Key}: {a.Value}"))}");
        try { await Task.Delay(TimeSpan.FromSeconds(30), stop.Token); } catch (OperationCanceledException) { }
    }
    await Task.WhenAll(loops);
    var (_, last) = NewsApi.Benchmarks.ProcessStats.Memory(pid);
    curve.Add($"end {last / 1024} MiB");
    var sizeAfter = await harness.ScalarAsync<long>(Sizes);
    var articles = await harness.ScalarAsync<long>("SELECT count(*) FROM articles");
    var total = answers.Values.Sum();
    var errors5 = answers.Where(a => a.Key.StartsWith('5')).Sum(a => a.Value);
    var errors4 = answers.Where(a => a.Key.StartsWith('4')).Sum(a => a.Value);
    var unanswered = answers.GetValueOrDefault("unanswered");
    Console.WriteLine($"soak: {total} answers in {minutes} min: {string.Join(", ", answers.OrderBy(a => a.Key).Select(a => $"{a.Key}: {a.Value}"))}");
    Console.WriteLine($"soak: 5xx {errors5}, 4xx {errors4}, unanswered {unanswered}");
    Console.WriteLine($"soak: RSS curve: {string.Join("; ", curve)}");
    Console.WriteLine($"soak: tables {sizeBefore / 1024} KiB before, {sizeAfter / 1024} KiB after; {written} articles written, {imported} items imported, {articles} articles stored " +
                      $"({(sizeAfter - sizeBefore) / Math.Max(1, written + imported)} bytes a row written, all tables)");
    Console.WriteLine($"soak: largest tables: {await harness.ScalarAsync<string>(Tables)}");
    Console.WriteLine($"soak: load after: {File.ReadAllText("/proc/loadavg").Trim()}");
    Check(errors5 == 0, $"no 5xx ({errors5})");
    Check(unanswered == 0, $"every request answered ({unanswered} not)");
    Check(articles >= written + imported && articles <= written + imported + unansweredWrites,
        $"articles stored = acknowledged writes + imported items, plus at most the {unansweredWrites} writes left unanswered ({articles}; {written} + {imported})");
}

static async Task<Answer> Send(HttpClient client, Func<Task<HttpResponseMessage>> request)
{
    try
    {
        using var response = await request();
        var status = (int)response.StatusCode;
        JsonNode? body = null;
        if (response.IsSuccessStatusCode && response.Content.Headers.ContentType?.MediaType == "application/json")
            body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        else
            await response.Content.ReadAsByteArrayAsync();
        return new Answer(status.ToString(CultureInfo.InvariantCulture), response.IsSuccessStatusCode, body);
    }
    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
    {
        return new Answer("unanswered", false, null);
    }
}

// Streams the lines at a pace and records each item the result lines say was stored; returns how it ended.
static async Task<string> Import(HttpClient client, IReadOnlyList<string> lines, int perSecond, ConcurrentBag<string> acked, Action<int>? sent = null)
{
    using var _ = client;
    try
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/import/articles?createMissing=true") { Content = WireItem.Paced(lines, perSecond, sent) };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode)
            return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var summary = "no summary line";
        while (await reader.ReadLineAsync() is { } line)
        {
            var node = JsonNode.Parse(line)!;
            if (node["summary"] is { } s)
                summary = s.ToJsonString();
            else if ((string?)node["outcome"] is "created" or "updated" or "unchanged" && (string?)node["externalId"] is { } id)
                acked.Add(id);
        }
        return $"200 {summary}";
    }
    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
    {
        return $"broken off ({e.GetType().Name}) after {acked.Count} result lines";
    }
}

// What the database holds of a run's items: title, paragraphs and tags of each.
static async Task<Dictionary<string, StoredItem>> Stored(Harness harness, string run)
{
    await using var connection = await harness.DatabaseAsync();
    await using var command = new Npgsql.NpgsqlCommand(
        "SELECT a.external_id, a.title, jsonb_array_length(a.body::jsonb), (SELECT count(*) FROM article_tags t WHERE t.article_id = a.id)::int " +
        "FROM articles a WHERE a.external_id LIKE $1", connection);
    command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = $"fault-{run}-%" });
    var stored = new Dictionary<string, StoredItem>();
    await using var reader = await command.ExecuteReaderAsync();
    while (await reader.ReadAsync())
        stored[reader.GetString(0)] = new StoredItem(reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3));
    return stored;
}

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

internal sealed record Answer(string Label, bool Ok, JsonNode? Body);

internal sealed record StoredItem(string Title, int Paragraphs, int Tags)
{
    public bool WholeAs(WireItem item) => Title == item.Title && Paragraphs == item.Paragraphs && Tags == item.Tags;
}
