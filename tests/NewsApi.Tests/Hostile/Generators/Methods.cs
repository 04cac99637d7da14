using static NewsApi.Tests.Hostile.Generators.Targets;

namespace NewsApi.Tests.Hostile.Generators;

/// <summary>
/// Every path under every method it does not declare (a 405 problem, anonymous or with an admin key, aimed at
/// existing and missing resources), HEAD and OPTIONS on every path, and methods no one should send.
/// </summary>
internal static class Methods
{
    static readonly string[] Standard = ["GET", "PUT", "POST", "PATCH", "DELETE"];
    static readonly string[] Odd = ["TRACE", "PROPFIND", "FOO", "get", "M-SEARCH", "PURGE"];

    public static IEnumerable<HostileRequest> Generate(Seeded s)
    {
        foreach (var group in Operations.All.GroupBy(o => o.Path))
        {
            var declared = group.Select(o => o.Method).ToHashSet();
            var op = group.First();
            var urls = new[] { s.RealUrl(op), Seeded.MissingUrl(op) }.Distinct();
            foreach (var url in urls)
                foreach (var credential in new[] { Credential.Anonymous, Credential.Admin })
                {
                    foreach (var method in Standard.Where(m => !declared.Contains(m)))
                        yield return new HostileRequest($"undeclared {method}", method, url, credential)
                        {
                            Body = method is "GET" or "DELETE" ? null : "{}"u8.ToArray(), ContentType = method is "GET" or "DELETE" ? null : "application/json",
                            Expect = 405,
                        };
                    yield return new HostileRequest("HEAD", "HEAD", url, credential);
                    yield return new HostileRequest("OPTIONS", "OPTIONS", url, credential);
                    yield return new HostileRequest("OPTIONS preflight", "OPTIONS", url, credential)
                    {
                        Headers = [("Origin", "http://evil.example"), ("Access-Control-Request-Method", "DELETE"), ("Access-Control-Request-Headers", "authorization, x-evil")],
                    };
                    foreach (var method in Odd)
                        yield return new HostileRequest($"method {method}", method, url, credential);
                }
        }
        foreach (var op in Operations.All.Where(o => o.Method == "GET"))
            yield return Request("GET with a body", op, s.RealUrl(op)) with { Body = "{\"status\":\"draft\"}"u8.ToArray(), ContentType = "application/json" };
    }
}
