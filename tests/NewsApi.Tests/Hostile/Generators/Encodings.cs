using System.Text;
using static NewsApi.Tests.Hostile.Generators.Targets;

namespace NewsApi.Tests.Hostile.Generators;

/// <summary>
/// Text that is not what it claims: bytes that are not UTF-8 (lone surrogates, overlong forms, stray continuation
/// bytes, code points past U+10FFFF), escaped lone surrogates, bodies in other encodings or with charsets the
/// service does not know, and the same broken bytes percent-encoded into path and query values.
/// </summary>
internal static class Encodings
{
    static readonly (string Name, byte[] Bytes)[] Broken =
    [
        ("encoded lone surrogate", [0xED, 0xA0, 0x80]), ("encoded low surrogate", [0xED, 0xB0, 0x80]), ("byte FF", [0xFF]),
        ("truncated sequence", [0xE7, 0x83]), ("lone continuation byte", [0x80]), ("overlong slash", [0xC0, 0xAF]),
        ("overlong NUL", [0xC0, 0x80]), ("three-byte overlong", [0xE0, 0x80, 0xAF]), ("four-byte overlong", [0xF0, 0x82, 0x82, 0xAC]),
        ("past U+10FFFF", [0xF4, 0x90, 0x80, 0x80]), ("escaped lone surrogate", @"\ud800"u8.ToArray()),
        ("escaped low surrogate first", @"\udc00\ud800"u8.ToArray()), ("escaped surrogate then letter", @"\ud83dA"u8.ToArray()),
    ];

    static readonly string[] BrokenEscapes = ["%ed%a0%80", "%ff", "%c0%af", "%c0%80", "%e0%80%af", "%f0%82%82%ac", "%f4%90%80%80", "%e7%83", "%80", "%", "%zz", "%u0041"];

    public static IEnumerable<HostileRequest> Generate(Seeded s)
    {
        foreach (var (op, type) in WithBodies)
        {
            var url = s.RealUrl(op);
            HostileRequest Body(string @case, byte[] body, string? contentType = null) => WithBody(@case, op, type, url, body, contentType);

            if (Bodies.IsText(type))
                foreach (var (name, bytes) in Broken.Where(b => b.Bytes[0] != '\\'))
                    yield return Body($"{name} in wire text", Bodies.TextWith(type, bytes));
            else
                foreach (var path in Bodies.Strings(type.Example).Take(2))
                    foreach (var (name, bytes) in Broken)
                        yield return Body($"{name} in {path}", Bodies.Splice(type, path, Bodies.StringWith(Bodies.At(type.Example, path), bytes)));

            var text = Encoding.UTF8.GetString(Bodies.Example(type));
            yield return Body("UTF-16 with its charset", Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(text)).ToArray(), type.MediaType + "; charset=utf-16");
            yield return Body("UTF-16 without a charset", Encoding.Unicode.GetBytes(text));
            yield return Body("UTF-32 with a byte order mark", Encoding.UTF32.GetPreamble().Concat(Encoding.UTF32.GetBytes(text)).ToArray());
            yield return Body("Latin-1 named as such", Encoding.Latin1.GetBytes(text), type.MediaType + "; charset=iso-8859-1");
            yield return Body("Latin-1 named UTF-8", Encoding.Latin1.GetBytes(text), type.MediaType + "; charset=utf-8");
            yield return Body("UTF-8 with a byte order mark", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)], type.MediaType + "; charset=utf-8");
            foreach (var charset in new[] { "ebcdic", "utf-7", "\"\"", "x-unknown", "utf-8; charset=utf-16", "utf-8\"" })
                yield return Body($"charset {charset}", Encoding.UTF8.GetBytes(text), $"{type.MediaType}; charset={charset}");
        }

        foreach (var op in Operations.All)
        {
            foreach (var p in op.InPath)
                foreach (var escape in BrokenEscapes)
                    yield return Request($"{escape} in path {p.Name}", op, Seeded.Url(op, q => q == p ? "a" + escape + "b" : Uri.EscapeDataString(s.Real(op, q)[0])));
            foreach (var p in op.Query.Take(6))
                foreach (var escape in BrokenEscapes)
                    yield return Request($"{escape} in query {p.Name}", op, s.RealUrl(op, $"{p.Name}=a{escape}b"));
            yield return Request("broken UTF-8 in a query name", op, s.RealUrl(op, "%ff%fe=1"));
        }
    }
}
