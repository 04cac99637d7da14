using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NewsApi.Data.Entities;

/// <summary>A receiver of events: where to POST them, which events it wants, and the secret they are signed with.</summary>
internal sealed class Webhook
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Url { get; set; }
    public required List<string> Events { get; set; }

    /// <summary>
    /// Kept as given: signing needs the secret itself, so unlike an API key it cannot be stored as a hash. It is
    /// shown only in the response that creates or changes it.
    /// </summary>
    public required string Secret { get; set; }

    /// <summary>An inactive webhook gets no new deliveries, and its pending ones wait until it is active again.</summary>
    public bool Active { get; set; } = true;

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public uint Version { get; set; }
}

internal sealed class WebhookConfiguration : IEntityTypeConfiguration<Webhook>
{
    public void Configure(EntityTypeBuilder<Webhook> w)
    {
        w.Property(x => x.Id).ValueGeneratedNever();
        w.Property(x => x.Url).HasMaxLength(2000);
        w.Property(x => x.Events).HasColumnType("text[]");
        w.Property(x => x.Secret).HasMaxLength(200);
        w.Property(x => x.Version).IsRowVersion();
    }
}
