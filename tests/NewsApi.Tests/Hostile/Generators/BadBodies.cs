using System.Text.Json;
using static NewsApi.Tests.Hostile.Generators.Targets;

namespace NewsApi.Tests.Hostile.Generators;

/// <summary>
/// Every request body of the document, spoilt: NUL and other characters XML cannot carry in every string field,
/// every value of the wrong type, huge numbers, deep nesting, duplicate keys, and text that is not JSON at all.
/// Sent with an admin key to the existing resource, so only the body stands between the request and a write.
/// </summary>
internal static class BadBodies
{
    static readonly string[] Controls = [@"\u0001", @"\u0008", @"\u000b", @"\u001f", @"\ufffe", @"\uffff"];

    static readonly string[] Malformed =
    [
        "", " ", "{", "}", "{\"title\":", "{}}", "[1,]", "{'title':'x'}", "{\"title\":\"x\",}", "/*c*/{}", "{\"title\" \"x\"}",
        "null", "true", "\"text\"", "0", "-0", "[]", "[[]]", "NaN", "Infinity", "{\"title\":NaN}", "{\"a\":undefined}", "\u0000",
        "{\"title\":\"unterminated}", "{\"title\":\"\\x41\"}", "{\"title\":\"\\u12\"}", "{\"\\u0000\":1}",
    ];

    public static IEnumerable<HostileRequest> Generate(Seeded s)
    {
        foreach (var (op, type) in WithBodies)
        {
            var url = s.RealUrl(op);
            HostileRequest Body(string @case, byte[] body) => WithBody(@case, op, type, url, body);

            if (Bodies.IsText(type))
            {
                foreach (var c in new[] { "\0", "\u0001", "\u001b", "\ufffe", "\u0000\u0000\u0000" })
                    yield return Body($"wire text with U+{(int)c[0]:X4}", Bodies.TextWith(type, Utf8(c)));
                yield return Body("empty wire text", []);
                yield return Body("wire text of blank lines", Utf8("\n\n\n \n\t\n"));
                continue;
            }

            var count = 0;
            foreach (var path in Bodies.Strings(type.Example))
            {
                var value = Bodies.At(type.Example, path);
                yield return Body($"NUL in {path}", Bodies.Splice(type, path, Bodies.StringWith(value, Utf8(@"\u0000"))));
                var control = Controls[count++ % Controls.Length];
                yield return Body($"{control} in {path}", Bodies.Splice(type, path, Bodies.StringWith(value, Utf8(control))));
                if (count <= 3)
                    yield return Body($"raw NUL byte in {path}", Bodies.Splice(type, path, Bodies.StringWith(value, [0, 1, 0x1f])));
            }

            foreach (var path in Bodies.Places(type.Example))
            {
                var kind = Bodies.At(type.Example, path)?.GetValueKind();
                var scalar = kind == JsonValueKind.String ? "12345" : "\"12\"";
                var container = kind == JsonValueKind.Array ? "{\"a\":[1]}" : "[{\"nested\":[true]}]";
                yield return Body($"wrong type {scalar} at {path}", Bodies.Splice(type, path, scalar));
                yield return Body($"wrong type {container} at {path}", Bodies.Splice(type, path, container));
                if (kind is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False || count-- > 0 && path.Steps.Count == 1)
                    foreach (var huge in new[] { "1e400", "-1e400", "123456789012345678901234567890", "0.0000000000000000000000000001e-99999", "18446744073709551616" })
                        yield return Body($"huge number {huge} at {path}", Bodies.Splice(type, path, huge));
            }

            var first = Bodies.Places(type.Example).FirstOrDefault();
            if (first is not null)
            {
                yield return Body($"arrays nested 5000 deep at {first}", Bodies.Splice(type, first, new string('[', 5000) + new string(']', 5000)));
                yield return Body($"objects nested 300 deep at {first}", Bodies.Splice(type, first, string.Concat(Enumerable.Repeat("{\"a\":", 300)) + "1" + new string('}', 300)));
                yield return Body($"unclosed nesting at {first}", Bodies.Splice(type, first, new string('[', 100000)));
            }
            yield return Body("the example twice", [.. Bodies.Example(type), .. Bodies.Example(type)]);
            yield return Body("the example and garbage", [.. Bodies.Example(type), .. Utf8("garbage")]);
            yield return Body("an unknown property", Utf8("{\"zzUnknown\":1," + Utf8Text(type)[1..]));
            foreach (var (@case, body) in Bodies.DuplicateKeys(type))
                yield return Body(@case, body);
            foreach (var text in Malformed)
                yield return Body($"malformed {Show(text)}", Utf8(text + (type.MediaType == "application/x-ndjson" && text.Length > 0 ? "\n" : "")));
            if (type.MediaType == "application/x-ndjson")
            {
                yield return Body("NDJSON with a bad second line", [.. Bodies.Example(type), .. Utf8("{\"title\":\n")]);
                yield return Body("NDJSON with blank and NUL lines", [.. Bodies.Example(type), .. Utf8("\n\n\u0000\n")]);
            }
        }
    }

    static string Utf8Text(BodyType type) => System.Text.Encoding.UTF8.GetString(Bodies.Example(type)) is var t && t.StartsWith('{') ? t : "{}";

    static string Show(string text) => JsonSerializer.Serialize(text.Length > 30 ? text[..30] : text);
}
