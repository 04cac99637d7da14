using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using NewsApi.Import.Ninjs;

namespace NewsApi.Import;

/// <summary>What the body holds, from its Content-Type and ?format=.</summary>
internal enum ImportFormat { Ndjson, JsonArray, NinjsNdjson, NinjsArray, NinjsItem, WireText }

/// <summary>
/// Reads the body item by item, never all of it at once: NDJSON line by line from a pipe, a JSON array element by
/// element (see <see cref="JsonArrayItems"/>), neither keeping more than the item limit of one item; a single ninjs
/// item or wire story up to the item limit. Each item is parsed on its own, so a broken line becomes that line's
/// errors and the next line is read as usual.
/// </summary>
internal sealed class ImportReader(ImportOptions options, JsonSerializerOptions json, ImportQuery query, DateOnly today)
{
    public const string NdjsonMediaType = "application/x-ndjson";
    public const string NinjsMediaType = "application/ninjs+json";
    public static readonly IReadOnlyList<string> MediaTypes = [NdjsonMediaType, "application/json", NinjsMediaType, "text/plain"];

    int _items;

    public static ImportFormat? FormatOf(string? contentType, bool ninjs)
    {
        var media = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        return media switch
        {
            NdjsonMediaType or "application/jsonl" or "application/x-jsonlines" => ninjs ? ImportFormat.NinjsNdjson : ImportFormat.Ndjson,
            "application/json" => ninjs ? ImportFormat.NinjsArray : ImportFormat.JsonArray,
            NinjsMediaType => ImportFormat.NinjsItem,
            "text/plain" => ImportFormat.WireText,
            _ => null,
        };
    }

    public IAsyncEnumerable<ParsedItem> Read(Stream body, ImportFormat format, CancellationToken ct) => format switch
    {
        ImportFormat.Ndjson or ImportFormat.NinjsNdjson => Lines(body, format == ImportFormat.NinjsNdjson, ct),
        ImportFormat.JsonArray or ImportFormat.NinjsArray => Elements(body, format == ImportFormat.NinjsArray, ct),
        _ => Single(body, format, ct),
    };

    async IAsyncEnumerable<ParsedItem> Lines(Stream body, bool ninjs, [EnumeratorCancellation] CancellationToken ct)
    {
        var reader = PipeReader.Create(body, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));
        var line = 0;
        long skipped = -1; // bytes of an over-long line being skipped, or -1
        while (true)
        {
            var read = await reader.ReadAsync(ct);
            var buffer = read.Buffer;
            while (buffer.PositionOf((byte)'\n') is { } end)
            {
                var text = buffer.Slice(0, end);
                buffer = buffer.Slice(buffer.GetPosition(1, end));
                line++;
                if (skipped >= 0)
                {
                    yield return TooLong(line, skipped + text.Length);
                    skipped = -1;
                }
                else if (Item(line, text, ninjs) is { } item)
                    yield return item;
            }
            if (read.IsCompleted)
            {
                if (skipped >= 0)
                    yield return TooLong(line + 1, skipped + buffer.Length);
                else if (buffer.Length > 0 && Item(line + 1, buffer, ninjs) is { } last)
                    yield return last;
                break;
            }
            if (skipped >= 0 || buffer.Length > options.MaxItemBytes)
            {
                // A line longer than the limit is not kept in memory: it is skipped to its end and reported.
                skipped = Math.Max(skipped, 0) + buffer.Length;
                buffer = buffer.Slice(buffer.End);
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
        await reader.CompleteAsync();
    }

    ParsedItem? Item(int line, ReadOnlySequence<byte> text, bool ninjs)
    {
        if (text.Length > 0 && text.Slice(text.Length - 1).FirstSpan[0] == (byte)'\r')
            text = text.Slice(0, text.Length - 1);
        if (text.Length > options.MaxItemBytes)
            return TooLong(line, text.Length);
        var bytes = text.ToArray();
        if (bytes.AsSpan().Trim(" \t"u8).IsEmpty)
            return null;
        Count();
        return ninjs ? NinjsImport.Parse(line, bytes) : Native(line, bytes);
    }

    async IAsyncEnumerable<ParsedItem> Elements(Stream body, bool ninjs, [EnumeratorCancellation] CancellationToken ct)
    {
        // The element's own bytes, not a string of them: broken UTF-8 is then the item's JSON error, not a crash.
        await foreach (var element in JsonArrayItems.Read(body, options.MaxItemBytes, ct))
        {
            if (element.Bytes is not { } bytes)
            {
                yield return TooLong(element.Position, element.Length);
                continue;
            }
            Count();
            yield return ninjs ? NinjsImport.Parse(element.Position, bytes) : Native(element.Position, bytes);
        }
    }

    async IAsyncEnumerable<ParsedItem> Single(Stream body, ImportFormat format, [EnumeratorCancellation] CancellationToken ct)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int n;
        while ((n = await body.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, n);
            if (buffer.Length > options.MaxItemBytes)
                throw new ImportLimitException("Import:MaxItemBytes", options.MaxItemBytes,
                    $"A {(format == ImportFormat.WireText ? "wire story" : "ninjs item")} may be at most {options.MaxItemBytes} bytes (Import:MaxItemBytes).");
        }
        Count();
        yield return format == ImportFormat.WireText
            ? WireTextImport.Parse(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length), query.ExternalId, query.Date ?? today)
            : NinjsImport.Parse(1, buffer.ToArray());
    }

    void Count()
    {
        if (++_items > options.MaxItems)
            throw new ImportLimitException("Import:MaxItems", options.MaxItems,
                $"An import may carry at most {options.MaxItems} items (Import:MaxItems); split the file.");
    }

    ParsedItem TooLong(int line, long length)
    {
        Count();
        return new(line, null, new Dictionary<string, string[]>
        {
            ["line"] = [$"The item is {length} bytes; an item may be at most {options.MaxItemBytes} bytes (Import:MaxItemBytes)."],
        });
    }

    ParsedItem Native(int line, byte[] bytes)
    {
        try
        {
            var item = JsonSerializer.Deserialize<ImportItem>(bytes, json);
            return item is null
                ? new(line, null, new Dictionary<string, string[]> { ["line"] = ["The line must hold a JSON object, one article."] })
                : new(line, item);
        }
        catch (JsonException e)
        {
            return new(line, null, JsonErrors(e), ExternalIdOf(bytes));
        }
    }

    /// <summary>The member at fault in the client's terms, as the single-article write reports it.</summary>
    internal static Dictionary<string, string[]> JsonErrors(JsonException e)
    {
        var path = e.Path is { Length: > 1 } p ? p.TrimStart('$', '.') : "line";
        var message = e.Message;
        var reason = message.Contains("could not be mapped", StringComparison.Ordinal) ? "is not a member of an import item."
            : message.Contains("uplicate", StringComparison.Ordinal) ? "appears more than once."
            : message.Contains("surrogate", StringComparison.OrdinalIgnoreCase) || message.Contains("UTF", StringComparison.Ordinal) ? "is not valid Unicode text."
            : e.Path is null or "$" ? "is not valid JSON." : "has a value of the wrong type or format.";
        return new() { [path] = [$"{path} {reason}"] };
    }

    /// <summary>The externalId of a line that did not bind, so its result can still name it.</summary>
    static string? ExternalIdOf(byte[] bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.ValueKind == JsonValueKind.Object
                   && document.RootElement.TryGetProperty("externalId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
        }
        // Text that is not valid Unicode (broken UTF-8, a lone surrogate) is already the line's error: no id then.
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
