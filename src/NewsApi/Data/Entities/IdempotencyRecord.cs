using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NewsApi.Data.Entities;

/// <summary>
/// An import request made with an Idempotency-Key: while it runs only the key exists (a retry meanwhile is a 409);
/// once it ends, the SHA-256 of its body and its gzipped NDJSON result, replayed to a retry with the same body.
/// </summary>
internal sealed class IdempotencyRecord
{
    /// <summary>The longest Idempotency-Key: the column's length, which the header's check reads.</summary>
    public const int MaxKeyLength = 200;

    public required string Key { get; set; }
    public string? RequestHash { get; set; }
    public byte[]? Result { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> r)
    {
        r.HasKey(x => x.Key);
        r.Property(x => x.Key).HasMaxLength(IdempotencyRecord.MaxKeyLength);
        r.Property(x => x.RequestHash).HasMaxLength(64);
        // Expired keys are deleted on every new one.
        r.HasIndex(x => x.ExpiresAt);
    }
}
