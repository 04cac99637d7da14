using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace NewsApi.Api.RateLimits;

/// <summary>Settings of the <c>Proxies</c> section: whose X-Forwarded-For is believed.</summary>
internal sealed class ProxyOptions
{
    public const string Section = "Proxies";

    /// <summary>Addresses (10.0.0.5) and networks (10.0.0.0/8, 2001:db8::/32) of the proxies and CDN in front; empty: none.</summary>
    public List<string> Trusted { get; set; } = [];

    public bool IsValid() => Trusted.All(t => IPAddress.TryParse(t, out _) || System.Net.IPNetwork.TryParse(t, out _));
}

/// <summary>
/// The client address comes from X-Forwarded-For only when the peer is a configured proxy; anyone else could write
/// any address there and get a new budget with every request. Without configured proxies the header is never read.
/// </summary>
internal static class TrustedProxies
{
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<ProxyOptions>().Bind(config.GetSection(ProxyOptions.Section))
            .Validate(o => o.IsValid(), "Proxies:Trusted holds something that is neither an IP address nor a network (address/prefix).")
            .ValidateOnStart();
        return services;
    }

    public static WebApplication UseTrustedProxies(this WebApplication app)
    {
        var trusted = app.Services.GetRequiredService<IOptions<ProxyOptions>>().Value.Trusted;
        if (trusted.Count == 0)
            return app;
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            // A chain of trusted proxies (CDN, then load balancer) is walked back to the first address none of them owns.
            ForwardLimit = null,
        };
        // The defaults trust loopback; only what is configured counts.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var entry in trusted)
        {
            if (IPAddress.TryParse(entry, out var address))
                options.KnownProxies.Add(address);
            else
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(entry));
        }
        app.UseForwardedHeaders(options);
        return app;
    }
}
