using static NewsApi.Tests.Hostile.Generators.Targets;

namespace NewsApi.Tests.Hostile.Generators;

/// <summary>
/// Headers that lie or make no sense: bodies under the wrong, a missing or a garbage Content-Type, charsets nobody
/// knows, and on every operation garbage Accept, conditional, range, forwarding, idempotency and encoding headers.
/// </summary>
internal static class Headers
{
    static readonly string?[] ContentTypes =
    [
        null, "", "garbage", "application/", "/json", "application/json; charset=ebcdic", "application/json;;;", "application/*", "*/*",
        "text/plain", "application/xml", "text/html", "application/x-www-form-urlencoded", "multipart/form-data",
        "multipart/form-data; boundary=x", "application/octet-stream", "application/json, text/plain", "application/json; charset=utf-16",
        "application/json+garbage", "application/merge-patch+json; charset=latin1", "application/" + new string('j', 2_000),
    ];

    static readonly (string Name, string Value)[] Others =
    [
        ("Accept", "garbage"), ("Accept", "application/xml"), ("Accept", "text/html"), ("Accept", "*/*;q=abc"), ("Accept", "application/json;q=0"),
        ("Accept", string.Join(",", Enumerable.Range(0, 400).Select(i => $"type{i}/sub{i};q=0.{i % 10}"))), ("Accept", "image/*;q=1, */*;q=0"),
        ("Accept-Charset", "ebcdic"), ("Accept-Encoding", "garbage;q=2"), ("Accept-Language", "zz-ZZ-x-" + new string('a', 500)),
        ("If-None-Match", "garbage"), ("If-None-Match", "*"), ("If-None-Match", "W/\"1\", \"" + new string('e', 2_000) + "\""),
        ("If-Match", "garbage"), ("If-Match", "\"0\""), ("If-Match", "W/\"1\""), ("If-Modified-Since", "yesterday"),
        ("If-Modified-Since", "Fri, 31 Dec 9999 23:59:59 GMT"), ("If-Unmodified-Since", "Thu, 01 Jan 1970 00:00:00 GMT"),
        ("Range", "bytes=garbage"), ("Range", "bytes=0-0,1-1,2-2,3-3,4-4,5-5"), ("X-Forwarded-For", "garbage, 999.1.1.1, ::zz"),
        ("X-Forwarded-Host", "evil.example"), ("X-Forwarded-Proto", "gopher"), ("Forwarded", "for=\"[::zz]\";proto=x"),
        ("X-HTTP-Method-Override", "DELETE"), ("Idempotency-Key", ""), ("Idempotency-Key", new string('k', 2_000)),
        ("Idempotency-Key", "%00\u0001"), ("Origin", "http://evil.example"), ("Cookie", string.Join("; ", Enumerable.Range(0, 300).Select(i => $"c{i}=v"))),
        ("Expect", "100-continue"), ("Expect", "garbage"), ("Content-Encoding", "gzip"), ("Content-Encoding", "garbage"),
        ("Content-Language", "\u00e9\u00e8"), ("X-Latin-1", "caf\u00e9"), ("Accept", "application/problem+json"),
    ];

    public static IEnumerable<HostileRequest> Generate(Seeded s)
    {
        foreach (var (op, type) in WithBodies)
            foreach (var contentType in ContentTypes.Where(c => c is null || !op.Bodies.Any(b => b.MediaType == c)))
                yield return WithBody($"Content-Type {Show(contentType)}", op, type, s.RealUrl(op), Bodies.Example(type), contentType)
                    with { ContentType = contentType };

        foreach (var op in Operations.All)
        {
            // A write aims at nothing stored here, so a header that is wrongly accepted cannot change data.
            var url = op.Safe || !op.InPath.Any() ? s.RealUrl(op) : Seeded.MissingUrl(op);
            foreach (var (name, value) in Others)
                yield return Request($"{name}: {Show(value)}", op, url) with { Headers = [(name, value)] };
            yield return Request("Host of garbage", op, url) with { Headers = [("Host", "evil..example:99999")] };
        }
    }

    static string Show(string? value) => value is null ? "(none)" : value.Length > 40 ? value[..40] + "…" : value;
}
