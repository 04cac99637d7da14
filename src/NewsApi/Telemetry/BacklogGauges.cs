using System.Data.Common;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsApi.Api;
using NewsApi.Data;

namespace NewsApi.Telemetry;

/// <summary>
/// The work waiting in PostgreSQL, as gauges on the <c>NewsApi</c> meter: outbox events not yet fanned out to the
/// webhooks and pending webhook deliveries, each with the age of its oldest. Counted every
/// <see cref="TelemetryOptions.BacklogInterval"/> by one short statement, not on each scrape, so a scrape never waits
/// for the database. Every instance reports the same database-wide figures: aggregate them with max, not sum. While
/// the database cannot be reached the gauges report nothing rather than an old figure.
/// </summary>
internal sealed class BacklogGauges : BackgroundService
{
    public const string OutboxBacklog = "newsapi.outbox.backlog";
    public const string OutboxOldest = "newsapi.outbox.oldest_age";
    public const string WebhookBacklog = "newsapi.webhooks.backlog";
    public const string WebhookOldest = "newsapi.webhooks.oldest_age";

    sealed record Sample(long Outbox, double OutboxAge, long Webhooks, double WebhooksAge);

    readonly IServiceScopeFactory _scopes;
    readonly TimeProvider _clock;
    readonly TelemetryOptions _options;
    readonly ILogger<BacklogGauges> _logger;
    volatile Sample? _last;

    public BacklogGauges(IServiceScopeFactory scopes, TimeProvider clock, IOptions<TelemetryOptions> options, IMeterFactory meters,
        ILogger<BacklogGauges> logger)
    {
        _scopes = scopes;
        _clock = clock;
        _options = options.Value;
        _logger = logger;
        var meter = meters.Create(NewsMetrics.MeterName);
        meter.CreateObservableGauge(OutboxBacklog, () => Observe(s => s.Outbox), "{event}",
            "Outbox events not yet fanned out to the webhooks that want them.");
        meter.CreateObservableGauge(OutboxOldest, () => Observe(s => s.OutboxAge), "s",
            "Age of the oldest outbox event not yet fanned out (0 when none waits).");
        meter.CreateObservableGauge(WebhookBacklog, () => Observe(s => s.Webhooks), "{delivery}",
            "Webhook deliveries pending: not yet sent, or failed and waiting for their next attempt.");
        meter.CreateObservableGauge(WebhookOldest, () => Observe(s => s.WebhooksAge), "s",
            "Age of the oldest pending webhook delivery (0 when none waits).");
    }

    IEnumerable<Measurement<T>> Observe<T>(Func<Sample, T> value) where T : struct =>
        _last is { } sample ? [new Measurement<T>(value(sample))] : [];

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        if (!_options.Metrics)
            return;
        // Wall-clock turns (not the content clock, which tests hold still); ages by the content clock that stamped the rows.
        using var timer = new PeriodicTimer(_options.BacklogInterval);
        do
        {
            try
            {
                _last = await CountAsync(stopping);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                _last = null;
                _logger.LogWarning("The backlog gauges could not be counted: {Reason}", e.GetType().Name);
            }
        } while (await Next(timer, stopping));
    }

    static async Task<bool> Next(PeriodicTimer timer, CancellationToken stopping)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stopping);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    async Task<Sample> CountAsync(CancellationToken ct)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            // Both use the partial indexes of the pending rows (ix_outbox_events_pending, ix_webhook_deliveries_due).
            await using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT (SELECT count(*) FROM outbox_events WHERE dispatched_at IS NULL),
                       (SELECT min(at) FROM outbox_events WHERE dispatched_at IS NULL),
                       (SELECT count(*) FROM webhook_deliveries WHERE status = 'Pending'),
                       (SELECT min(created_at) FROM webhook_deliveries WHERE status = 'Pending')
                """;
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            var now = _clock.GetUtcNow();
            return new Sample(reader.GetInt64(0), Age(reader, 1, now), reader.GetInt64(2), Age(reader, 3, now));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    static double Age(DbDataReader reader, int column, DateTimeOffset now) =>
        reader.IsDBNull(column) ? 0 : Math.Max(0, (now - reader.GetFieldValue<DateTimeOffset>(column)).TotalSeconds);
}
