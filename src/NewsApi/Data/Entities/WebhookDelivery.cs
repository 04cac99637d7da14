using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NewsApi.Data.Entities;

internal enum DeliveryStatus { Pending, Succeeded, Failed }

/// <summary>
/// One outbox event on its way to one webhook. Its id travels in the NewsApi-Delivery header, so a receiver that
/// gets the same delivery twice (at-least-once) can tell.
/// </summary>
internal sealed class WebhookDelivery
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>Creation order, assigned by the database: a webhook's deliveries are sent in this order.</summary>
    public long Sequence { get; set; }

    public Guid WebhookId { get; set; }
    public long EventId { get; set; }
    public required string EventType { get; set; }

    /// <summary>The delivery this one replays, when an admin asked for it again.</summary>
    public Guid? ReplayOf { get; set; }

    public DeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? LastAttemptAt { get; set; }
    public int? LastStatusCode { get; set; }

    /// <summary>What went wrong, in a few words: never the secret, the signature or the receiver's body.</summary>
    public string? LastError { get; set; }

    public int? LastDurationMs { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> d)
    {
        d.Property(x => x.Id).ValueGeneratedNever();
        d.Property(x => x.Sequence).UseIdentityAlwaysColumn();
        d.Property(x => x.EventType).HasMaxLength(50);
        d.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        d.Property(x => x.LastError).HasMaxLength(500);
        d.HasOne<Webhook>().WithMany().HasForeignKey(x => x.WebhookId).OnDelete(DeleteBehavior.Cascade);
        d.HasOne<OutboxEvent>().WithMany().HasForeignKey(x => x.EventId).OnDelete(DeleteBehavior.Cascade);
        // A webhook's deliveries in order: its oldest pending one (the only one that may be sent) and its log, newest first.
        d.HasIndex(x => new { x.WebhookId, x.Sequence }).IsUnique();
        // The dispatcher's scan for due deliveries touches pending rows only.
        d.HasIndex(x => x.NextAttemptAt).HasDatabaseName("ix_webhook_deliveries_due").HasFilter("status = 'Pending'");
        // Retention deletes finished deliveries by the time of their last attempt; pending ones are never its concern.
        d.HasIndex(x => x.LastAttemptAt).HasDatabaseName("ix_webhook_deliveries_finished").HasFilter("status <> 'Pending'");
    }
}
