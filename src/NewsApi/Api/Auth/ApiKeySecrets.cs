using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace NewsApi.Api.Auth;

internal static class ApiKeySecrets
{
    const string Marker = "nak_";

    /// <summary>A new key: a recognisable marker and 256 random bits, base64url.</summary>
    public static string New() => New(Marker);

    /// <summary>A new secret of another kind (a preview link's token): its own marker and 256 random bits, base64url.</summary>
    public static string New(string marker) => marker + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Enough of the key to recognise it in a list, far too little to guess the rest.</summary>
    public static string Prefix(string key) => key.Length > 12 ? key[..12] : key;
}
