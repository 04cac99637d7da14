using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NewsApi.Data.Entities;

/// <summary>One write attempt, successful or not: who (key name), what, on which target, when, and how it ended.</summary>
internal sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public required string Target { get; set; }
    public int Status { get; set; }
    public required string Outcome { get; set; }

    /// <summary>What the change came to, where one line says more than the status: an import's counts.</summary>
    public string? Detail { get; set; }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> a)
    {
        a.Property(x => x.Actor).HasMaxLength(100);
        a.Property(x => x.Action).HasMaxLength(100);
        a.Property(x => x.Target).HasMaxLength(300);
        a.Property(x => x.Outcome).HasMaxLength(20);
        a.Property(x => x.Detail).HasMaxLength(500);
        // The log is read newest first, and by target when investigating one item.
        a.HasIndex(x => x.At).IsDescending();
        a.HasIndex(x => new { x.Target, x.At });
    }
}
