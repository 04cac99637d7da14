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
}
