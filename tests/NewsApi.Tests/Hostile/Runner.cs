using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using NewsApi.Tests.Infrastructure;

namespace NewsApi.Tests.Hostile;

/// <summary>What came back for one request.</summary>
internal sealed record Answer(HostileRequest Request, int Status, string? MediaType, string Body, string Headers, string? Error);

/// <summary>What a run of one category found: each broken rule names its request.</summary>
internal sealed class Report
{
    public int Sent;
    public int Kestrel;
    public int WritesAccepted;
    public ConcurrentQueue<string> Failures { get; } = new();
    public ConcurrentDictionary<int, int> Statuses { get; } = new();

    /// <summary>The writes that went through, to show what a category let past.</summary>
    public ConcurrentQueue<string> Accepted { get; } = new();

    public string Summary => $"{Sent} sent; statuses {string.Join(", ", Statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}; "
        + $"{Kestrel} bare refusals by Kestrel (NUL in the path, a bad Host); {WritesAccepted} writes accepted";
}

/// <summary>
/// Sends a category's requests and holds every answer to the suite's rules: never a 5xx, every 4xx an RFC 9457
/// problem, nothing non-public in an answer an anonymous caller could get, and nothing stored changed by a request
/// that was refused or could not write. Requests that cannot write go in parallel and are checked against the stored
/// state once; those that could write go a few at a time, each batch checked on its own.
/// </summary>
internal sealed class Runner(ApiFixture fixture, Seeded seeded)
{
    const int Parallelism = 6;
    const int WriteBatch = 12;

    public async Task<Report> Run(IReadOnlyList<HostileRequest> requests)
    {
        var report = new Report();
        var stored = new StoredState(fixture.ConnectionString);
        using var client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false, MaxConnectionsPerServer = Parallelism * 2, UseCookies = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            // Header values go as UTF-8 bytes, as a hostile client would send them, instead of being refused here.
            RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8,
        }) { BaseAddress = fixture.Factory.Address, Timeout = TimeSpan.FromSeconds(20) };

        var before = await stored.Take();
        await Parallel.ForEachAsync(requests.Where(r => !r.MayWrite), new ParallelOptions { MaxDegreeOfParallelism = Parallelism },
            async (request, _) => Check(await Send(client, request), report));
        var changed = StoredState.Changed(before, await stored.Take());
        if (changed.Count > 0)
            report.Failures.Enqueue($"Requests that cannot write changed {string.Join(", ", changed)}");

        foreach (var batch in requests.Where(r => r.MayWrite).Chunk(WriteBatch))
        {
            var answers = await Task.WhenAll(batch.Select(r => Send(client, r)));
            foreach (var answer in answers)
                Check(answer, report);
            var accepted = answers.Where(a => a.Status is >= 200 and < 400).ToList();
            Interlocked.Add(ref report.WritesAccepted, accepted.Count);
            foreach (var a in accepted)
                report.Accepted.Enqueue($"{a.Status} {a.Request}");
            changed = StoredState.Changed(before, before = await stored.Take());
            if (changed.Count == 0)
                continue;
            if (accepted.Count == 0)
            {
                report.Failures.Enqueue($"Refused writes changed {string.Join(", ", changed)}: {string.Join("; ", batch.Select(r => r.ToString()))}");
                continue;
            }
            // Something was written, and some write went through: the refused ones are sent again, one at a time,
            // to tell whether they had a part in it.
            before = await Settled(stored);
            foreach (var refused in answers.Except(accepted).Select(a => a.Request))
            {
                var again = await Send(client, refused);
                changed = StoredState.Changed(before, before = await stored.Take());
                if (again.Status >= 400 && changed.Count > 0)
                    report.Failures.Enqueue($"{refused} was refused and changed {string.Join(", ", changed)}");
            }
            // The next batch is judged against what the accepted writes left once all their work has landed.
            before = await Settled(stored);
        }
        return report;
    }

    /// <summary>
    /// The stored state once it stops moving: an accepted write may finish work after its answer (an import's last
    /// batch rendered, logged for sync), which on a loaded machine can land during the next batch and be blamed on it.
    /// </summary>
    static async Task<Dictionary<string, string>> Settled(StoredState stored)
    {
        var state = await stored.Take();
        for (var i = 0; i < 50; i++)
        {
            await Task.Delay(100);
            var again = await stored.Take();
            if (StoredState.Changed(state, again).Count == 0)
                return again;
            state = again;
        }
        return state;
    }

    async Task<Answer> Send(HttpClient client, HostileRequest r)
    {
        using var message = new HttpRequestMessage(new HttpMethod(r.Method), new Uri(r.Url, UriKind.Relative));
        if (r.Body is not null)
        {
            message.Content = new ByteArrayContent(r.Body);
            if (r.ContentType is not null)
                message.Content.Headers.TryAddWithoutValidation("Content-Type", r.ContentType);
        }
        if (r.Credential is Credential.Admin or Credential.Previewer)
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", r.Credential == Credential.Admin ? seeded.AdminKey : seeded.PreviewerKey);
        foreach (var (name, value) in r.Headers)
            if (!message.Headers.TryAddWithoutValidation(name, value))
                (message.Content ??= new ByteArrayContent([])).Headers.TryAddWithoutValidation(name, value);
        try
        {
            using var response = await client.SendAsync(message);
            var body = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
            var headers = string.Join("\n", response.Headers.Concat(response.Content.Headers).Select(h => $"{h.Key}: {string.Join(",", h.Value)}"));
            return new Answer(r, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, headers, null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            return new Answer(r, 0, null, "", "", e.GetType().Name + ": " + e.Message);
        }
    }

    static void Check(Answer a, Report report)
    {
        Interlocked.Increment(ref report.Sent);
        report.Statuses.AddOrUpdate(a.Status, 1, (_, n) => n + 1);
        var r = a.Request;
        if (a.Error is not null)
        {
            report.Failures.Enqueue($"{r}: no answer ({a.Error})");
            return;
        }
        if (a.Status >= 500)
            report.Failures.Enqueue($"{r}: {a.Status} {Short(a.Body)}");
        if (r.Expect is { } expected && a.Status != expected)
            report.Failures.Enqueue($"{r}: expected {expected}, got {a.Status} {Short(a.Body)}");
        if (a.Status is >= 400 and < 500)
        {
            if (a is { Body: "", MediaType: null, Status: 400 } && r.KestrelRefuses)
                Interlocked.Increment(ref report.Kestrel);
            else if (r.Method != "HEAD" && Problem(a) is { } wrong)
                report.Failures.Enqueue($"{r}: {a.Status} is not a problem ({wrong}): {a.MediaType} {Short(a.Body)}");
        }
        if (r.Public && Seeded.Markers.FirstOrDefault(m => a.Body.Contains(m, StringComparison.OrdinalIgnoreCase)
                || a.Headers.Contains(m, StringComparison.OrdinalIgnoreCase)) is { } marker)
            report.Failures.Enqueue($"{r}: {a.Status} shows non-public content ({marker})");
    }

    /// <summary>What is wrong with an error answer as an RFC 9457 problem, or null when nothing is.</summary>
    static string? Problem(Answer a)
    {
        if (a.MediaType != "application/problem+json")
            return "media type";
        try
        {
            using var json = JsonDocument.Parse(a.Body);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return "not an object";
            if (!root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || !Uri.TryCreate(type.GetString(), UriKind.RelativeOrAbsolute, out _))
                return "type";
            if (!root.TryGetProperty("title", out var title) || title.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(title.GetString()))
                return "title";
            if (!root.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.Number || !status.TryGetInt32(out var code) || code != a.Status)
                return "status";
            return null;
        }
        catch (JsonException)
        {
            return "not JSON";
        }
    }

    static string Short(string body) => body.Length > 300 ? body[..300] + "…" : body;
}
