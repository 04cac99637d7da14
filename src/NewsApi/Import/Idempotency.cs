using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Import;

/// <summary>
/// Idempotency-Key for imports, per API key: the first request with a key claims it (a row without result) for
/// <see cref="ImportOptions.IdempotencyLease"/>, renewed as it makes progress; when it ends, the SHA-256 of the request
/// (<see cref="Fingerprint"/> and body) and its gzipped result are stored for <see cref="ImportOptions.IdempotencyKeyLifetime"/>.
/// A retry of the same request gets that result again; another request with the key, 422; while the first still
/// runs, 409; after a claim's lease lapsed (its run crashed), the retry runs. A claim removes only its own key's expired row;
/// the retention job prunes the rest.
/// </summary>
internal sealed class Idempotency(NewsDbContext db, TimeProvider clock, ImportOptions options, Guid owner)
{
    public const string Header = "Idempotency-Key";
    public const int MaxKeyLength = IdempotencyRecord.MaxKeyLength;

    readonly Guid _claim = Guid.NewGuid();
    DateTimeOffset _renewed;

    public static string? Check(string key) =>
        key.Length is 0 or > MaxKeyLength || key.Any(c => c is < '!' or > '~')
            ? $"{Header} must be 1 to {MaxKeyLength} visible ASCII characters, such as a UUID." : null;

    public Task<IdempotencyRecord?> Find(string key) => db.IdempotencyRecords.AsNoTracking()
        .FirstOrDefaultAsync(r => r.Owner == owner && r.Key == key && r.ExpiresAt > clock.GetUtcNow());

    /// <summary>Claims the key for this request; false when another request holds it (it started meanwhile).</summary>
    public async Task<bool> Claim(string key)
    {
        var now = _renewed = clock.GetUtcNow();
        await db.IdempotencyRecords.Where(r => r.Owner == owner && r.Key == key && r.ExpiresAt <= now).ExecuteDeleteAsync();
        var inserted = await db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO idempotency_records (owner, key, claim, created_at, expires_at) VALUES ({owner}, {key}, {_claim}, {now}, {now + options.IdempotencyLease}) ON CONFLICT (owner, key) DO NOTHING");
        return inserted == 1;
    }

    /// <summary>Extends the lease while the request makes progress; at most a few times per lease, so a batch costs no extra write.</summary>
    public async Task Renew(string key)
    {
        var now = clock.GetUtcNow();
        if (now - _renewed < options.IdempotencyLease / 4)
            return;
        _renewed = now;
        await Mine(key).Where(r => r.RequestHash == null).ExecuteUpdateAsync(s => s.SetProperty(r => r.ExpiresAt, now + options.IdempotencyLease));
    }

    /// <summary>Stores the result; when the lease lapsed and a retry claimed the key meanwhile, the retry's answer is the one kept.</summary>
    public Task Complete(string key, string requestHash, byte[] result) => Mine(key)
        .ExecuteUpdateAsync(s => s.SetProperty(r => r.RequestHash, requestHash).SetProperty(r => r.Result, result)
            .SetProperty(r => r.ExpiresAt, clock.GetUtcNow() + options.IdempotencyKeyLifetime));

    /// <summary>Lets the key go when the request failed (the client left, the database failed): a retry runs again.</summary>
    public Task Release(string key) => Mine(key).Where(r => r.RequestHash == null).ExecuteDeleteAsync();

    IQueryable<IdempotencyRecord> Mine(string key) => db.IdempotencyRecords.Where(r => r.Owner == owner && r.Key == key && r.Claim == _claim);

    /// <summary>
    /// What, besides the body, makes two requests the same one: a key reused with another query (?atomic, ?format) or
    /// content type would otherwise replay an answer to a different question.
    /// </summary>
    public static byte[] Fingerprint(HttpRequest request) =>
        Encoding.UTF8.GetBytes($"{request.Method}\n{request.PathBase}{request.Path}\n{request.QueryString}\n{request.ContentType}\n");

    /// <summary>The hash of the whole request: its fingerprint and its body, read to the end.</summary>
    public static async Task<string> HashOf(HttpRequest request, CancellationToken ct)
    {
        using var hashing = new HashingStream(request.Body, Fingerprint(request));
        await Drain(hashing, ct);
        return hashing.Hash();
    }

    /// <summary>Reads a stream to its end (through a <see cref="HashingStream"/>, whose hash then covers it all).</summary>
    public static async Task Drain(Stream body, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        while (await body.ReadAsync(buffer, ct) > 0)
        {
        }
    }

    public static byte[] Unzip(byte[] result)
    {
        using var input = new GZipStream(new MemoryStream(result), CompressionMode.Decompress);
        var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}

/// <summary>Passes the body through while hashing it (after the request's fingerprint), so the key's hash costs no second read.</summary>
internal sealed class HashingStream : Stream
{
    readonly Stream _inner;
    readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public HashingStream(Stream inner, byte[] prefix)
    {
        _inner = inner;
        _hash.AppendData(prefix);
    }

    public string Hash() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        var n = await _inner.ReadAsync(buffer, ct);
        _hash.AppendData(buffer.Span[..n]);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = _inner.Read(buffer, offset, count);
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
