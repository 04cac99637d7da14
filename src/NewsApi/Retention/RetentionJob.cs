using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsApi.Data;
using NewsApi.Scheduling;

namespace NewsApi.Retention;

/// <summary>How many rows one pruning run deleted from each table, and in how many statements.</summary>
internal sealed record Pruned(int AuditEntries, int OutboxEvents, int WebhookDeliveries, int IdempotencyRecords, int CacheInvalidations, int Statements,
    int SyncChanges = 0)
{
    public int Total => AuditEntries + OutboxEvents + WebhookDeliveries + IdempotencyRecords + CacheInvalidations + SyncChanges;
}

/// <summary>
/// Deletes what the service no longer needs, after the periods of the <c>Retention</c> section, so the logs it
/// writes on every request and event do not grow for ever. Only finished rows go: an outbox event not yet fanned
/// out, or one a delivery still refers to, a pending delivery, an idempotency key before its expiry are kept. Each
/// statement deletes at most <see cref="RetentionOptions.BatchSize"/> rows in its own transaction, skipping rows
/// another transaction holds, so writers never wait long on it and any number of instances may run it.
/// </summary>
internal sealed class RetentionJob(IServiceScopeFactory scopes, TimeProvider clock, IOptions<RetentionOptions> options, ILogger<RetentionJob> logger)
    : PollingService(clock, logger)
{
    protected override bool Enabled => options.Value.Enabled;

    protected override TimeSpan Interval => options.Value.Interval;

    protected override (string Job, string Unit) Names => ("Retention", "old row(s) deleted");

    protected override async Task<int> RunAsync(CancellationToken ct) => (await PruneOnceAsync(ct)).Total;

    /// <summary>One run with the configured settings: deletes everything past its period, batch by batch, and returns the counts.</summary>
    public Task<Pruned> PruneOnceAsync(CancellationToken ct) => PruneOnceAsync(options.Value, ct);

    /// <summary>One run with the settings given (tests use a small batch).</summary>
    public async Task<Pruned> PruneOnceAsync(RetentionOptions o, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        var now = Clock.GetUtcNow();
        var n = o.BatchSize;
        var statements = 0;

        async Task<int> Drain(Func<FormattableString> batch)
        {
            var total = 0;
            int deleted;
            do
            {
                deleted = await db.Database.ExecuteSqlAsync(batch(), ct);
                statements++;
                total += deleted;
            } while (deleted == n && !ct.IsCancellationRequested);
            return total;
        }

        var audit = now - o.AuditEntries;
        var auditEntries = await Drain(() => $"""
            DELETE FROM audit_entries WHERE id IN (
                SELECT id FROM audit_entries WHERE at < {audit} ORDER BY at LIMIT {n} FOR UPDATE SKIP LOCKED)
            """);

        // Their attempts go with them (the foreign key cascades). Deliveries first: they keep their events alive.
        var deliveriesBefore = now - o.WebhookDeliveries;
        var webhookDeliveries = await Drain(() => $"""
            DELETE FROM webhook_deliveries WHERE id IN (
                SELECT id FROM webhook_deliveries WHERE status <> 'Pending' AND last_attempt_at < {deliveriesBefore}
                ORDER BY last_attempt_at LIMIT {n} FOR UPDATE SKIP LOCKED)
            """);

        // An event still referred to by a delivery is kept: deleting it would cascade to that delivery, pending or
        // not, and a replay needs it. Events with no webhook that wanted them are fanned out too, to nobody.
        var eventsBefore = now - o.OutboxEvents;
        var outboxEvents = await Drain(() => $"""
            DELETE FROM outbox_events WHERE id IN (
                SELECT e.id FROM outbox_events e
                WHERE e.dispatched_at < {eventsBefore} AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id)
                ORDER BY e.dispatched_at LIMIT {n} FOR UPDATE SKIP LOCKED)
            """);

        // An expired key is one a retry no longer finds (Idempotency reads only unexpired ones), a crashed claim's lease included.
        var idempotencyRecords = await Drain(() => $"""
            DELETE FROM idempotency_records WHERE key IN (
                SELECT key FROM idempotency_records WHERE expires_at <= {now} ORDER BY expires_at LIMIT {n} FOR UPDATE SKIP LOCKED)
            """);

        var invalidationsBefore = now - o.CacheInvalidations;
        var cacheInvalidations = await Drain(() => $"""
            DELETE FROM cache_invalidations WHERE id IN (
                SELECT id FROM cache_invalidations WHERE at < {invalidationsBefore} ORDER BY at LIMIT {n} FOR UPDATE SKIP LOCKED)
            """);

        var syncBefore = now - o.SyncChanges - TimeSpan.FromHours(1);
        var syncChanges = await Drain(() => $"""
            DELETE FROM sync_changes WHERE (xid, seq) IN (
                SELECT xid, seq FROM sync_changes WHERE at < {syncBefore} ORDER BY at LIMIT {n} FOR UPDATE SKIP LOCKED)
            """);

        return new Pruned(auditEntries, outboxEvents, webhookDeliveries, idempotencyRecords, cacheInvalidations, statements, syncChanges);
    }
}

internal static class RetentionSetup
{
    public static IServiceCollection AddRetention(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<RetentionOptions>().Bind(config.GetSection(RetentionOptions.Section))
            .Validate(o => o.Interval > TimeSpan.Zero, "Retention:Interval must be positive.")
            .Validate(o => o.BatchSize is >= 1 and <= 100_000, "Retention:BatchSize must be between 1 and 100000.")
            // Shorter than these would delete what is still in use: an invalidation other instances have yet to read,
            // a delivery an admin is looking into.
            .Validate(o => o.CacheInvalidations >= TimeSpan.FromMinutes(1), "Retention:CacheInvalidations must be at least 00:01:00.")
            .Validate(o => o.SyncChanges >= TimeSpan.FromHours(1), "Retention:SyncChanges must be at least 01:00:00.")
            .Validate(o => o.AuditEntries > TimeSpan.Zero && o.OutboxEvents > TimeSpan.Zero && o.WebhookDeliveries > TimeSpan.Zero,
                "Retention:AuditEntries, Retention:OutboxEvents and Retention:WebhookDeliveries must be positive.")
            .ValidateOnStart();
        services.AddSingleton<RetentionJob>();
        services.AddHostedService(s => s.GetRequiredService<RetentionJob>());
        return services;
    }
}
