using System.Collections.Concurrent;

namespace NewsApi.Api.Caching;

/// <summary>
/// Misses for the same key that arrive together are rendered once: the first renders, the others wait for its
/// answer. A story that was just changed and is read by thousands then costs one rendering, not thousands.
/// </summary>
internal sealed class Renderings
{
    readonly ConcurrentDictionary<string, Task<CachedAnswer?>> _pending = new(StringComparer.Ordinal);

    /// <summary>Null when this request renders (and must call <see cref="Done"/>); else the rendering to wait for.</summary>
    public Task<CachedAnswer?>? Join(string key, out TaskCompletionSource<CachedAnswer?>? lead)
    {
        var mine = new TaskCompletionSource<CachedAnswer?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var pending = _pending.GetOrAdd(key, mine.Task);
        lead = pending == mine.Task ? mine : null;
        return lead is null ? pending : null;
    }

    /// <summary>Hands the answer (null when it may not be shared) to those waiting, and lets the next miss render.</summary>
    public void Done(string key, TaskCompletionSource<CachedAnswer?> lead, CachedAnswer? answer)
    {
        _pending.TryRemove(new(key, lead.Task));
        lead.TrySetResult(answer);
    }
}
