using static NewsApi.Tests.Hostile.Generators.Targets;

namespace NewsApi.Tests.Hostile.Generators;

/// <summary>
/// Every path parameter of every operation filled with every existing value (each hidden article too, for the leak
/// check) and with junk: traversal in its encoded forms, NUL and CR LF, SQL, numbers out of range, UUIDs in other
/// spellings; then each path itself bent (trailing and double slashes, other case, a suffix) and paths that do not exist.
/// </summary>
internal static class Paths
{
    static readonly string[] Junk =
    [
        "..", ".", "%2e%2e", "..%2f..%2f..%2fetc%2fpasswd", "..%2F", "%2e%2e%2f%2e%2e%2f", "..%5c..%5cwindows", "%252e%252e%252f",
        "a%2fb", "%00", "x%00y", "%0d%0aX-Injected:%20yes", "%09", "%20", "%7Bid%7D", "'%20OR%20'1'='1", "1;DROP%20TABLE%20articles",
        "-1", "0", "2147483648", "99999999999999999999", "1e3", "0x10", "00000000-0000-0000-0000-000000000000",
        "{0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b}", "0190a1b2c3d47e5f8a9b0c1d2e3f4a5b", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5", "%F0%9F%98%80",
        "%E7%83%8F%E9%8E%AE", "UPPER-Case", "a.b", "rss.atom", "%3Cscript%3E", "~", "%7E%7E", "@@", new string('9', 300),
    ];

    static readonly string[] Unknown =
    [
        "/api/v2/articles", "/api/v1/nothing", "/api/v1/", "/api", "/.env", "/api/v1/articles/..%2f..%2f..%2fetc%2fpasswd", "/%2e%2e/%2e%2e/etc/passwd",
        "/api/v1/%2e%2e/v1/articles", "/feeds/sections/.rss", "/feeds/.json", "/sitemap-.xml", "/sitemap-0.xml", "/sitemap--1.xml",
        "/sitemap-99999999999.xml", "/sitemap-1.xml.gz", "/health/%00", "/swagger/%2e%2e/v1/swagger.json", "/test-only/crash%00",
        "/api//v1/articles", "/API/V1/ARTICLES", "/api/v1/articles;jsessionid=1", "/api/v1/articles%3Flimit=1",
        "/api/v1/articles%23x", "/index.php", "/wp-admin/", "/api/v1/articles/" + new string('a', 5_000),
    ];

    public static IEnumerable<HostileRequest> Generate(Seeded s)
    {
        foreach (var op in Operations.All)
        {
            // Existing values: anonymous and as the caller (the leak check needs every hidden article's own address).
            foreach (var url in op.Safe ? s.RealUrls(op).Take(12) : [])
            {
                yield return Request("existing", op, url, Credential.Anonymous);
                yield return Request("existing, previewer", op, url, Credential.Previewer);
            }
            foreach (var p in op.InPath)
                foreach (var junk in Junk)
                    yield return Request($"{p.Name} = {junk[..Math.Min(junk.Length, 40)]}", op,
                        Seeded.Url(op, q => q == p ? junk : Uri.EscapeDataString(s.Real(op, q)[0])));

            // A write without a body aims at nothing stored, so bending its path cannot delete or publish by accident.
            var real = op.Safe || op.Bodies.Count > 0 ? s.RealUrl(op) : Seeded.MissingUrl(op);
            foreach (var (@case, url) in new[]
            {
                ("trailing slash", real + "/"), ("double slash", real.Replace("/v1/", "/v1//")), ("upper case", real.ToUpperInvariant()),
                ("suffix .json", real + ".json"), ("suffix %00", real + "%00"), ("dot segment", real + "/%2e%2e"),
                ("semicolon parameter", real + ";x=1"), ("encoded slash", real.Replace("/api/v1/", "/api%2fv1%2f")),
            })
                yield return Request(@case, op, url);
        }
        foreach (var path in Unknown)
            foreach (var method in new[] { "GET", "POST", "DELETE" })
                yield return new HostileRequest($"unknown path {path[..Math.Min(path.Length, 40)]}", method, path, Credential.Anonymous);
    }
}
