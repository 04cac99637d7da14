using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Import;

/// <summary>
/// Idempotency-Key for imports: the first request with a key claims it (a row without result); when it ends, the
/// SHA-256 of its body and its gzipped result are stored for <see cref="ImportOptions.IdempotencyKeyLifetime"/>.
/// A retry with the same key and body gets that result again; with another body, 422; while the first still
/// runs, 409. Expired keys are deleted whenever a key is claimed.
/// </summary>
internal sealed class Idempotency(NewsDbContext db, TimeProvider clock, ImportOptions options)
{
    public const string Header = "Idempotency-Key";
    public const int MaxKeyLength = IdempotencyRecord.MaxKeyLength;

    public static string? Check(string key) =>
        key.Length is 0 or > MaxKeyLength || key.Any(c => c is < '!' or > '~')
            ? $"{Header} must be 1 to {MaxKeyLength} visible ASCII characters, such as a UUID." : null;

    public Task<IdempotencyRecord?> Find(string key) =>
        db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.Key == key && r.ExpiresAt > clock.GetUtcNow());

    /// <summary>Claims the key for this request; false when another request holds it (it started meanwhile).</summary>
    public async Task<bool> Claim(string key)
    {
        var now = clock.GetUtcNow();
        await db.IdempotencyRecords.Where(r => r.ExpiresAt <= now).ExecuteDeleteAsync();
        var inserted = await db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO idempotency_records (key, created_at, expires_at) VALUES ({key}, {now}, {now + options.IdempotencyKeyLifetime}) ON CONFLICT (key) DO NOTHING");
        return inserted == 1;
    }

    public Task Complete(string key, string requestHash, byte[] result) => db.IdempotencyRecords.Where(r => r.Key == key)
        .ExecuteUpdateAsync(s => s.SetProperty(r => r.RequestHash, requestHash).SetProperty(r => r.Result, result)
            .SetProperty(r => r.ExpiresAt, clock.GetUtcNow() + options.IdempotencyKeyLifetime));

    /// <summary>Lets the key go when the request failed (the client left, the database failed): a retry runs again.</summary>
    public Task Release(string key) => db.IdempotencyRecords.Where(r => r.Key == key && r.RequestHash == null).ExecuteDeleteAsync();

    public static async Task<string> HashOf(Stream body, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        int n;
        while ((n = await body.ReadAsync(buffer, ct)) > 0)
            hash.AppendData(buffer, 0, n);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public static byte[] Unzip(byte[] result)
    {
        using var input = new GZipStream(new MemoryStream(result), CompressionMode.Decompress);
        var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}

/// <summary>Passes the body through while hashing it, so the key's body hash costs no second read.</summary>
internal sealed class HashingStream(Stream inner) : Stream
{
    readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public string Hash() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        var n = await inner.ReadAsync(buffer, ct);
        _hash.AppendData(buffer.Span[..n]);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = inner.Read(buffer, offset, count);
        _hash.AppendData(buffer, offset, n);
        return n;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _hash.Dispose();
        base.Dispose(disposing);
    }
}
