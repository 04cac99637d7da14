using System.Net;
using System.Net.Sockets;

namespace NewsApi.Webhooks;

/// <summary>
/// Which addresses a webhook may reach. Checked twice: when a URL is registered (to answer the admin with a clear
/// 400) and on every connection (so a name that later resolves to an internal address — DNS rebinding — still
/// cannot be reached).
/// </summary>
internal static class WebhookTargets
{
    static readonly (IPNetwork Network, string Kind)[] Refused =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "an unspecified"),
        (IPNetwork.Parse("10.0.0.0/8"), "a private"),
        (IPNetwork.Parse("100.64.0.0/10"), "a carrier-grade NAT"),
        (IPNetwork.Parse("127.0.0.0/8"), "a loopback"),
        (IPNetwork.Parse("169.254.0.0/16"), "a link-local"),
        (IPNetwork.Parse("172.16.0.0/12"), "a private"),
        (IPNetwork.Parse("192.0.0.0/24"), "a reserved"),
        (IPNetwork.Parse("192.168.0.0/16"), "a private"),
        (IPNetwork.Parse("198.18.0.0/15"), "a reserved"),
        (IPNetwork.Parse("224.0.0.0/4"), "a multicast"),
        (IPNetwork.Parse("240.0.0.0/4"), "a reserved"),
        (IPNetwork.Parse("::/128"), "an unspecified"),
        (IPNetwork.Parse("::1/128"), "a loopback"),
        (IPNetwork.Parse("fc00::/7"), "a private"),
        (IPNetwork.Parse("fe80::/10"), "a link-local"),
        (IPNetwork.Parse("fec0::/10"), "a site-local"),
        (IPNetwork.Parse("ff00::/8"), "a multicast"),
    ];

    /// <summary>Why this address may not be reached, such as "127.0.0.1 is a loopback address"; null when it may.</summary>
    public static string? Refusal(IPAddress address)
    {
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        // NAT64 (64:ff9b::/96) carries an IPv4 address in its last 32 bits: judge that one.
        if (plain.AddressFamily == AddressFamily.InterNetworkV6 && IPNetwork.Parse("64:ff9b::/96").Contains(plain))
            plain = new IPAddress(plain.GetAddressBytes()[12..]);
        foreach (var (network, kind) in Refused)
            if (network.BaseAddress.AddressFamily == plain.AddressFamily && network.Contains(plain))
                return $"{address} is {kind} address";
        return null;
    }

    /// <summary>Why this URL may not be a webhook's, or null when it may. Resolves the host unless private targets are allowed.</summary>
    public static async Task<string?> CheckAsync(string url, bool allowPrivate, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
            return "url must be an absolute http or https URL.";
        if (uri.UserInfo.Length > 0)
            return "url may not carry a user name or password; authenticate receivers with the signature.";
        if (allowPrivate)
            return null;
        IPAddress[] addresses;
        try
        {
            addresses = uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
                ? [IPAddress.Parse(uri.IdnHost.Trim('[', ']'))]
                : await Dns.GetHostAddressesAsync(uri.IdnHost, ct).WaitAsync(TimeSpan.FromSeconds(5), ct);
        }
        catch (Exception e) when (e is SocketException or TimeoutException or ArgumentException)
        {
            return $"url's host {uri.Host} could not be resolved.";
        }
        if (addresses.Length == 0)
            return $"url's host {uri.Host} could not be resolved.";
        return addresses.Select(Refusal).FirstOrDefault(r => r is not null) is { } refusal
            ? $"url may not point at the internal network: {refusal}."
            : null;
    }

    /// <summary>
    /// Connects only to addresses webhooks may reach, whatever the name resolves to at this moment; with several
    /// addresses, the refused ones are left out.
    /// </summary>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> Connect(bool allowPrivate) => async (context, ct) =>
    {
        var host = context.DnsEndPoint.Host.Trim('[', ']');
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        var allowed = allowPrivate ? addresses : addresses.Where(a => Refusal(a) is null).ToArray();
        if (allowed.Length == 0)
            throw new TargetRefusedException(addresses.Length == 0
                ? $"{host} did not resolve"
                : $"refused to connect: {Refusal(addresses[0])} (Webhooks:AllowPrivateTargets is off)");

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    };
}

/// <summary>The receiver's address is one webhooks may not reach.</summary>
internal sealed class TargetRefusedException(string message) : Exception(message);
