using System.Security.Cryptography;
using NewsApi.Api;
using System.Text;
using System.Text.Json;

namespace NewsApi.Search;

/// <summary>
/// Keyset position after a page of results: (score, publishedAt, id), tied to the query it was made for and signed with
/// the list (the filters) that gave it out.
/// </summary>
internal sealed record SearchCursor(string Query, double Score, DateTimeOffset At, Guid Id)
{
    public string Encode(CursorSigner cursors, string list) => cursors.Seal(list, JsonSerializer.SerializeToUtf8Bytes(this, Json));

    public static bool TryDecode(CursorSigner cursors, string? text, string list, string query, out SearchCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(text))
            return true;
        if (cursors.Open(list, text) is not { } payload)
            return false;
        try
        {
            var decoded = JsonSerializer.Deserialize<SearchCursor>(payload, Json);
            if (decoded is null || decoded.Query != Fingerprint(query) || decoded.Id == Guid.Empty || !double.IsFinite(decoded.Score))
                return false;
            cursor = decoded;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Short hash of the folded query, so a cursor cannot be replayed against another query's order.</summary>
    public static string Fingerprint(string tsQuery) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(tsQuery)).AsSpan(0, 8));

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
