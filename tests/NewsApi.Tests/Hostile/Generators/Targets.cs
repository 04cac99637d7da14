using System.Text;

namespace NewsApi.Tests.Hostile.Generators;

/// <summary>What the generators share: who calls an operation, and the bodies they start from.</summary>
internal static class Targets
{
    /// <summary>An admin key where the operation needs one (so the request gets as far as its input), none where it is public.</summary>
    public static Credential Caller(Operation op) => op.Secured ? Credential.Admin : Credential.Anonymous;

    public static IEnumerable<(Operation Op, BodyType Body)> WithBodies =>
        Operations.All.SelectMany(op => op.Bodies.Select(b => (op, b)));

    /// <summary>
    /// A body that is well-formed but cannot succeed (an empty object), for cases about something else than the
    /// body: the request still reaches the handler, and a write cannot go through by accident.
    /// </summary>
    public static (byte[]? Body, string? ContentType) Minimal(Operation op) => (op.Bodies.Count > 0 ? op.Bodies[0] : null) switch
    {
        null => (null, null),
        { MediaType: "text/plain" } b => ([], b.MediaType),
        { MediaType: "application/x-ndjson" } b => ("{}\n"u8.ToArray(), b.MediaType),
        var b => ("{}"u8.ToArray(), b.MediaType),
    };

    public static HostileRequest Request(string @case, Operation op, string url, Credential? credential = null)
    {
        var (body, type) = Minimal(op);
        return new HostileRequest(@case, op.Method, url, credential ?? Caller(op)) { Body = body, ContentType = type };
    }

    public static HostileRequest WithBody(string @case, Operation op, BodyType type, string url, byte[] body, string? contentType = null) =>
        new(@case, op.Method, url, Caller(op)) { Body = body, ContentType = contentType ?? type.MediaType };

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Query values and path segments that are wrong in every way that matters here, escaped as they travel.</summary>
    public static readonly string[] JunkValues =
    [
        "", "%00", "x%00y", "%01", "%1b%5b31m", "%0d%0aX-Injected:%20yes", "%20", "-1", "0", "2147483648", "99999999999999999999",
        "1e400", "1.5", "abc", "true", "null", "%5B%5D", "%7B%7D", "2026-13-45", "9999-12-31T23:59:59Z", "0001-01-01", "-infinity",
        "%ff", "%c0%af", "%ed%a0%80", "' OR 1=1--", "..%2f..%2fetc%2fpasswd", "a,,b,", "*", "%F0%9F%98%80", "%E7%83%8F%E9%8E%AE",
        new string('a', 3000), "eyJhIjoxfQ", "AAAA====", "!!!", "0190A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B",
    ];
}
