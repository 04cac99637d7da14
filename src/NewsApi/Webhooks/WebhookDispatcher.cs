using System.Data.Common;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using NewsApi.Data;
using NewsApi.Data.Entities;
using NewsApi.Scheduling;
using Npgsql;

namespace NewsApi.Webhooks;

/// <summary>
/// Delivers outbox events to webhooks. Two steps, both safe with any number of instances on one database:
/// fan-out turns each new event into one pending delivery per webhook that wants it (one instance at a time, under
/// an advisory lock, so deliveries are created in event order); sending posts each webhook's oldest pending
/// delivery while holding that webhook's row lock (<c>FOR UPDATE SKIP LOCKED</c>), so a webhook receives its
/// deliveries one at a time, in order, and no delivery is sent by two instances at once. Nothing is kept in memory:
/// a restart, or a crash mid-send, leaves the delivery pending to be sent again (at least once).
/// </summary>
internal sealed class WebhookDispatcher(
    IServiceScopeFactory scopes, IHttpClientFactory clients, TimeProvider clock, IOptions<WebhookOptions> options, ILogger<WebhookDispatcher> logger)
    : PollingService(clock, logger)
{
    public const string ClientName = "webhooks";
    const int Batch = 100;
    const int MaxSendsPerRun = 1000;

    /// <summary>Key of the transaction-level advisory lock that lets one instance fan out at a time.</summary>
    const long FanOutLock = 0x4E_65_77_73_57_48_01;

    static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    protected override bool Enabled => options.Value.Enabled;

    protected override TimeSpan Interval => options.Value.Interval;

    protected override (string Job, string Unit) Names => ("Webhook dispatcher", "delivery attempt(s)");

    protected override Task<int> RunAsync(CancellationToken ct) => RunOnceAsync(ct);

    /// <summary>Fans out every new event, then makes every delivery attempt that is due now; returns how many attempts it made.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        while (await FanOutAsync(ct) == Batch)
        {
        }
        var workers = Enumerable.Range(0, Math.Max(1, options.Value.Concurrency)).Select(_ => SendDueAsync(ct));
        return (await Task.WhenAll(workers)).Sum();
    }

    async Task<int> FanOutAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var connection = db.Database.GetDbConnection();
        var tx = transaction.GetDbTransaction();

        // Another instance is fanning out: the events are in its hands, and ordering needs one at a time.
        if (await Scalar(connection, tx, "SELECT pg_try_advisory_xact_lock(@key)", ct, ("key", FanOutLock)) is not true)
            return 0;

        var events = new List<(long Id, string Type)>();
        await using (var command = Command(connection, tx,
                         "SELECT id, type FROM outbox_events WHERE dispatched_at IS NULL ORDER BY id LIMIT @batch FOR UPDATE SKIP LOCKED", ("batch", Batch)))
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                events.Add((reader.GetInt64(0), reader.GetString(1)));
        if (events.Count == 0)
            return 0;

        var webhooks = await db.Webhooks.AsNoTracking().Where(w => w.Active).OrderBy(w => w.Id).Select(w => new { w.Id, w.Events }).ToListAsync(ct);
        var rows = (from e in events from w in webhooks where w.Events.Contains(e.Type) select (Id: Guid.CreateVersion7(), Webhook: w.Id, Event: e.Id, e.Type)).ToList();
        var now = Clock.GetUtcNow();
        // One statement, rows in event order, so the database numbers each webhook's deliveries in the order of its events.
        await Execute(connection, tx, """
            INSERT INTO webhook_deliveries (id, webhook_id, event_id, event_type, status, attempts, next_attempt_at, created_at)
            SELECT d.id, d.webhook_id, d.event_id, d.event_type, 'Pending', 0, @now, @now
            FROM unnest(@ids, @webhooks, @events, @types) WITH ORDINALITY AS d(id, webhook_id, event_id, event_type, n)
            ORDER BY d.n
            """, ct, ("now", now), ("ids", rows.Select(r => r.Id).ToArray()), ("webhooks", rows.Select(r => r.Webhook).ToArray()),
            ("events", rows.Select(r => r.Event).ToArray()), ("types", rows.Select(r => r.Type).ToArray()));
        await Execute(connection, tx, "UPDATE outbox_events SET dispatched_at = @now WHERE id = ANY(@ids)", ct,
            ("now", now), ("ids", events.Select(e => e.Id).ToArray()));
        await transaction.CommitAsync(ct);
        return events.Count;
    }

    async Task<int> SendDueAsync(CancellationToken ct)
    {
        var sent = 0;
        for (var i = 0; i < MaxSendsPerRun; i++)
        {
            var outcome = await SendOneAsync(ct);
            if (outcome == Outcome.NothingDue)
                break;
            if (outcome == Outcome.Sent)
                sent++;
        }
        return sent;
    }

    enum Outcome { NothingDue, Sent, Skipped }

    async Task<Outcome> SendOneAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        var now = Clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);

        // Lock a webhook whose oldest pending delivery is due and that no other instance is sending to.
        var webhookId = await Scalar(db.Database.GetDbConnection(), transaction.GetDbTransaction(), """
            SELECT w.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
            WHERE d.status = 'Pending' AND d.next_attempt_at <= @now AND w.active
              AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.webhook_id = d.webhook_id AND e.status = 'Pending' AND e.sequence < d.sequence)
            ORDER BY d.next_attempt_at, d.sequence
            LIMIT 1
            FOR UPDATE OF w SKIP LOCKED
            """, ct, ("now", now)) as Guid?;
        if (webhookId is null)
            return Outcome.NothingDue;

        // Read again now that the lock is held: the statement above may have seen the webhook before another
        // instance finished sending to it, and this read sees everything committed before the lock was granted.
        var delivery = await db.WebhookDeliveries.Where(d => d.WebhookId == webhookId && d.Status == DeliveryStatus.Pending)
            .OrderBy(d => d.Sequence).FirstOrDefaultAsync(ct);
        if (delivery is null || delivery.NextAttemptAt > now)
            return Outcome.Skipped;
        var webhook = await db.Webhooks.AsNoTracking().SingleAsync(w => w.Id == webhookId, ct);
        var outboxEvent = await db.OutboxEvents.AsNoTracking().SingleAsync(e => e.Id == delivery.EventId, ct);

        var attempt = await Send(webhook, delivery, outboxEvent, now, ct);
        Record(delivery, attempt, now);
        db.WebhookDeliveryAttempts.Add(new WebhookDeliveryAttempt
        {
            DeliveryId = delivery.Id, Number = delivery.Attempts, At = now,
            StatusCode = attempt.StatusCode, DurationMs = attempt.DurationMs, Error = attempt.Error,
        });
        // The attempt and the delivery's new state commit together, so the log never shows an attempt the row does not count.
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        if (attempt.Error is not null)
            logger.LogWarning("Webhook {Webhook} delivery {Delivery} attempt {Attempt} failed: {Error}", webhook.Id, delivery.Id, delivery.Attempts, attempt.Error);
        return Outcome.Sent;
    }

    sealed record Attempt(int? StatusCode, string? Error, int DurationMs);

    async Task<Attempt> Send(Webhook webhook, WebhookDelivery delivery, OutboxEvent outboxEvent, DateTimeOffset now, CancellationToken ct)
    {
        var body = Payload(delivery, outboxEvent);
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookSignature.EventHeader, delivery.EventType);
        request.Headers.Add(WebhookSignature.DeliveryHeader, delivery.Id.ToString());
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(webhook.Secret, now.ToUnixTimeSeconds(), body));

        var client = clients.CreateClient(ClientName);
        var started = Stopwatch.GetTimestamp();
        int Elapsed() => (int)Math.Min(int.MaxValue, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(options.Value.Timeout);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            return new Attempt(status, response.IsSuccessStatusCode ? null : $"the receiver answered {status} {response.ReasonPhrase}".Trim(), Elapsed());
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new Attempt(null, $"no answer within {options.Value.Timeout.TotalSeconds:0.#} s", Elapsed());
        }
        catch (HttpRequestException e)
        {
            return new Attempt(null, Describe(e), Elapsed());
        }
    }

    /// <summary>A few words on a failed connection: the refusal's own message, else the innermost cause, never a URL's secrets.</summary>
    static string Describe(HttpRequestException e)
    {
        Exception inner = e;
        while (inner.InnerException is { } next)
            inner = next;
        var text = inner is TargetRefusedException ? inner.Message : e.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => "the receiver's host name could not be resolved",
            HttpRequestError.ConnectionError => $"could not connect: {inner.Message}",
            HttpRequestError.SecureConnectionError => $"TLS failed: {inner.Message}",
            _ => inner.Message,
        };
        return text.Length <= 500 ? text : text[..500];
    }

    void Record(WebhookDelivery delivery, Attempt attempt, DateTimeOffset now)
    {
        delivery.Attempts++;
        delivery.LastAttemptAt = now;
        delivery.LastStatusCode = attempt.StatusCode;
        delivery.LastDurationMs = attempt.DurationMs;
        delivery.LastError = attempt.Error;
        if (attempt.Error is null)
        {
            delivery.Status = DeliveryStatus.Succeeded;
            delivery.DeliveredAt = Clock.GetUtcNow();
        }
        else if (delivery.Attempts >= options.Value.MaxAttempts)
            delivery.Status = DeliveryStatus.Failed;
        else
            delivery.NextAttemptAt = now + Backoff(delivery.Attempts, options.Value);
    }

    /// <summary>BaseDelay·2^(attempts−1), at most MaxDelay, times a random 0.5–1.5 so failed receivers are not hit in step.</summary>
    public static TimeSpan Backoff(int attempts, WebhookOptions options)
    {
        var exponential = options.BaseDelay * Math.Pow(2, Math.Min(attempts - 1, 30));
        var capped = exponential < options.MaxDelay ? exponential : options.MaxDelay;
        return capped * (0.5 + Random.Shared.NextDouble());
    }

    /// <summary>The body receivers get: the delivery id (for de-duplication), the event, its subject and time, and its data.</summary>
    public static byte[] Payload(WebhookDelivery delivery, OutboxEvent outboxEvent) => JsonSerializer.SerializeToUtf8Bytes(
        new WebhookPayload(delivery.Id, outboxEvent.Type, outboxEvent.Subject, outboxEvent.At, outboxEvent.Data), PayloadJson);

    static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
            command.Parameters.Add(new NpgsqlParameter(name, value));
        return command;
    }

    static async Task<object?> Scalar(DbConnection connection, DbTransaction transaction, string sql, CancellationToken ct, params (string, object)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteScalarAsync(ct);
    }

    static async Task Execute(DbConnection connection, DbTransaction transaction, string sql, CancellationToken ct, params (string, object)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        await command.ExecuteNonQueryAsync(ct);
    }
}

internal static class WebhookSetup
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<WebhookOptions>().Bind(config.GetSection(WebhookOptions.Section))
            .Validate(o => o.Interval > TimeSpan.Zero && o.Timeout > TimeSpan.Zero, "Webhooks:Interval and Webhooks:Timeout must be positive.")
            .Validate(o => o.MaxAttempts >= 1 && o.Concurrency >= 1, "Webhooks:MaxAttempts and Webhooks:Concurrency must be at least 1.")
            .Validate(o => o.BaseDelay > TimeSpan.Zero && o.MaxDelay >= o.BaseDelay, "Webhooks:BaseDelay must be positive and at most Webhooks:MaxDelay.")
            .ValidateOnStart();
        services.AddHttpClient(WebhookDispatcher.ClientName, c =>
            {
                // The dispatcher applies Webhooks:Timeout itself; this only stops the default 100 s from cutting in first.
                c.Timeout = Timeout.InfiniteTimeSpan;
                c.DefaultRequestHeaders.UserAgent.ParseAdd("NewsApi-Webhooks/1");
            })
            // The client's own logs would write each URL, and URLs often carry a receiver's token; the dispatcher logs the webhook id.
            .RemoveAllLoggers()
            .ConfigurePrimaryHttpMessageHandler(s => new SocketsHttpHandler
            {
                // Redirects and proxies would take the request somewhere the address check never saw.
                AllowAutoRedirect = false,
                UseProxy = false,
                UseCookies = false,
                ConnectCallback = WebhookTargets.Connect(s.GetRequiredService<IOptions<WebhookOptions>>().Value.AllowPrivateTargets),
            });
        services.ConfigureSwaggerGen(o => o.OperationFilter<WebhookOpenApi>());
        services.AddSingleton<WebhookDispatcher>();
        services.AddHostedService(s => s.GetRequiredService<WebhookDispatcher>());
        return services;
    }
}
