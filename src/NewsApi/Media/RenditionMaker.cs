using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace NewsApi.Media;

/// <summary>
/// Gives a rendition's bytes: from the store when it was made before, else made now (at most Media:MaxConcurrentRenders
/// at once, and once however many ask for it together), stored, then given.
/// </summary>
internal sealed class RenditionMaker(IMediaStore store, IOptions<MediaOptions> options, ILogger<RenditionMaker> log) : IDisposable
{
    readonly SemaphoreSlim _renders = new(options.Value.MaxConcurrentRenders);
    readonly ConcurrentDictionary<string, Lazy<Task<byte[]>>> _making = new();

    /// <summary>A stream of the stored rendition, or null when it must be made.</summary>
    public Task<Stream?> StoredAsync(string key, CancellationToken ct) => store.OpenAsync(key, ct);

    public async Task<byte[]> MakeAsync(string key, CropSource source, Preset preset, RenditionFormat format)
    {
        var making = _making.GetOrAdd(key, k => new Lazy<Task<byte[]>>(() => Make(k, source, preset, format)));
        try
        {
            return await making.Value;
        }
        finally
        {
            _making.TryRemove(new KeyValuePair<string, Lazy<Task<byte[]>>>(key, making));
        }
    }

    // Not cancelled with the request: others may be waiting for the same rendition, and it is stored for the next.
    async Task<byte[]> Make(string key, CropSource source, Preset preset, RenditionFormat format)
    {
        await _renders.WaitAsync();
        string? downloaded = null;
        try
        {
            var path = store is LocalMediaStore local ? local.PathOf(Renditions.OriginalKey(source.Sha256)) : null;
            if (path is null)
            {
                downloaded = path = Path.Combine(Path.GetTempPath(), $"newsapi-original-{Guid.NewGuid():N}");
                await using var original = await store.OpenAsync(Renditions.OriginalKey(source.Sha256), CancellationToken.None)
                    ?? throw new InvalidOperationException($"The original {source.Sha256} is missing from the store.");
                await using var file = File.Create(downloaded);
                await original.CopyToAsync(file);
            }
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var bytes = await Task.Run(() => Renditions.Render(path, source, preset, format, options.Value.Quality));
            log.LogDebug("Rendered {Key} ({Bytes} bytes) in {Elapsed}", key, bytes.Length, System.Diagnostics.Stopwatch.GetElapsedTime(started));
            using var content = new MemoryStream(bytes, writable: false);
            await store.PutAsync(key, content, format.ContentType, CancellationToken.None);
            return bytes;
        }
        finally
        {
            if (downloaded is not null)
                File.Delete(downloaded);
            _renders.Release();
        }
    }

    public void Dispose() => _renders.Dispose();
}
