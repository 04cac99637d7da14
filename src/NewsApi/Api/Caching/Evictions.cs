using Microsoft.AspNetCore.OutputCaching;

namespace NewsApi.Api.Caching;

/// <summary>
/// Counts evictions on this instance, so that an answer rendered from data read before a change is never left in
/// the store after the change evicted it: a miss that saw the count move while it rendered does not keep its answer.
/// </summary>
internal sealed class Evictions
{
    long _count;

    public long Count => Interlocked.Read(ref _count);

    /// <summary>Called before the store is told to evict, so a miss storing at the same moment notices.</summary>
    public void Note() => Interlocked.Increment(ref _count);

    /// <summary>
    /// Keeps an answer made from data read after <paramref name="before"/> (the <see cref="Count"/> then), unless a
    /// change evicted since: that change may have missed it, so it is evicted again (by its last tag, its own) and
    /// false returned.
    /// </summary>
    public async Task<bool> KeepAsync(IOutputCacheStore store, string key, byte[] value, string[] tags, TimeSpan validFor, long before)
    {
        await store.SetAsync(key, value, tags, validFor, CancellationToken.None);
        if (Count == before)
            return true;
        await store.EvictByTagAsync(tags[^1], CancellationToken.None);
        return false;
    }
}
