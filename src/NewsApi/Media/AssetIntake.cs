using System.Buffers;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace NewsApi.Media;

/// <summary>An upload received and checked: its bytes in a temporary file (deleted on dispose), their hash and facts.</summary>
internal sealed class ReceivedFile(string path, string sha256, long bytes, ImageFacts facts) : IDisposable
{
    public string Path { get; } = path;
    public string Sha256 { get; } = sha256;
    public long Bytes { get; } = bytes;
    public ImageFacts Facts { get; } = facts;

    public void Dispose() => File.Delete(Path);
}

/// <summary>
/// Takes an upload: streams it to a temporary file while hashing it (never holding it whole in memory), then reads
/// what it is. Only a file that passes every rule reaches the store, under its SHA-256.
/// </summary>
internal sealed class AssetIntake(IMediaStore store, IOptions<MediaOptions> options)
{
    public async Task<(ReceivedFile? File, MediaRefusal? Refusal)> ReceiveAsync(Stream body, CancellationToken ct)
    {
        var path = Path.Combine(Path.GetTempPath(), $"newsapi-upload-{Guid.NewGuid():N}");
        var head = new byte[ImageFormats.SniffLength];
        var headLength = 0;
        long total = 0;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                int read;
                while ((read = await body.ReadAsync(buffer, ct)) > 0)
                {
                    if (headLength < head.Length)
                    {
                        var n = Math.Min(read, head.Length - headLength);
                        buffer.AsSpan(0, n).CopyTo(head.AsSpan(headLength));
                        headLength += n;
                    }
                    hash.AppendData(buffer, 0, read);
                    total += read;
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                }
            }
            if (total == 0)
            {
                File.Delete(path);
                return (null, MediaRefusal.Empty());
            }
            var sniffed = head[..headLength];
            var max = options.Value.MaxPixels;
            // Decoding is CPU work: off the request's thread.
            var (facts, refusal) = await Task.Run(() => ImageProbe.Inspect(path, sniffed, max), ct);
            if (facts is null)
            {
                File.Delete(path);
                return (null, refusal);
            }
            return (new ReceivedFile(path, Convert.ToHexStringLower(hash.GetHashAndReset()), total, facts), null);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Puts the original into the store under its hash; the same bytes make the same key.</summary>
    public async Task StoreAsync(ReceivedFile received, CancellationToken ct)
    {
        await using var file = new FileStream(received.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        await store.PutAsync(Renditions.OriginalKey(received.Sha256), file, received.Facts.Format.ContentType, ct);
    }
}
