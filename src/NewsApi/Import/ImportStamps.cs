using System.Buffers;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace NewsApi.Import;

/// <summary>
/// What an import stores to recognise an item next time (articles.import_hash): the hash of the item's JSON, version
/// left out, bound to the updatedAt it produced (milliseconds, which survive PostgreSQL's microseconds), so any later
/// change to the article voids it. One per request: the JSON is written to a buffer used again for every item.
/// </summary>
internal sealed class ImportStamps
{
    // Chinese as characters: the \uXXXX escapes of the default encoder made twice the bytes and most of the work of an
    // unchanged item. Options of its own, not the API's: a change to how the API writes JSON must not void every stamp.
    static readonly JsonSerializerOptions Canonical = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    // How the JSON was written for the stamps stored before: articles imported then are still recognised by them.
    static readonly JsonSerializerOptions Escaped = new(JsonSerializerDefaults.Web);

    static readonly JsonWriterOptions Writing = new() { Encoder = Canonical.Encoder, SkipValidation = true };

    const int BufferBytes = 16 * 1024;
    ArrayBufferWriter<byte> _json = new(BufferBytes);

    /// <summary>The hash of the item, the same for the same members whatever its version, spacing or member order.</summary>
    public byte[] Hash(ImportItem item)
    {
        _json.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_json, Writing))
            JsonSerializer.Serialize(writer, item with { Version = null }, Canonical);
        var hash = SHA256.HashData(_json.WrittenSpan);
        // A 1 MB item leaves no buffer of its size behind for the rest of the request.
        if (_json.Capacity > 16 * BufferBytes)
            _json = new(BufferBytes);
        return hash;
    }

    /// <summary>The stamp of an item of this hash that left its article at updatedAt.</summary>
    public static string Of(byte[] hash, DateTimeOffset updatedAt)
    {
        Span<byte> input = stackalloc byte[SHA256.HashSizeInBytes + sizeof(long)];
        hash.CopyTo(input);
        BitConverter.TryWriteBytes(input[SHA256.HashSizeInBytes..], updatedAt.ToUnixTimeMilliseconds());
        Span<byte> stamp = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(input, stamp);
        return Convert.ToHexStringLower(stamp);
    }

    /// <summary>Whether the article's stamp says it is as this item (of this hash) left it, by either form of the JSON.</summary>
    public static bool Matches(string? stored, byte[] hash, ImportItem item, DateTimeOffset updatedAt) =>
        stored is not null && (stored == Of(hash, updatedAt)
                               || stored == Of(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(item with { Version = null }, Escaped)), updatedAt));
}
