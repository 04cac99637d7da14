using Microsoft.AspNetCore.OutputCaching;
using NewsApi.Api.Caching;

namespace NewsApi.Changes;

/// <summary>Evicts from this instance's output cache, and forgets the next scheduled change.</summary>
internal sealed class OutputCacheEvictor(IServiceProvider services) : ICacheEvictor
{
    public async Task EvictAsync(IReadOnlyCollection<string> tags)
    {
        services.GetRequiredService<NextScheduledChange>().Forget();
        services.GetRequiredService<Evictions>().Note();
        var store = services.GetService<IOutputCacheStore>();
        if (store is null)
            return;
        foreach (var tag in tags.Contains(CacheTags.All) ? [CacheTags.All] : tags)
            await store.EvictByTagAsync(tag, CancellationToken.None);
    }
}
