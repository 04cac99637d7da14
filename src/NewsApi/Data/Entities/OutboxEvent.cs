using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NewsApi.Data.Entities;

/// <summary>
/// Something that happened to content, written in the same transaction as the change itself (the transactional
/// outbox), so an event exists exactly when its change was committed. Webhooks deliver them.
/// </summary>
internal sealed class OutboxEvent
{
    public long Id { get; set; }
    public required string Type { get; set; }
    public required string Subject { get; set; }
    public required JsonObject Data { get; set; }
    public DateTimeOffset At { get; set; }

    /// <summary>Set once the event has been fanned out to the webhooks that want it.</summary>
    public DateTimeOffset? DispatchedAt { get; set; }
}

/// <summary>
/// Which cached responses a committed change made stale. Every instance reads new rows every second and evicts
/// those tags from its own response cache, which bounds how long any instance can serve an old response.
/// </summary>
internal sealed class CacheInvalidation
{
    public long Id { get; set; }
    public required List<string> Tags { get; set; }
    public DateTimeOffset At { get; set; }

    /// <summary>The instance that wrote it, which applied it itself at its commit and skips it when it comes back.</summary>
    public Guid? Origin { get; set; }
}

internal sealed class ChangeConfiguration : IEntityTypeConfiguration<OutboxEvent>, IEntityTypeConfiguration<CacheInvalidation>
{
    public void Configure(EntityTypeBuilder<OutboxEvent> e)
    {
        e.Property(x => x.Type).HasMaxLength(50);
        e.Property(x => x.Subject).HasMaxLength(300);
        e.Property(x => x.Data).HasColumnType("jsonb").HasConversion(
            v => v.ToJsonString(null),
            v => JsonNode.Parse(v, null, default)!.AsObject(),
            new Microsoft.EntityFrameworkCore.ChangeTracking.ValueComparer<JsonObject>(
                (a, b) => a!.ToJsonString(null) == b!.ToJsonString(null), v => v.ToJsonString(null).GetHashCode(), v => v.DeepClone().AsObject()));
        // The dispatcher looks for events not yet fanned out, oldest first.
        e.HasIndex(x => x.Id).HasDatabaseName("ix_outbox_events_pending").HasFilter("dispatched_at IS NULL");
        // Retention deletes events fanned out long ago, oldest first.
        e.HasIndex(x => x.DispatchedAt).HasDatabaseName("ix_outbox_events_dispatched").HasFilter("dispatched_at IS NOT NULL");
    }

    public void Configure(EntityTypeBuilder<CacheInvalidation> i)
    {
        // Instances read rows after the last id they saw: the primary key serves that.
        i.Property(x => x.Tags).HasColumnType("text[]");
        // Retention deletes the rows every instance has long since applied, by age.
        i.HasIndex(x => x.At);
    }
}
