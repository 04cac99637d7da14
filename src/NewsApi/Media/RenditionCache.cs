using System.Buffers.Binary;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using NewsApi.Api.Caching;
using NewsApi.Changes;

namespace NewsApi.Media;

/// <summary>
/// This service's copy of the renditions the public asks for by their versioned url, so that serving one reads
/// neither the database (the asset and whether the public may see it) nor the media store. It lives in the output
/// cache store the public reads use (a shared one where configured) under tags the changes already evict: the
/// asset's own (any change to the asset, such as its public flag, expiry or focal point, its deletion, or an article
/// starting or stopping to use it; see ChangeRecorder) and, for an asset served because public articles use it, each
/// such article's, so unpublishing, killing or deleting the last of them evicts it too. The end of the asset's rights
/// (expiresAt) is checked on every hit against the clock. Only answers to anonymous callers whose v is the current
/// version are kept: those are the immutable ones, and a key of any role may see what the public may not.
/// </summary>
internal sealed class RenditionCache(IOutputCacheStore store, Evictions evictions, IOptions<CachingOptions> caching, ILogger<RenditionCache> log)
{
    /// <summary>
    /// Larger renditions are streamed from the store each time: a w1280 of a 12-megapixel photo is 75–300 KB, so few
    /// reach this, and the store's 256 MB are shared with every cached public read.
    /// </summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>
    /// An asset served because more public articles than this use it (not marked public, yet everywhere) is not kept:
    /// each of its articles would be one more tag on the entry.
    /// </summary>
    public const int MaxArticles = 16;

    /// <summary>What a hit gives: the end of the asset's rights (null: none), and the rendition's bytes.</summary>
    public readonly record struct Hit(DateTimeOffset? ExpiresAt, ReadOnlyMemory<byte> Body);

    /// <summary>Whether this service keeps its own copies (Caching:ServerCache).</summary>
    public bool On => caching.Value.ServerCache;

    /// <summary>Read before the asset is, so that a change committed while it was read keeps its answer out (<see cref="Evictions.KeepAsync"/>).</summary>
    public long EvictionsNow => evictions.Count;

    static string Key(Guid asset, string preset, RenditionFormat format, string version) =>
        $"{RenditionLinks.Prefix}/{asset}/{preset}.{format.Extension}?v={version}";

    public async ValueTask<Hit?> GetAsync(Guid asset, string preset, RenditionFormat format, string version, CancellationToken ct)
    {
        byte[]? stored;
        try
        {
            stored = await store.GetAsync(Key(asset, preset, format, version), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "The cache store could not be read; serving the rendition uncached.");
            return null;
        }
        if (stored is not { Length: >= 8 })
            return null;
        var ticks = BinaryPrimitives.ReadInt64LittleEndian(stored);
        return new Hit(ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero), stored.AsMemory(8));
    }

    /// <summary>
    /// Keeps a rendition the public may see now, because its asset is public (<paramref name="articles"/> empty) or
    /// these articles use it, for as long as its answer may be cached (<paramref name="lifetime"/>).
    /// </summary>
    public async Task KeepAsync(Guid asset, string preset, RenditionFormat format, string version, DateTimeOffset? expiresAt,
        IReadOnlyCollection<Guid> articles, ReadOnlyMemory<byte> body, TimeSpan lifetime, long evictionsBefore)
    {
        if (body.Length > MaxBytes || articles.Count > MaxArticles || lifetime <= TimeSpan.Zero)
            return;
        var stored = new byte[8 + body.Length];
        BinaryPrimitives.WriteInt64LittleEndian(stored, expiresAt?.UtcTicks ?? 0);
        body.Span.CopyTo(stored.AsSpan(8));
        // The asset's tag last: the one Evictions.KeepAsync evicts again after a race.
        string[] tags = [CacheTags.All, .. articles.Select(CacheTags.Article), CacheTags.Asset(asset)];
        try
        {
            await evictions.KeepAsync(store, Key(asset, preset, format, version), stored, tags, lifetime, evictionsBefore);
        }
        catch (Exception e)
        {
            log.LogWarning(e, "The cache store could not keep a rendition.");
        }
    }
}
