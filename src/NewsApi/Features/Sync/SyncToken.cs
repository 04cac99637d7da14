using System.Text.Json;
using System.Text.Json.Serialization;
using NewsApi.Api;

namespace NewsApi.Features.Sync;

/// <summary>
/// Where a sync client stands, sealed by <see cref="CursorSigner"/> so that it is opaque and cannot be altered. A full
/// sync (<see cref="Full"/>) walks the types in order by id, from the commit horizon it started at; a delta reads the
/// log from <see cref="From"/> up to <see cref="To"/> (fixed by its first page), after (<see cref="AfterXid"/>,
/// <see cref="AfterSeq"/>). <see cref="Since"/> (and <see cref="Until"/>) bound the content clock's own changes
/// (embargoes ending, featured windows), and <see cref="Since"/> is what the log's retention is measured against.
/// Horizons are transaction ids (xid8) as decimal text.
/// </summary>
internal sealed record SyncToken(
    [property: JsonPropertyName("f")] bool Full,
    [property: JsonPropertyName("h")] string From,
    [property: JsonPropertyName("s")] DateTimeOffset Since,
    [property: JsonPropertyName("ty")] int Type = 0,
    [property: JsonPropertyName("a")] Guid? AfterId = null,
    [property: JsonPropertyName("to")] string? To = null,
    [property: JsonPropertyName("u")] DateTimeOffset? Until = null,
    [property: JsonPropertyName("ax")] string? AfterXid = null,
    [property: JsonPropertyName("as")] long AfterSeq = 0)
{
    const string Purpose = "sync";

    public string Seal(CursorSigner signer) => signer.Seal(Purpose, JsonSerializer.SerializeToUtf8Bytes(this));

    /// <summary>The token this service sealed, or null for one altered, cut short or made elsewhere.</summary>
    public static SyncToken? Open(CursorSigner signer, string text)
    {
        if (signer.Open(Purpose, text) is not { } payload)
            return null;
        try
        {
            var token = JsonSerializer.Deserialize<SyncToken>(payload);
            return token is not null && Xid(token.From) && (token.To is null || Xid(token.To)) && (token.AfterXid is null || Xid(token.AfterXid)) ? token : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    static bool Xid(string text) => ulong.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _);
}
