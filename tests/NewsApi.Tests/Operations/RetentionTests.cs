using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NewsApi.Data;
using NewsApi.Data.Entities;
using NewsApi.Retention;
using NewsApi.Tests.Infrastructure;

namespace NewsApi.Tests.Operations;

/// <summary>What the retention job deletes and, as much, what it must keep: rows past their period go, pending ones stay.</summary>
public sealed class RetentionTests(ApiFixture fixture) : ApiTest(fixture)
{
    RetentionJob Job => Fixture.Factory.Services.GetRequiredService<RetentionJob>();
    DateTimeOffset Now => Clock.GetUtcNow();

    static readonly TimeSpan Day = TimeSpan.FromDays(1);

    static AuditEntry Audit(DateTimeOffset at, string target) =>
        new() { At = at, Actor = "desk", Action = "createArticle", Target = target, Status = 201, Outcome = "succeeded" };

    static OutboxEvent Event(string subject, DateTimeOffset at, DateTimeOffset? dispatchedAt) =>
        new() { Type = "article.published", Subject = subject, Data = new JsonObject(), At = at, DispatchedAt = dispatchedAt };

    static WebhookDelivery Delivery(Guid webhook, OutboxEvent e, DeliveryStatus status, DateTimeOffset lastAttempt) => new()
    {
        WebhookId = webhook, EventId = e.Id, EventType = e.Type, Status = status, Attempts = 2, CreatedAt = lastAttempt - Day,
        NextAttemptAt = lastAttempt + TimeSpan.FromHours(1), LastAttemptAt = lastAttempt, LastStatusCode = 503,
    };

    [Fact]
    public async Task Each_kind_of_row_past_its_period_is_pruned_and_younger_or_pending_rows_are_kept()
    {
        var webhook = new Webhook { Url = "https://receiver.example/hook", Events = ["article.published"], Secret = "a-secret-of-at-least-24-chars", CreatedAt = Now, UpdatedAt = Now };
        var old = Now - 31 * Day;
        var events = new Dictionary<string, OutboxEvent>
        {
            ["fanned out long ago, no delivery"] = Event("gone", old - Day, old),
            ["fanned out long ago, its delivery pending"] = Event("pending-delivery", old - Day, old),
            ["fanned out long ago, its delivery finished long ago"] = Event("finished-delivery", old - Day, old),
            ["fanned out long ago, its delivery finished lately"] = Event("recent-delivery", old - Day, old),
            ["fanned out lately"] = Event("recent", Now - 29 * Day, Now - 29 * Day),
            ["never fanned out"] = Event("undispatched", Now - 100 * Day, null),
        };
        await using (var db = Fixture.NewDbContext())
        {
            db.AuditEntries.AddRange(Audit(Now - 91 * Day, "/old"), Audit(Now - 89 * Day, "/young"));
            db.Webhooks.Add(webhook);
            db.OutboxEvents.AddRange(events.Values);
            db.IdempotencyRecords.AddRange(
                new IdempotencyRecord { Key = "expired", RequestHash = new string('a', 64), Result = [1], CreatedAt = Now - 2 * Day, ExpiresAt = Now - TimeSpan.FromSeconds(1) },
                new IdempotencyRecord { Key = "abandoned-claim", CreatedAt = Now - TimeSpan.FromMinutes(10), ExpiresAt = Now - TimeSpan.FromMinutes(5) },
                new IdempotencyRecord { Key = "live", RequestHash = new string('b', 64), Result = [1], CreatedAt = Now, ExpiresAt = Now + TimeSpan.FromMinutes(1) });
            db.CacheInvalidations.AddRange(
                new CacheInvalidation { Tags = ["old"], At = Now - TimeSpan.FromMinutes(61) },
                new CacheInvalidation { Tags = ["young"], At = Now - TimeSpan.FromMinutes(59) });
            await db.SaveChangesAsync();
        }
        var pending = Delivery(webhook.Id, events["fanned out long ago, its delivery pending"], DeliveryStatus.Pending, old - 10 * Day);
        var succeeded = Delivery(webhook.Id, events["fanned out long ago, its delivery finished long ago"], DeliveryStatus.Succeeded, old);
        var failed = Delivery(webhook.Id, events["fanned out long ago, its delivery finished long ago"], DeliveryStatus.Failed, old);
        var recent = Delivery(webhook.Id, events["fanned out long ago, its delivery finished lately"], DeliveryStatus.Succeeded, Now - 29 * Day);
        await using (var db = Fixture.NewDbContext())
        {
            db.WebhookDeliveries.AddRange(pending, succeeded, failed, recent);
            await db.SaveChangesAsync();
            db.WebhookDeliveryAttempts.AddRange(
                new WebhookDeliveryAttempt { DeliveryId = succeeded.Id, Number = 1, At = old - Day, StatusCode = 503, DurationMs = 4, Error = "the receiver answered 503" },
                new WebhookDeliveryAttempt { DeliveryId = succeeded.Id, Number = 2, At = old, StatusCode = 200, DurationMs = 3 },
                new WebhookDeliveryAttempt { DeliveryId = recent.Id, Number = 1, At = Now - 29 * Day, StatusCode = 200, DurationMs = 3 });
            await db.SaveChangesAsync();
        }

        var pruned = await Job.PruneOnceAsync(CancellationToken.None);

        Assert.Equal(new Pruned(AuditEntries: 1, OutboxEvents: 2, WebhookDeliveries: 2, IdempotencyRecords: 2, CacheInvalidations: 1, Statements: 6, SyncChanges: 0), pruned);
        await using var after = Fixture.NewDbContext();
        Assert.Equal(["/young"], await after.AuditEntries.Select(a => a.Target).ToListAsync());
        Assert.Equal(["pending-delivery", "recent", "recent-delivery", "undispatched"],
            await after.OutboxEvents.Select(e => e.Subject).OrderBy(s => s).ToListAsync());
        Assert.Equal(new[] { pending.Id, recent.Id }.Order(), (await after.WebhookDeliveries.Select(d => d.Id).ToListAsync()).Order());
        Assert.Equal([recent.Id], await after.WebhookDeliveryAttempts.Select(a => a.DeliveryId).ToListAsync()); // gone with their delivery
        Assert.Equal(["live"], await after.IdempotencyRecords.Select(r => r.Key).ToListAsync());
        Assert.Equal([["young"]], await after.CacheInvalidations.Select(i => i.Tags).ToListAsync());

        Assert.Equal(0, (await Job.PruneOnceAsync(CancellationToken.None)).Total); // nothing more to do
    }

    [Fact]
    public async Task Rows_are_deleted_in_statements_of_at_most_the_batch_size()
    {
        await using (var db = Fixture.NewDbContext())
        {
            db.AuditEntries.AddRange(Enumerable.Range(1, 5).Select(i => Audit(Now - (100 + i) * Day, $"/old-{i}")));
            db.AuditEntries.Add(Audit(Now, "/today"));
            await db.SaveChangesAsync();
        }
        var options = Fixture.Factory.Services.GetRequiredService<IOptions<RetentionOptions>>().Value;
        Assert.Equal(1000, options.BatchSize); // the documented default
        var small = new RetentionOptions { BatchSize = 2 };

        var pruned = await Job.PruneOnceAsync(small, CancellationToken.None);

        // 2 + 2 + 1 for the audit log, one statement each for the five other tables, which had nothing to delete.
        Assert.Equal(5, pruned.AuditEntries);
        Assert.Equal(3 + 5, pruned.Statements);
        await using var after = Fixture.NewDbContext();
        Assert.Equal(["/today"], await after.AuditEntries.Select(a => a.Target).ToListAsync());
    }

    [Fact]
    public async Task The_job_runs_on_its_own_at_start_and_refuses_a_batch_size_of_zero()
    {
        await using (var db = Fixture.NewDbContext())
        {
            db.AuditEntries.AddRange(Audit(Now - 91 * Day, "/old"), Audit(Now, "/today"));
            await db.SaveChangesAsync();
        }
        var quiet = new Dictionary<string, string> { ["Webhooks:Enabled"] = "false", ["Scheduler:Enabled"] = "false" };

        await using (var refused = new ApiFactory(Fixture.ConnectionString, new FakeTimeProvider(Now), settings: new(quiet) { ["Retention:BatchSize"] = "0" }))
        {
            Assert.Contains("Retention:BatchSize", refused.StartRefusal());
        }

        await using var host = new ApiFactory(Fixture.ConnectionString, new FakeTimeProvider(Now), settings: new(quiet) { ["Retention:Enabled"] = "true" });
        host.StartServer();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        List<string> left;
        do
        {
            await Task.Delay(100);
            await using var db = Fixture.NewDbContext();
            left = await db.AuditEntries.Select(a => a.Target).ToListAsync();
        } while (left.Count > 1 && DateTime.UtcNow < deadline);
        Assert.Equal(["/today"], left);
    }
}
