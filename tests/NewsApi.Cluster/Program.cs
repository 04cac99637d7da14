using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using NewsApi.Cluster;

// The deployment's topology proven with real processes on loopback (issue 17, item 4): PostgreSQL primary and a
// streaming standby, redis-server, three NewsApi processes, HAProxy in front. Build first (dotnet build), then
//   dotnet tests/NewsApi.Cluster/bin/Debug/net10.0/NewsApi.Cluster.dll
// Bounded in time; exits non-zero when a check fails. NEWSAPI_CLUSTER_KEEP=1 keeps the logs (the path is printed).

var failures = new List<string>();
var bound = TimeSpan.FromMinutes(6);
var overall = Stopwatch.StartNew();
Cluster? started = null;
var work = Run();
if (await Task.WhenAny(work, Task.Delay(bound)) != work)
{
    failures.Add($"the cluster scenario did not finish within {bound.TotalMinutes} minutes");
    // The scenario is stuck on one of the children: stop them all here, or they outlive this program.
    if (started is not null)
        await started.DisposeAsync();
}
else
    await work;
foreach (var failure in failures)
    Console.WriteLine("FAILED: " + failure);
Console.WriteLine(failures.Count == 0 ? $"cluster: all checks passed in {overall.Elapsed.TotalSeconds:F0} s" : $"cluster: {failures.Count} check(s) failed");
return failures.Count == 0 ? 0 : 1;

void Check(bool ok, string what)
{
    Console.WriteLine($"  {(ok ? "ok  " : "FAIL")} {what}");
    if (!ok)
        failures.Add(what);
}

async Task Run()
{
    await using var cluster = await Cluster.StartAsync();
    started = cluster;
    Console.WriteLine($"cluster: primary :{cluster.Primary.Port}, standby :{cluster.Standby.Port} (pg_basebackup -R), redis :{cluster.Redis.Port}; logs in {cluster.Logs}");
    try
    {
        await cluster.StartServicesAsync(3);
        Console.WriteLine($"cluster: 3 instances ({string.Join(", ", cluster.Instances.Select(i => ":" + i.Port))}) behind HAProxy :{cluster.BalancerPort}, up at {overall.Elapsed.TotalSeconds:F0} s");
        await Scenario(cluster);
    }
    catch (Exception e)
    {
        failures.Add($"the scenario broke off: {e.GetType().Name}: {e.Message}");
        foreach (var log in Directory.EnumerateFiles(cluster.Logs, "*.log"))
        {
            Console.WriteLine($"--- {Path.GetFileName(log)} (last lines)");
            foreach (var line in File.ReadLines(log).TakeLast(15))
                Console.WriteLine(line);
        }
    }
}

async Task Scenario(Cluster cluster)
{
    var editorKey = await cluster.NewKeyAsync("editor");
    using var editor = cluster.Client(editorKey);
    using var admin = cluster.Client(cluster.AdminKey);
    using var receiver = new WebhookReceiver();
    foreach (var hook in new[] { "a", "b" })
        (await admin.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.Url(hook), events = new[] { "article.published", "article.updated" } })).EnsureSuccessStatusCode();

    // An editor who writes, then reads at once, reads the write (keyed reads go to the primary), through any instance.
    var stale = 0;
    for (var n = 0; n < 20; n++)
    {
        var created = await Body(await editor.PostAsJsonAsync("/api/v1/articles", new { title = $"即寫即讀{n}", slug = $"own-write-{n}" }));
        var id = (string)created!["id"]!;
        var read = await Body(await editor.GetAsync($"/api/v1/articles/{id}"));
        await editor.PostAsync($"/api/v1/articles/{id}/publish", null);
        var published = await Body(await editor.GetAsync($"/api/v1/articles/{id}"));
        if ((string?)read?["title"] != $"即寫即讀{n}" || (string?)published?["status"] != "published")
            stale++;
    }
    Check(stale == 0, $"an editor reads each of 20 writes at once, through the balancer ({stale} stale reads)");

    // A published change is visible through every instance within 1 s, and none serves the old version afterwards.
    var story = await Body(await editor.PostAsJsonAsync("/api/v1/articles", new { title = "可見性 0", slug = "visibility" }));
    var storyId = (string)story!["id"]!;
    await editor.PostAsync($"/api/v1/articles/{storyId}/publish", null);
    var readers = cluster.Instances.Select(i => cluster.Client(address: i.Address)).ToList();
    var delays = new List<double>();
    var staleAfter = 0;
    for (var round = 1; round <= 5; round++)
    {
        foreach (var reader in readers)
            await reader.GetAsync("/api/v1/articles/slug/visibility"); // cached everywhere
        using var current = await editor.GetAsync($"/api/v1/articles/{storyId}");
        using var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/articles/{storyId}")
        {
            Content = new StringContent($$"""{"title":"可見性 {{round}}"}""", Encoding.UTF8, "application/merge-patch+json"),
        };
        patch.Headers.IfMatch.Add(current.Headers.ETag!);
        (await editor.SendAsync(patch)).EnsureSuccessStatusCode();
        var committed = Stopwatch.StartNew();
        var seen = await Task.WhenAll(readers.Select(async reader =>
        {
            while (committed.Elapsed < TimeSpan.FromSeconds(5))
            {
                if ((string?)(await Body(await reader.GetAsync("/api/v1/articles/slug/visibility")))?["title"] == $"可見性 {round}")
                    return committed.Elapsed.TotalMilliseconds;
            }
            return double.PositiveInfinity;
        }));
        delays.AddRange(seen);
        var until = Stopwatch.StartNew();
        while (until.Elapsed < TimeSpan.FromSeconds(1))
            foreach (var reader in readers)
                if ((string?)(await Body(await reader.GetAsync("/api/v1/articles/slug/visibility")))?["title"] != $"可見性 {round}")
                    staleAfter++;
    }
    Check(delays.Max() < 1000, $"5 edits visible through all 3 instances within 1 s: slowest {delays.Max():F0} ms, median {delays.Order().ElementAt(delays.Count / 2):F0} ms");
    Check(staleAfter == 0, $"no instance served an old version once it had shown the new one ({staleAfter} stale answers)");

    // Public reads are served by the standby: its own statistics count them.
    var before = await cluster.ScalarAsync<long>($"SELECT xact_commit FROM pg_stat_database WHERE datname = '{Cluster.Database}'", onStandby: true);
    using var anonymous = cluster.Client();
    for (var limit = 1; limit <= 100; limit++)
        (await anonymous.GetAsync($"/api/v1/articles?limit={limit}")).EnsureSuccessStatusCode(); // 100 different answers: 100 misses
    await Task.Delay(1000); // the standby's statistics are flushed at most once a second
    var after = await cluster.ScalarAsync<long>($"SELECT xact_commit FROM pg_stat_database WHERE datname = '{Cluster.Database}'", onStandby: true);
    var connections = await cluster.ScalarAsync<long>($"SELECT count(*) FROM pg_stat_activity WHERE datname = '{Cluster.Database}' AND backend_type = 'client backend'", onStandby: true);
    Check(after - before >= 100, $"100 uncached public reads ran on the standby: its pg_stat_database counted {after - before} transactions, {connections} connections in pg_stat_activity");

    // A scheduled publish fires exactly once across the three schedulers.
    var scheduled = await Body(await editor.PostAsJsonAsync("/api/v1/articles", new { title = "定時發佈", slug = "scheduled-once" }));
    var scheduledId = (string)scheduled!["id"]!;
    (await editor.PostAsJsonAsync($"/api/v1/articles/{scheduledId}/publish", new { publishAt = DateTimeOffset.UtcNow.AddSeconds(2) })).EnsureSuccessStatusCode();
    var waiting = Stopwatch.StartNew();
    while ((await anonymous.GetAsync("/api/v1/articles/slug/scheduled-once")).StatusCode != HttpStatusCode.OK && waiting.Elapsed < TimeSpan.FromSeconds(20))
        await Task.Delay(200);
    await Task.Delay(3000); // three schedulers have looked again
    var fired = await cluster.ScalarAsync<long>($"SELECT count(*) FROM outbox_events WHERE type = 'article.published' AND subject = 'article:{scheduledId}'");
    var revisions = await cluster.ScalarAsync<long>($"SELECT count(*) FROM article_revisions WHERE article_id = '{scheduledId}' AND action ILIKE '%publish%'");
    Check(fired == 1, $"the scheduled publish fired once across 3 instances ({fired} article.published events, {revisions} publish revisions, live after {waiting.Elapsed.TotalSeconds:F1} s)");

    // Each webhook event is delivered once per webhook, in order.
    var expected = await cluster.ScalarAsync<long>("SELECT count(*) FROM outbox_events WHERE type IN ('article.published', 'article.updated')");
    var order = (await cluster.ScalarAsync<string>("SELECT string_agg(type || ' ' || subject, '|' ORDER BY id) FROM outbox_events WHERE type IN ('article.published', 'article.updated')")).Split('|');
    waiting.Restart();
    while (receiver.For("a").Count + receiver.For("b").Count < 2 * expected && waiting.Elapsed < TimeSpan.FromSeconds(30))
        await Task.Delay(200);
    foreach (var hook in new[] { "a", "b" })
    {
        var got = receiver.For(hook);
        var repeated = got.Count - got.Select(d => d.Id).Distinct().Count();
        Check(repeated == 0 && got.Select(d => $"{d.Event} {d.Subject}").SequenceEqual(order),
            $"webhook {hook}: {got.Count} of {expected} events, {repeated} delivered twice, {(got.Select(d => $"{d.Event} {d.Subject}").SequenceEqual(order) ? "in order" : "NOT in the order they happened")}");
    }

    // Issue 17 item 4: each search document is indexed once across the three indexers. The queue's entries are claimed
    // with SKIP LOCKED and deleted with the rows they wrote, so a second indexing would show as more document writes
    // (the upsert skips an unchanged row) than queue entries, or as an article found twice.
    const string QueueStats = "SELECT n_tup_ins || ' ' || n_tup_del FROM pg_stat_user_tables WHERE relname = 'search_queue'";
    const string DocumentStats = "SELECT (n_tup_ins + n_tup_upd)::text FROM pg_stat_user_tables WHERE relname = 'article_search_documents'";
    async Task<(long Queued, long Taken, long Written)> IndexStats()
    {
        var queue = (await cluster.ScalarAsync<string>(QueueStats)).Split(' ');
        return (long.Parse(queue[0], CultureInfo.InvariantCulture), long.Parse(queue[1], CultureInfo.InvariantCulture),
            long.Parse(await cluster.ScalarAsync<string>(DocumentStats), CultureInfo.InvariantCulture));
    }
    async Task<(long Queued, long Taken, long Written)> SettledIndexStats()
    {
        // Other backends flush their statistics when idle, up to seconds later: read until two readings agree.
        var last = await IndexStats();
        for (var settle = Stopwatch.StartNew(); settle.Elapsed < TimeSpan.FromSeconds(15);)
        {
            await Task.Delay(1500);
            var now = await IndexStats();
            if (now == last && now.Queued == now.Taken)
                return now;
            last = now;
        }
        return last;
    }
    var indexBefore = await SettledIndexStats();
    const int Indexed = 30;
    static string Word(int n) => "onceword" + new string([(char)('a' + n / 26), (char)('a' + n % 26)]);
    var searchIds = new string[Indexed];
    for (var n = 0; n < Indexed; n++)
    {
        var created = await Body(await editor.PostAsJsonAsync("/api/v1/articles", new { title = $"Indexed {Word(n)}", slug = $"indexed-once-{n}" }));
        searchIds[n] = (string)created!["id"]!;
        (await editor.PostAsync($"/api/v1/articles/{searchIds[n]}/publish", null)).EnsureSuccessStatusCode();
    }
    var searching = Stopwatch.StartNew();
    var hits = new int[Indexed];
    for (var n = 0; n < Indexed; n++)
    {
        while (true)
        {
            var found = await Body(await anonymous.GetAsync($"/api/v1/search?q={Word(n)}"));
            var ids = found?["items"]?.AsArray().Select(i => (string?)i!["id"]).ToList() ?? [];
            hits[n] = ids.Count(id => id == searchIds[n]);
            if (hits[n] > 0 || searching.Elapsed > TimeSpan.FromSeconds(30))
                break;
            await Task.Delay(100);
        }
    }
    var searchable = searching.Elapsed.TotalSeconds;
    var left = await cluster.ScalarAsync<long>("SELECT count(*) FROM search_queue");
    var indexAfter = await SettledIndexStats();
    var (queued, taken, written) = (indexAfter.Queued - indexBefore.Queued, indexAfter.Taken - indexBefore.Taken, indexAfter.Written - indexBefore.Written);
    var rows = await cluster.ScalarAsync<long>($"SELECT count(*) FROM article_search_documents WHERE article_id = ANY('{{{string.Join(',', searchIds)}}}'::uuid[])");
    Check(hits.All(h => h == 1) && left == 0 && taken == queued && written >= Indexed && written <= queued && rows == Indexed,
        $"{Indexed} published articles searchable through the standby after {searchable:F1} s, each found {(hits.All(h => h == 1) ? "exactly once" : $"{hits.Min()}..{hits.Max()} times")}: " +
        $"{queued} changes queued, {taken} taken off, {left} left; {written} document writes (at most one a change), {rows} rows");

    // Issue 19 item 2: sync works with the read replicas. An anonymous client (its reads go to the standby) syncs,
    // the editor writes through the balancer, and the client's deltas bring it to what a full sync shows.
    async Task<(Dictionary<string, string> Upserts, HashSet<string> Tombstones, string Token, int Pages)> Sync(string? from)
    {
        var (upserts, tombstones, pages) = (new Dictionary<string, string>(), new HashSet<string>(), 0);
        while (true)
        {
            using var response = await anonymous.GetAsync(from is null ? "/api/v1/sync" : $"/api/v1/sync?from={Uri.EscapeDataString(from)}");
            var page = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"sync answered {(int)response.StatusCode}: {page.ToJsonString()}");
            pages++;
            foreach (var item in page["items"]!.AsArray())
            {
                var key = $"{item!["type"]} {item["id"]}";
                if (item["document"] is { } document)
                {
                    upserts[key] = document.ToJsonString();
                    tombstones.Remove(key);
                }
                else
                {
                    tombstones.Add(key);
                    upserts.Remove(key);
                }
            }
            from = (string)page["nextSyncToken"]!;
            if (!(bool)page["hasMore"]!)
                return (upserts, tombstones, from, pages);
        }
    }
    var syncBefore = await cluster.ScalarAsync<long>($"SELECT xact_commit FROM pg_stat_database WHERE datname = '{Cluster.Database}'", onStandby: true);
    var initial = await Sync(null);
    var held = new Dictionary<string, string>(initial.Upserts);
    var fresh = await Body(await editor.PostAsJsonAsync("/api/v1/articles", new { title = "同步新聞", slug = "sync-new" }));
    var freshId = (string)fresh!["id"]!;
    (await editor.PostAsync($"/api/v1/articles/{freshId}/publish", null)).EnsureSuccessStatusCode();
    var (editedId, unpublishedId, killedId) = (searchIds[0], searchIds[1], searchIds[2]);
    using (var current = await editor.GetAsync($"/api/v1/articles/{editedId}"))
    using (var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/articles/{editedId}")
    {
        Content = new StringContent("""{"title":"同步已改"}""", Encoding.UTF8, "application/merge-patch+json"),
    })
    {
        patch.Headers.IfMatch.Add(current.Headers.ETag!);
        (await editor.SendAsync(patch)).EnsureSuccessStatusCode();
    }
    (await editor.PostAsync($"/api/v1/articles/{unpublishedId}/unpublish", null)).EnsureSuccessStatusCode();
    (await editor.PostAsJsonAsync($"/api/v1/articles/{killedId}/kill", new { reason = "Withdrawn for the sync check." })).EnsureSuccessStatusCode();
    var (deltaUpserts, deltaTombstones, token, deltaPages, rounds) = (new Dictionary<string, string>(), new HashSet<string>(), initial.Token, 0, 0);
    // Documents are kept as written by JsonNode (non-ASCII escaped), so titles are compared parsed.
    string? Title(string key) => deltaUpserts.TryGetValue(key, out var document) ? (string?)JsonNode.Parse(document)?["title"] : null;
    bool CaughtUp() =>
        Title($"article {freshId}") == "同步新聞" && Title($"article {editedId}") == "同步已改"
        && deltaTombstones.Contains($"article {unpublishedId}") && deltaTombstones.Contains($"article {killedId}");
    var catching = Stopwatch.StartNew();
    while (!CaughtUp() && catching.Elapsed < TimeSpan.FromSeconds(10))
    {
        if (rounds++ > 0)
            await Task.Delay(200); // the standby is still replaying
        var delta = await Sync(token);
        (token, deltaPages) = (delta.Token, deltaPages + delta.Pages);
        foreach (var (key, document) in delta.Upserts)
        {
            (deltaUpserts[key], held[key]) = (document, document);
            deltaTombstones.Remove(key);
        }
        foreach (var key in delta.Tombstones)
        {
            deltaTombstones.Add(key);
            deltaUpserts.Remove(key);
            held.Remove(key);
        }
    }
    var caughtUp = catching.Elapsed.TotalSeconds;
    var full = await Sync(null);
    await Task.Delay(1000); // the standby's statistics are flushed at most once a second
    var syncAfter = await cluster.ScalarAsync<long>($"SELECT xact_commit FROM pg_stat_database WHERE datname = '{Cluster.Database}'", onStandby: true);
    var differ = held.Keys.Union(full.Upserts.Keys).Count(k => held.GetValueOrDefault(k) != full.Upserts.GetValueOrDefault(k));
    Check(CaughtUp() && differ == 0 && syncAfter - syncBefore >= initial.Pages + deltaPages + full.Pages,
        $"sync through the standby: initial {initial.Upserts.Count} things in {initial.Pages} pages; after publish, edit, unpublish, kill the delta " +
        $"{(CaughtUp() ? "held" : "MISSED")} the 2 upserts and 2 tombstones ({deltaUpserts.Count} upserts, {deltaTombstones.Count} tombstones, {rounds} rounds, {caughtUp:F1} s); " +
        $"the client's {held.Count} things {(differ == 0 ? "equal" : $"differ in {differ} from")} a fresh full sync; the standby counted {syncAfter - syncBefore} transactions");

    // One instance killed -9 under load: HAProxy takes it out, no acknowledged write is lost, none is duplicated.
    Console.WriteLine($"cluster: kill -9 under load at {overall.Elapsed.TotalSeconds:F0} s");
    var acked = new ConcurrentDictionary<string, string>();
    var load = new Load(cluster, editorKey, acked);
    var running = load.RunAsync(TimeSpan.FromSeconds(9));
    await Task.Delay(3000);
    var victim = cluster.Instances[2];
    var killed = Stopwatch.StartNew();
    await victim.KillAsync();
    double? outAfter = null;
    while (killed.Elapsed < TimeSpan.FromSeconds(5))
    {
        if ((await cluster.ServerStatesAsync()).GetValueOrDefault($"api{victim.Number}") is { } state && state.StartsWith("DOWN", StringComparison.Ordinal))
        {
            outAfter = killed.Elapsed.TotalSeconds;
            break;
        }
        await Task.Delay(50);
    }
    await running;
    Check(outAfter is not null, $"HAProxy took the killed instance out after {outAfter:F1} s");
    var stored = await cluster.ScalarAsync<long>($"SELECT count(*) FROM articles WHERE id = ANY('{{{string.Join(',', acked.Keys)}}}'::uuid[])");
    var duplicated = await cluster.ScalarAsync<long>("SELECT count(*) - count(DISTINCT title) FROM articles WHERE title LIKE 'load %'");
    Check(stored == acked.Count && duplicated == 0,
        $"kill -9 under load: {load.Writes} writes sent, {acked.Count} acknowledged, {acked.Count - stored} of them lost, {duplicated} duplicated; {load.Failed} failed ({load.FailureKinds}); {load.Reads} reads, {load.ReadFailures} failed");

    // The primary stopped and the standby promoted: writes resume within 30 s, no acknowledged write lost.
    Console.WriteLine($"cluster: failover at {overall.Elapsed.TotalSeconds:F0} s");
    var ackedBefore = acked.Count;
    var failover = new Load(cluster, editorKey, acked);
    var during = failover.RunAsync(TimeSpan.FromSeconds(40), stopAfterRecovery: true);
    await Task.Delay(2000);
    var stopped = Stopwatch.StartNew();
    await cluster.StopPrimaryAsync();
    // From here no write can reach the old primary: the first one acknowledged is the promoted standby's.
    failover.MarkOutage();
    var stopSeconds = stopped.Elapsed.TotalSeconds;
    await cluster.PromoteStandbyAsync();
    var promoteSeconds = stopped.Elapsed.TotalSeconds;
    await during;

    var storedAfter = await cluster.ScalarAsync<long>($"SELECT count(*) FROM articles WHERE id = ANY('{{{string.Join(',', acked.Keys)}}}'::uuid[])", onStandby: true);
    var duplicatedAfter = await cluster.ScalarAsync<long>("SELECT count(*) - count(DISTINCT title) FROM articles WHERE title LIKE 'load %'", onStandby: true);
    Check(failover.OutageToRecovery is { } recovery && recovery.TotalSeconds + stopSeconds < 30,
        $"writes resumed {failover.OutageToRecovery?.TotalSeconds + stopSeconds:F1} s after the primary began to stop (stopped in {stopSeconds:F1} s, standby promoted at {promoteSeconds:F1} s)");
    Check(storedAfter == acked.Count && duplicatedAfter == 0,
        $"failover: {acked.Count} writes acknowledged in all ({acked.Count - ackedBefore} in this phase), {acked.Count - storedAfter} lost on the new primary, {duplicatedAfter} duplicated; {failover.Failed} writes failed meanwhile ({failover.FailureKinds})");
    // With the primary gone the standby carries the public reads: the instances stay ready (degraded), none fails.
    Check(failover.ReadFailures == 0 && failover.ReadsDuringOutage > 0,
        $"public reads through the failover: {failover.Reads} answered, {failover.ReadFailures} failed ({failover.ReadsDuringOutage} while no primary took writes)");
    foreach (var failed in failover.ReadFailureLog.Take(20))
        Console.WriteLine($"    read failed {failed}");
    foreach (var reader in readers)
        reader.Dispose();
}

static async Task<JsonNode?> Body(HttpResponseMessage response)
{
    using (response)
        return response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync()) : null;
}

/// <summary>Writers creating articles with unique titles through the balancer, and an anonymous reader.</summary>
sealed class Load(Cluster cluster, string key, ConcurrentDictionary<string, string> acked)
{
    int _writes, _failed, _reads, _readFailures, _readsDuringOutage;
    readonly ConcurrentDictionary<string, int> _kinds = new();
    readonly Stopwatch _clock = Stopwatch.StartNew();
    TimeSpan? _outageAt;
    TimeSpan? _recoveredAt;

    public int Writes => _writes;
    public int Failed => _failed;
    public int Reads => _reads;
    public int ReadFailures => _readFailures;
    public int ReadsDuringOutage => _readsDuringOutage;
    public string FailureKinds => _kinds.IsEmpty ? "none" : string.Join(", ", _kinds.OrderBy(k => k.Key).Select(k => $"{k.Value} × {k.Key}"));
    public TimeSpan? FirstWriteAfterOutage => _recoveredAt;
    public TimeSpan? OutageToRecovery => _recoveredAt - _outageAt;

    public void MarkOutage() => _outageAt = _clock.Elapsed;

    public async Task RunAsync(TimeSpan length, bool stopAfterRecovery = false)
    {
        using var stop = new CancellationTokenSource(length);
        var writers = Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
        {
            using var client = cluster.Client(key);
            client.Timeout = TimeSpan.FromSeconds(10);
            while (!stop.IsCancellationRequested)
            {
                var title = $"load {Guid.NewGuid():N}";
                Interlocked.Increment(ref _writes);
                try
                {
                    using var response = await client.PostAsJsonAsync("/api/v1/articles", new { title });
                    if (response.IsSuccessStatusCode)
                    {
                        var id = (string)(await response.Content.ReadFromJsonAsync<JsonNode>())!["id"]!;
                        acked[id] = title;
                        if (_outageAt is not null && _recoveredAt is null)
                        {
                            _recoveredAt = _clock.Elapsed;
                            if (stopAfterRecovery)
                                stop.CancelAfter(TimeSpan.FromSeconds(3));
                        }
                        continue;
                    }
                    Fail(((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    Fail(e is TaskCanceledException ? "timeout" : "no answer");
                }
                await Task.Delay(100);
            }
        })).ToList();
        var reader = Task.Run(async () =>
        {
            using var client = cluster.Client();
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                try
                {
                    using var response = await client.GetAsync($"/api/v1/articles?limit={1 + n % 100}");
                    Interlocked.Increment(ref _reads);
                    if (!response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref _readFailures);
                        var body = await response.Content.ReadAsStringAsync();
                        ReadFailed($"{(int)response.StatusCode} {body[..Math.Min(body.Length, 160)].ReplaceLineEndings(" ")}");
                    }
                    else if (_outageAt is not null && _recoveredAt is null)
                        Interlocked.Increment(ref _readsDuringOutage);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref _readFailures);
                    ReadFailed($"{e.GetType().Name}: {e.Message}");
                }
                await Task.Delay(20);
            }
        });
        await Task.WhenAll([.. writers, reader]);
    }

    /// <summary>Each failed read, when it failed (seconds from the primary's stop) and how, to tell the causes apart.</summary>
    public ConcurrentQueue<string> ReadFailureLog { get; } = new();

    void ReadFailed(string how) =>
        ReadFailureLog.Enqueue($"{(_clock.Elapsed - (_outageAt ?? _clock.Elapsed)).TotalSeconds:+0.00;-0.00} s{(_outageAt is not null && _recoveredAt is null ? " (no primary)" : "")}: {how}");

    void Fail(string kind)
    {
        Interlocked.Increment(ref _failed);
        _kinds.AddOrUpdate(kind, 1, (_, n) => n + 1);
    }
}

/// <summary>A loopback webhook receiver: records each delivery per hook path, answers 200.</summary>
sealed class WebhookReceiver : IDisposable
{
    public sealed record Delivery(string Id, string Event, string Subject);

    readonly HttpListener _listener = new();
    readonly ConcurrentDictionary<string, List<Delivery>> _received = new();
    readonly int _port = Cluster.FreePort();

    public WebhookReceiver()
    {
        _listener.Prefixes.Add($"http://127.0.0.1:{_port}/");
        _listener.Start();
        _ = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                using (var reader = new StreamReader(context.Request.InputStream))
                {
                    var body = JsonNode.Parse(await reader.ReadToEndAsync())!;
                    var list = _received.GetOrAdd(context.Request.Url!.AbsolutePath.Trim('/'), _ => []);
                    lock (list)
                        list.Add(new Delivery((string)body["id"]!, (string)body["event"]!, (string)body["subject"]!));
                }
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        });
    }

    public string Url(string hook) => $"http://127.0.0.1:{_port}/{hook}";

    public List<Delivery> For(string hook)
    {
        var list = _received.GetOrAdd(hook, _ => []);
        lock (list)
            return [.. list];
    }

    public void Dispose() => _listener.Close();
}
