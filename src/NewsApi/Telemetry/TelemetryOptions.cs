using System.Net;

namespace NewsApi.Telemetry;

/// <summary>Settings of the <c>Telemetry</c> section. Traces and OTLP follow OpenTelemetry's own <c>OTEL_*</c> variables.</summary>
internal sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>Where Prometheus scrapes. Served by middleware, so it is in no OpenAPI document and under no rate limit.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>Serve <see cref="MetricsPath"/> and sample the backlogs.</summary>
    public bool Metrics { get; set; } = true;

    /// <summary>
    /// Addresses (10.0.0.5) and networks (10.0.0.0/8) that may scrape; empty: loopback only. The address is the one
    /// <c>Proxies:Trusted</c> resolves, so a public client behind a trusted balancer is refused, not the balancer's address let in.
    /// </summary>
    public List<string> MetricsAllowed { get; set; } = [];

    /// <summary>How often one instance counts the outbox and webhook backlogs (one short statement each time).</summary>
    public TimeSpan BacklogInterval { get; set; } = TimeSpan.FromSeconds(15);

    public bool IsValid() =>
        MetricsAllowed.All(a => IPAddress.TryParse(a, out _) || IPNetwork.TryParse(a, out _))
        && BacklogInterval >= TimeSpan.FromSeconds(1) && BacklogInterval <= TimeSpan.FromHours(1);

    /// <summary>The networks that may scrape, loopback when none are configured.</summary>
    public IReadOnlyList<IPNetwork> AllowedNetworks() =>
        (MetricsAllowed.Count == 0 ? ["127.0.0.0/8", "::1/128"] : MetricsAllowed)
        .Select(a => IPAddress.TryParse(a, out var one) ? new IPNetwork(one, one.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128) : IPNetwork.Parse(a))
        .ToList();
}
