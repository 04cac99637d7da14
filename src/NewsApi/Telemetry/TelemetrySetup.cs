using Microsoft.Extensions.Options;
using NewsApi.Api;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace NewsApi.Telemetry;

/// <summary>
/// OpenTelemetry for a platform team: metrics of ASP.NET Core (request rate and latency per route, rate-limit
/// rejections), HttpClient (webhook sends), Npgsql, the runtime and the service's own <c>NewsApi</c> meter (cache
/// lookups, backlogs), scraped by Prometheus at <see cref="TelemetryOptions.MetricsPath"/>; traces of the same three
/// sent over OTLP once <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> names a collector (without one no span is recorded,
/// so nothing is paid for them). Log lines carry the trace id of their request (Logging:Console, see appsettings.json).
/// </summary>
internal static class TelemetrySetup
{
    /// <summary>The variable OpenTelemetry's OTLP exporter reads; set, traces and metrics are also pushed there.</summary>
    const string OtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<TelemetryOptions>().Bind(config.GetSection(TelemetryOptions.Section))
            .Validate(o => o.IsValid(), "Telemetry:MetricsAllowed holds something that is neither an IP address nor a network (address/prefix), " +
                                        "or Telemetry:BacklogInterval is not from 1 second to 1 hour.")
            .ValidateOnStart();
        var metrics = config.GetValue(TelemetryOptions.Section + ":" + nameof(TelemetryOptions.Metrics), true);
        var otlp = !string.IsNullOrWhiteSpace(config[OtlpEndpoint]);
        if (!metrics && !otlp)
            return services;

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(config["OTEL_SERVICE_NAME"] ?? "newsapi"))
            .WithMetrics(m =>
            {
                m.AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddNpgsqlInstrumentation()
                    .AddMeter(NewsMetrics.MeterName, "Microsoft.AspNetCore.RateLimiting");
                if (metrics)
                    m.AddPrometheusExporter();
                if (otlp)
                    m.AddOtlpExporter();
            });
        if (otlp)
            telemetry.WithTracing(t => t
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !IsOperations(http.Request.Path))
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddOtlpExporter());
        if (metrics)
            services.AddHostedService<BacklogGauges>();
        return services;
    }

    // Probes and scrapes every few seconds from every instance would be most of the traces and tell nothing.
    static bool IsOperations(PathString path) => path.StartsWithSegments("/health") || path.StartsWithSegments(TelemetryOptions.MetricsPath);

    /// <summary>
    /// The Prometheus scrape endpoint, for the allowed addresses only (others get a 403 problem). After the trusted
    /// proxies, so the address is the client's; before rate limits, the audit log and the caches, none of which it is for.
    /// </summary>
    public static WebApplication UseMetricsEndpoint(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        if (!options.Metrics)
            return app;
        var allowed = options.AllowedNetworks();
        app.UseWhen(http => http.Request.Path.Equals(TelemetryOptions.MetricsPath, StringComparison.OrdinalIgnoreCase), branch =>
        {
            branch.Use(async (http, next) =>
            {
                if (http.Connection.RemoteIpAddress is { } peer && allowed.Any(n => n.Contains(peer.IsIPv4MappedToIPv6 ? peer.MapToIPv4() : peer)))
                {
                    await next(http);
                    return;
                }
                await ProblemWriter.Write(http, new Microsoft.AspNetCore.Mvc.ProblemDetails
                {
                    Status = StatusCodes.Status403Forbidden,
                    Type = ProblemTypes.Forbidden,
                    Title = "Forbidden",
                    Detail = "Metrics are served only to the addresses in Telemetry:MetricsAllowed.",
                });
            });
            branch.UseOpenTelemetryPrometheusScrapingEndpoint();
        });
        return app;
    }
}
