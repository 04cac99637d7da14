using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NewsApi.Data.Entities;

internal enum Role { Previewer, Editor, Admin }

/// <summary>An API key. Only a hash of the key is stored; the key itself is shown once, when it is created.</summary>
internal sealed class ApiKey
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    public Role Role { get; set; }

    /// <summary>The first characters of the key, so people can tell their keys apart without the secret.</summary>
    public required string Prefix { get; set; }

    /// <summary>SHA-256 of the whole key, hex. Keys carry 256 random bits, so a fast hash is as good as a slow one.</summary>
    public required string Hash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> k)
    {
        k.Property(x => x.Id).ValueGeneratedNever();
        k.Property(x => x.Name).HasMaxLength(100);
        k.HasIndex(x => x.Name).IsUnique();
        k.Property(x => x.Role).HasConversion<string>().HasMaxLength(20);
        k.Property(x => x.Prefix).HasMaxLength(20);
        k.Property(x => x.Hash).HasMaxLength(64);
        // Every authenticated request looks its key up by hash.
        k.HasIndex(x => x.Hash).IsUnique();
    }
}
