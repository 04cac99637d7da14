using System.Diagnostics.Metrics;

namespace NewsApi.Api;

/// <summary>The service's own instruments, on the <c>NewsApi</c> meter (export it with any OpenTelemetry or dotnet-counters setup).</summary>
internal sealed class NewsMetrics
{
    public const string MeterName = "NewsApi";
    public const string AnonymousWritesRefused = "newsapi.anonymous_writes.refused";

    readonly Counter<long> _anonymousWritesRefused;

    public NewsMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _anonymousWritesRefused = meter.CreateCounter<long>(AnonymousWritesRefused, "{request}",
            "Writes under /api refused (401 or 403) to a caller with no valid key: counted here instead of written to the audit log.");
    }

    /// <param name="status">401 or 403.</param>
    /// <param name="keySent">Whether the request carried an Authorization header (a wrong or revoked key) or none at all.</param>
    public void AnonymousWriteRefused(int status, bool keySent) =>
        _anonymousWritesRefused.Add(1, new KeyValuePair<string, object?>("http.response.status_code", status),
            new KeyValuePair<string, object?>("newsapi.key", keySent ? "invalid" : "none"));
}
