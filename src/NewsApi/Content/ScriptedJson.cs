using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace NewsApi.Content;

/// <summary>
/// A JSON answer with its prose in another script, whatever the answer is (an article, a page of them, a topic, the
/// section tree, a tag): every string converted by <see cref="ChineseConverter"/> but those that name, address, time
/// or identify something. Each object's own <c>language</c> says what its text is written in (a list may mix stories
/// written in either script; objects without one, such as body blocks, inherit it) and becomes the script's tag. The
/// root object gains <c>alternates</c>: the same answer's address in each script, ready for hreflang.
/// </summary>
internal static class ScriptedJson
{
    // Members whose values are names, addresses, times, codes or opaque positions, never prose: left as they are.
    static readonly HashSet<string> Kept = new(StringComparer.Ordinal)
    {
        "id", "slug", "parent", "status", "language", "type", "format", "kind", "mimeType", "contentType", "provider", "url", "href",
        "hreflang", "src", "email", "etag", "nextCursor", "cursor", "nextSyncToken", "token", "rel", "sameAs",
    };

    static bool Converts(string name) => !Kept.Contains(name) && !name.EndsWith("Url", StringComparison.Ordinal)
                                         && !name.EndsWith("At", StringComparison.Ordinal) && !name.EndsWith("Id", StringComparison.Ordinal);

    /// <summary>The document with its text in <paramref name="script"/> and, when it is an object, <paramref name="alternates"/> added.</summary>
    public static byte[] Convert(ReadOnlySpan<byte> document, ChineseScript script, IEnumerable<(string Hreflang, string Href)> alternates)
    {
        var reader = new Utf8JsonReader(document);
        using var parsed = JsonDocument.ParseValue(ref reader);
        var buffer = new ArrayBufferWriter<byte>(document.Length + 512);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            var root = parsed.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                Write(writer, root, "", script, null);
            else
            {
                WriteMembers(writer, root, script, null);
                writer.WriteStartArray("alternates");
                foreach (var (hreflang, href) in alternates)
                {
                    writer.WriteStartObject();
                    writer.WriteString("hreflang", hreflang);
                    writer.WriteString("href", href);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Opens the object and writes its members, leaving it open for the caller to close.</summary>
    static void WriteMembers(Utf8JsonWriter writer, JsonElement value, ChineseScript script, string? language)
    {
        if (value.TryGetProperty("language", out var own) && own.ValueKind == JsonValueKind.String)
            language = own.GetString();
        writer.WriteStartObject();
        foreach (var member in value.EnumerateObject())
        {
            if (member.NameEquals("language") && member.Value.ValueKind == JsonValueKind.String)
            {
                writer.WriteString("language", script.Tag);
                continue;
            }
            writer.WritePropertyName(member.Name);
            Write(writer, member.Value, member.Name, script, language);
        }
    }

    static void Write(Utf8JsonWriter writer, JsonElement value, string name, ChineseScript script, string? language)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                WriteMembers(writer, value, script, language);
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                    Write(writer, item, name, script, language);
                writer.WriteEndArray();
                break;
            case JsonValueKind.String when Converts(name):
                writer.WriteStringValue(ChineseConverter.Convert(value.GetString()!, script, language));
                break;
            default:
                value.WriteTo(writer);
                break;
        }
    }
}
