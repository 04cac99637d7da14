using System.Security.Cryptography;
using System.Text;

namespace NewsApi.Webhooks;

/// <summary>
/// The NewsApi-Signature header: <c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, "&lt;t&gt;.&lt;body&gt;")&gt;</c>.
/// Signing the time with the body lets receivers refuse old deliveries replayed by someone who captured one.
/// </summary>
internal static class WebhookSignature
{
    public const string Header = "NewsApi-Signature";
    public const string EventHeader = "NewsApi-Event";
    public const string DeliveryHeader = "NewsApi-Delivery";

    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{timestamp}.");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        return $"t={timestamp},v1={Convert.ToHexStringLower(mac)}";
    }

    /// <summary>A new secret for a webhook registered without one: 256 random bits.</summary>
    public static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
