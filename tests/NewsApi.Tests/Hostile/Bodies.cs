using System.Text;
using System.Text.Json.Nodes;

namespace NewsApi.Tests.Hostile;

/// <summary>A place in a JSON document: the keys and indexes that lead to it from the root.</summary>
internal sealed record JsonPath(IReadOnlyList<object> Steps)
{
    public override string ToString() => Steps.Count == 0 ? "$" : "$" + string.Concat(Steps.Select(s => s is int i ? $"[{i}]" : "." + s));
}

/// <summary>
/// The documented example of a request body, and ways to spoil it: any value replaced by raw bytes, which may be
/// anything from valid JSON of the wrong type to bytes that are not UTF-8 at all.
/// </summary>
internal static class Bodies
{
    const string Placeholder = "zzhostileplaceholderzz";

    public static bool IsText(BodyType body) => body.MediaType == "text/plain";

    /// <summary>The example as sent: JSON compact (one line for NDJSON), the wire text as it is.</summary>
    public static byte[] Example(BodyType body) => Encoding.UTF8.GetBytes(Text(body, body.Example));

    static string Text(BodyType body, JsonNode? node) =>
        IsText(body) ? (string?)node ?? "" : (node?.ToJsonString() ?? "{}") + (body.MediaType == "application/x-ndjson" ? "\n" : "");

    /// <summary>Every place in the example that holds a value (not the root), strings first.</summary>
    public static List<JsonPath> Places(JsonNode? root)
    {
        var places = new List<(JsonPath Path, bool String)>();
        void Walk(JsonNode? node, List<object> steps)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (key, value) in o)
                        Walk(value, [.. steps, key]);
                    break;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++)
                        Walk(a[i], [.. steps, i]);
                    break;
            }
            if (steps.Count > 0)
                places.Add((new JsonPath(steps), node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String));
        }
        Walk(root, []);
        return places.OrderByDescending(p => p.String).Select(p => p.Path).ToList();
    }

    public static List<JsonPath> Strings(JsonNode? root) =>
        Places(root).Where(p => At(root, p) is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String).ToList();

    public static JsonNode? At(JsonNode? root, JsonPath path)
    {
        var node = root;
        foreach (var step in path.Steps)
            node = step is int i ? node?[i] : node?[(string)step];
        return node;
    }

    /// <summary>The example with the value at <paramref name="path"/> replaced by <paramref name="literal"/>, bytes as given.</summary>
    public static byte[] Splice(BodyType body, JsonPath path, byte[] literal)
    {
        var copy = body.Example?.DeepClone();
        var parent = At(copy, new JsonPath(path.Steps.Take(path.Steps.Count - 1).ToList()));
        switch (path.Steps[^1])
        {
            case int i: parent!.AsArray()[i] = Placeholder; break;
            case string key: parent!.AsObject()[key] = Placeholder; break;
        }
        return Replace(Encoding.UTF8.GetBytes(Text(body, copy)), Encoding.UTF8.GetBytes($"\"{Placeholder}\""), literal);
    }

    public static byte[] Splice(BodyType body, JsonPath path, string literal) => Splice(body, path, Encoding.UTF8.GetBytes(literal));

    /// <summary>A JSON string literal of the value's text with raw bytes appended inside the quotes.</summary>
    public static byte[] StringWith(JsonNode? value, byte[] raw)
    {
        var text = value?.ToJsonString() ?? "\"\"";
        return [.. Encoding.UTF8.GetBytes(text[..^1]), .. raw, (byte)'"'];
    }

    /// <summary>For wire text, which is not JSON: the text with raw bytes put in the middle of its first line.</summary>
    public static byte[] TextWith(BodyType body, byte[] raw)
    {
        var bytes = Example(body);
        var at = Math.Max(1, Array.IndexOf(bytes, (byte)'\n') / 2);
        return [.. bytes[..at], .. raw, .. bytes[at..]];
    }

    static byte[] Replace(byte[] source, byte[] find, byte[] with)
    {
        var at = source.AsSpan().IndexOf(find);
        return at < 0 ? source : [.. source[..at], .. with, .. source[(at + find.Length)..]];
    }

    /// <summary>The example with its first top-level key repeated, once with a value of the wrong type.</summary>
    public static IEnumerable<(string Case, byte[] Body)> DuplicateKeys(BodyType body)
    {
        var target = body.Example is JsonArray { Count: > 0 } a ? a[0] : body.Example;
        if (target is not JsonObject o || o.Count == 0)
            yield break;
        var text = Text(body, body.Example);
        foreach (var (key, value) in o.Take(4))
        {
            var at = text.IndexOf('{');
            yield return ($"duplicate key {key}", Encoding.UTF8.GetBytes(text[..(at + 1)] + $"\"{key}\":{value?.ToJsonString() ?? "null"}," + text[(at + 1)..]));
            yield return ($"duplicate key {key} of another type", Encoding.UTF8.GetBytes(text[..(at + 1)] + $"\"{key}\":[{{}}]," + text[(at + 1)..]));
        }
        yield return ("duplicate key differing in case", Encoding.UTF8.GetBytes(text[..(text.IndexOf('{') + 1)]
            + $"\"{o.First().Key.ToUpperInvariant()}\":{o.First().Value?.ToJsonString() ?? "null"}," + text[(text.IndexOf('{') + 1)..]));
    }
}
