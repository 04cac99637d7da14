using System.Text;
using System.Text.Json;
using static NewsApi.Tests.Hostile.Generators.Targets;

namespace NewsApi.Tests.Hostile.Generators;

/// <summary>
/// Too much of everything: long strings in every string field, 1 MB of <c>&lt;a</c> and a 3 MB body, arrays of
/// ten thousand items, objects of ten thousand keys, long query values, many query parameters, long path segments,
/// and request lines past Kestrel's limit (which Kestrel refuses itself, before the app).
/// </summary>
internal static class Sizes
{
    public static IEnumerable<HostileRequest> Generate(Seeded s)
    {
        var bigBodies = 0;
        foreach (var (op, type) in WithBodies)
        {
            var url = s.RealUrl(op);
            HostileRequest Body(string @case, byte[] body) => WithBody(@case, op, type, url, body);

            if (Bodies.IsText(type))
            {
                yield return Body("wire text of 200 KB", Bodies.TextWith(type, Utf8(new string('烏', 70_000))));
                yield return Body("wire text of 10,000 lines", Bodies.TextWith(type, Utf8(string.Concat(Enumerable.Repeat("行\n", 10_000)))));
                continue;
            }
            foreach (var path in Bodies.Strings(type.Example).Take(4))
                yield return Body($"64 KB at {path}", Bodies.Splice(type, path, JsonSerializer.Serialize(new string('x', 65_536))));
            var first = Bodies.Strings(type.Example).FirstOrDefault();
            if (first is not null)
            {
                yield return Body($"1 MB of <a at {first}", Bodies.Splice(type, first, "\"" + string.Concat(Enumerable.Repeat("<a", 500_000)) + "\""));
                yield return Body($"a long run of spaces at {first}", Bodies.Splice(type, first, "\"x" + new string(' ', 200_000) + "x\""));
                if (bigBodies++ < 3) // enough to show a 3 MB body is refused or at worst taken, never a 5xx
                    yield return Body($"3 MB at {first}", Bodies.Splice(type, first, "\"" + new string('y', 3_000_000) + "\""));
            }
            foreach (var path in Bodies.Places(type.Example).Where(p => Bodies.At(type.Example, p) is System.Text.Json.Nodes.JsonArray))
            {
                var item = Bodies.At(type.Example, path)!.AsArray().FirstOrDefault()?.ToJsonString() ?? "\"x\"";
                yield return Body($"10,000 items at {path}", Bodies.Splice(type, path, "[" + string.Join(",", Enumerable.Repeat(item, 10_000)) + "]"));
            }
            if (first is not null)
                yield return Body($"10,000 keys at {first}", Bodies.Splice(type, first, "{" + string.Join(",", Enumerable.Range(0, 10_000).Select(i => $"\"k{i}\":{i}")) + "}"));
            yield return Body("10,000 unknown properties", Utf8("{" + string.Join(",", Enumerable.Range(0, 10_000).Select(i => $"\"zz{i}\":{i}")) + "}"));
            if (type.MediaType == "application/x-ndjson")
                yield return Body("5,000 NDJSON lines of garbage", Utf8(string.Concat(Enumerable.Repeat("{\"x\":\n", 5_000))));
        }

        foreach (var op in Operations.All)
        {
            foreach (var p in op.Query)
                yield return Request($"6 KB in {p.Name}", op, s.RealUrl(op, $"{p.Name}={new string('9', 6_000)}"));
            var name = op.Query.FirstOrDefault()?.Name ?? "zz";
            yield return Request($"{name} 500 times", op, s.RealUrl(op, string.Join("&", Enumerable.Repeat($"{name}=1", 500))));
            yield return Request("500 distinct parameters", op, s.RealUrl(op, string.Join("&", Enumerable.Range(0, 500).Select(i => $"p{i}=1"))));
            foreach (var p in op.InPath)
            {
                foreach (var length in new[] { 201, 2_000, 7_000 })
                    yield return Request($"{length} characters in {p.Name}", op, Seeded.Url(op, q => q == p ? new string('z', length) : Uri.EscapeDataString(s.Real(op, q)[0])));
            }
            yield return Request("a request line of 20 KB", op, s.RealUrl(op, "q=" + new string('w', 20_000)));
            yield return Request("a header of 20 KB", op, s.RealUrl(op)) with { Headers = [("X-Big", new string('h', 20_000))] };
            yield return Request("a header of 40 KB", op, s.RealUrl(op)) with { Headers = [("X-Big", new string('h', 40_000))] };
            yield return Request("60 headers of 450 bytes", op, s.RealUrl(op)) with
            {
                Headers = Enumerable.Range(0, 60).Select(i => ($"X-Many-{i}", new string('m', 450))).ToList(),
            };
        }
    }
}
