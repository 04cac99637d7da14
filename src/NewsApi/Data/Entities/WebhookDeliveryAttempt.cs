using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NewsApi.Data.Entities;

/// <summary>
/// One attempt to send a delivery: the delivery row keeps only the last, and an admin asking why a receiver missed
/// an event needs each try. Deleted with its delivery.
/// </summary>
internal sealed class WebhookDeliveryAttempt
{
    public long Id { get; set; }
    public Guid DeliveryId { get; set; }

    /// <summary>1 for the first attempt, counting up: the delivery's Attempts once this one is recorded.</summary>
    public int Number { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>The receiver's HTTP status; null when no answer came (timeout, refused connection).</summary>
    public int? StatusCode { get; set; }

    public int DurationMs { get; set; }

    /// <summary>What went wrong, in the dispatcher's few words; null when the receiver accepted it.</summary>
    public string? Error { get; set; }
}

internal sealed class WebhookDeliveryAttemptConfiguration : IEntityTypeConfiguration<WebhookDeliveryAttempt>
{
    public void Configure(EntityTypeBuilder<WebhookDeliveryAttempt> a)
    {
        a.Property(x => x.Error).HasMaxLength(500);
        a.HasOne<WebhookDelivery>().WithMany().HasForeignKey(x => x.DeliveryId).OnDelete(DeleteBehavior.Cascade);
        // A delivery's attempts in order; it also serves the cascade when deliveries are pruned.
        a.HasIndex(x => new { x.DeliveryId, x.Number }).IsUnique();
    }
}
