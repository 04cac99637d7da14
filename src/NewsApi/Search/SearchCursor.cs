using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace NewsApi.Search;

/// <summary>Keyset position after a page of results: (score, publishedAt, id), tied to the query it was made for.</summary>
internal sealed record SearchCursor(string Query, double Score, DateTimeOffset At, Guid Id)
{
    public string Encode() => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(this, Json));

    public static bool TryDecode(string? text, string query, out SearchCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(text))
            return true;
        try
        {
            var decoded = JsonSerializer.Deserialize<SearchCursor>(Base64Url.DecodeFromChars(text), Json);
            if (decoded is null || decoded.Query != Fingerprint(query) || decoded.Id == Guid.Empty || !double.IsFinite(decoded.Score))
                return false;
            cursor = decoded;
            return true;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return false;
        }
    }

    /// <summary>Short hash of the folded query, so a cursor cannot be replayed against another query's order.</summary>
    public static string Fingerprint(string tsQuery) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(tsQuery)).AsSpan(0, 8));

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
