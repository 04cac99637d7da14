using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace NewsApi.ImportBenchmark;

/// <summary>
/// How far search lags behind the articles, read from the service's search queue (Decisions/0015-search-indexer.md):
/// after a burst, until the queue is empty; under a steady rate of writes, each change's time from queued to indexed.
/// </summary>
internal static class SearchLag
{
    /// <summary>Seconds from now until no change waits for the search index, and the rows then in the index.</summary>
    public static async Task<(double Seconds, long Indexed)> UntilCaughtUp(NpgsqlDataSource db, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (await Queued(db) > 0)
        {
            if (watch.Elapsed > limit)
                throw new TimeoutException($"The search queue was not empty after {limit}.");
            await Task.Delay(50);
        }
        return (watch.Elapsed.TotalSeconds, await Scalar(db, "SELECT count(*) FROM article_search_documents"));
    }

    /// <summary>
    /// Writes <paramref name="rate"/> new articles a second for <paramref name="seconds"/> seconds, as one import request
    /// of a tenth of them every 100 ms (each request on its own, so a slow answer does not slow the rate), while the
    /// queue is read every 50 ms: a change's lag is from its queued_at (database clock, in its transaction) to the first
    /// reading without it. Changes queued and indexed between two readings count as 50 ms.
    /// </summary>
    public static async Task<string> Steady(HttpClient http, NpgsqlDataSource db, int rate, int seconds)
    {
        var seen = new Dictionary<long, DateTime>();
        var lags = new List<double>();
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var now = DateTime.MinValue;
                var present = new HashSet<long>();
                await using (var command = db.CreateCommand("SELECT clock_timestamp(), id, queued_at FROM search_queue"))
                await using (var rows = await command.ExecuteReaderAsync())
                    while (await rows.ReadAsync())
                    {
                        now = rows.GetDateTime(0);
                        present.Add(rows.GetInt64(1));
                        seen.TryAdd(rows.GetInt64(1), rows.GetDateTime(2));
                    }
                if (now == DateTime.MinValue)
                    now = (DateTime)(await db.CreateCommand("SELECT clock_timestamp()").ExecuteScalarAsync())!;
                foreach (var (id, queued) in seen.Where(s => !present.Contains(s.Key)).ToList())
                {
                    lags.Add((now - queued).TotalSeconds);
                    seen.Remove(id);
                }
                await Task.Delay(50);
            }
        });

        var perRequest = Math.Max(1, rate / 10);
        var sent = 0;
        var failed = 0;
        var writes = new List<Task>();
        var clock = Stopwatch.StartNew();
        for (var tick = 0; tick < seconds * 10; tick++)
        {
            var wait = TimeSpan.FromMilliseconds(tick * 100) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait);
            var items = Enumerable.Range(sent, perRequest).Select(Item).ToList();
            sent += perRequest;
            writes.Add(Task.Run(async () =>
            {
                using var content = new StringContent(string.Join('\n', items) + "\n", Encoding.UTF8);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
                using var response = await http.PostAsync("/api/v1/import/articles", content);
                var text = await response.Content.ReadAsStringAsync();
                if (!response.IsSuccessStatusCode || !text.Contains("\"created\":" + perRequest, StringComparison.Ordinal))
                    Interlocked.Increment(ref failed);
            }));
        }
        await Task.WhenAll(writes);
        var sendSeconds = clock.Elapsed.TotalSeconds;
        var (tail, _) = await UntilCaughtUp(db, TimeSpan.FromMinutes(5));
        await Task.Delay(200);
        await stop.CancelAsync();
        await reader;

        // Each article is new, so one queue entry each: those never read were queued and indexed between two readings.
        var unseen = Math.Max(0, sent - lags.Count);
        lags.AddRange(Enumerable.Repeat(0.05, unseen));
        lags.Sort();
        double P(double q) => lags.Count == 0 ? 0 : lags[Math.Min(lags.Count - 1, (int)Math.Ceiling(q * lags.Count) - 1)];
        return $"{sent} new articles in {sendSeconds:F1} s ({sent / sendSeconds:F0} writes/s, {perRequest} a request every 100 ms, " +
               $"{failed} request(s) not all created); lag from queued to indexed: p50 {P(0.5):F2} s, p95 {P(0.95):F2} s, " +
               $"p99 {P(0.99):F2} s, max {(lags.Count > 0 ? lags[^1] : 0):F2} s over {lags.Count} changes ({unseen} under 50 ms); " +
               $"queue empty {tail:F1} s after the last write was answered";
    }

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    };

    static string Item(int n) => JsonSerializer.Serialize(new
    {
        externalId = $"steady-{n:D7}",
        title = $"穩定寫入第{n}篇",
        status = "published",
        body = new[] { new { type = "paragraph", text = "世界互聯網大會烏鎮峰會正式落下帷幕，各方代表共話數字未來。" } },
    }, Json);

    /// <summary>Changes waiting for the search index now.</summary>
    public static Task<long> Queued(NpgsqlDataSource db) => Scalar(db, "SELECT count(*) FROM search_queue");

    static async Task<long> Scalar(NpgsqlDataSource db, string sql)
    {
        await using var command = db.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
