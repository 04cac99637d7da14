using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NewsApi.Data.Entities;

/// <summary>
/// An import request made with an Idempotency-Key: while it runs only the claim exists (a retry meanwhile is a 409)
/// and expires after a short lease unless renewed; once it ends, the SHA-256 of the request (method, path, query,
/// content type and body) and its gzipped NDJSON result, replayed to a retry of the same request. Keys belong to the
/// API key that sent them: two clients choosing the same key never meet.
/// </summary>
internal sealed class IdempotencyRecord
{
    /// <summary>The longest Idempotency-Key: the column's length, which the header's check reads.</summary>
    public const int MaxKeyLength = 200;

    /// <summary>The API key that made the request.</summary>
    public Guid Owner { get; set; }

    public required string Key { get; set; }

    /// <summary>Which run holds the claim, so a run whose lease lapsed never completes or releases its successor's.</summary>
    public Guid Claim { get; set; }
    public string? RequestHash { get; set; }
    public byte[]? Result { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> r)
    {
        r.HasKey(x => new { x.Owner, x.Key });
        r.Property(x => x.Key).HasMaxLength(IdempotencyRecord.MaxKeyLength);
        r.Property(x => x.RequestHash).HasMaxLength(64);
        // Expired keys are deleted on every new one.
        r.HasIndex(x => x.ExpiresAt);
    }
}
