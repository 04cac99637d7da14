using System.Diagnostics.Metrics;

namespace NewsApi.Api;

/// <summary>The service's own instruments, on the <c>NewsApi</c> meter (export it with any OpenTelemetry or dotnet-counters setup).</summary>
internal sealed class NewsMetrics
{
    public const string MeterName = "NewsApi";
    public const string AnonymousWritesRefused = "newsapi.anonymous_writes.refused";
    public const string CacheLookups = "newsapi.cache.lookups";

    public const string SearchQueued = "newsapi.search.queue.length";
    public const string SearchQueueAge = "newsapi.search.queue.oldest_age";

    readonly Counter<long> _anonymousWritesRefused;
    readonly Counter<long> _cacheLookups;
    long _searchQueued;
    double _searchQueueAge;

    public NewsMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _anonymousWritesRefused = meter.CreateCounter<long>(AnonymousWritesRefused, "{request}",
            "Writes under /api refused (401 or 403) to a caller with no valid key: counted here instead of written to the audit log.");
        _cacheLookups = meter.CreateCounter<long>(CacheLookups, "{lookup}",
            "Anonymous reads looked up in the service's response cache, by route and result: hit (stored bytes served), " +
            "shared (waited for the same answer another request was rendering) or miss (rendered). Hit ratio: hit / all.");
        // Observed by the search indexer about once a second (instances that run it report these).
        meter.CreateObservableGauge(SearchQueued, () => Volatile.Read(ref _searchQueued), "{change}",
            "Article changes queued for the search index and not yet indexed.");
        meter.CreateObservableGauge(SearchQueueAge, () => Volatile.Read(ref _searchQueueAge), "s",
            "Age of the oldest change queued for the search index: how far search lags behind the articles.");
    }

    /// <summary>The search queue as the indexer last saw it.</summary>
    public void SearchQueue(long queued, TimeSpan oldest)
    {
        Volatile.Write(ref _searchQueued, queued);
        Volatile.Write(ref _searchQueueAge, oldest.TotalSeconds);
    }

    public enum CacheResult { Hit, Shared, Miss }

    /// <param name="result">Whether the stored answer was served, shared or rendered.</param>
    /// <param name="route">The route template (<c>/api/v1/articles/slug/{slug}</c>), never the path: a bounded set of values.</param>
    public void CacheLookup(CacheResult result, string? route) =>
        _cacheLookups.Add(1, new KeyValuePair<string, object?>("newsapi.cache.result", result switch
        {
            CacheResult.Hit => "hit",
            CacheResult.Shared => "shared",
            _ => "miss",
        }), new KeyValuePair<string, object?>("http.route", route ?? ""));

    /// <param name="status">401 or 403.</param>
    /// <param name="keySent">Whether the request carried an Authorization header (a wrong or revoked key) or none at all.</param>
    public void AnonymousWriteRefused(int status, bool keySent) =>
        _anonymousWritesRefused.Add(1, new KeyValuePair<string, object?>("http.response.status_code", status),
            new KeyValuePair<string, object?>("newsapi.key", keySent ? "invalid" : "none"));
}
