using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;

namespace NewsApi.Tests.Hostile;

/// <summary>
/// Requests no HTTP client library would send, written byte for byte to the real server's socket: which of them
/// Kestrel refuses before the service runs (an empty answer the service cannot shape; deploy/haproxy.cfg replaces it
/// at the edge), and that every other one is answered by the service as a problem.
/// </summary>
public sealed class RawRequestTests(ApiFixture fixture) : ApiTest(fixture)
{
    const string Host = "Host: 127.0.0.1\r\n";
    const string Json = "Content-Type: application/json\r\n";

    /// <summary>The whole list of what Kestrel alone answers (deploy/README.md names the same): a change in Kestrel fails here.</summary>
    public static TheoryData<string, string, int> RefusedByKestrel => new()
    {
        { "a request line that is not one", "GARBAGE\r\n\r\n", 400 },
        { "no HTTP version", "GET /api/v1/tags\r\n\r\n", 400 },
        { "HTTP/1.2", $"GET /api/v1/tags HTTP/1.2\r\n{Host}\r\n", 505 },
        { "HTTP/2.0 on an HTTP/1 connection", $"GET /api/v1/tags HTTP/2.0\r\n{Host}\r\n", 505 },
        { "a method with a separator in it", $"G(T /api/v1/tags HTTP/1.1\r\n{Host}\r\n", 400 },
        { "a path decoding to NUL", $"GET /api/v1/sections/%00 HTTP/1.1\r\n{Host}\r\n", 400 },
        { "a raw NUL in the path", $"GET /api/v1/\0tags HTTP/1.1\r\n{Host}\r\n", 400 },
        { "raw UTF-8 in the path", $"GET /api/v1/sections/國內 HTTP/1.1\r\n{Host}\r\n", 400 },
        { "a target without its leading slash", $"GET api/v1/tags HTTP/1.1\r\n{Host}\r\n", 400 },
        { "an absolute target naming another host", $"GET http://evil.example/api/v1/tags HTTP/1.1\r\n{Host}\r\n", 400 },
        { "GET *", $"GET * HTTP/1.1\r\n{Host}\r\n", 405 },
        { "CONNECT", $"CONNECT 127.0.0.1:443 HTTP/1.1\r\n{Host}\r\n", 400 },
        { "HTTP/1.1 without Host", "GET /api/v1/tags HTTP/1.1\r\n\r\n", 400 },
        { "two Hosts", "GET /api/v1/tags HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400 },
        { "a Host with a space", "GET /api/v1/tags HTTP/1.1\r\nHost: a b\r\n\r\n", 400 },
        { "a Host with <", "GET /api/v1/tags HTTP/1.1\r\nHost: ex<ample\r\n\r\n", 400 },
        { "a Host with a port of letters", "GET /api/v1/tags HTTP/1.1\r\nHost: example:ab\r\n\r\n", 400 },
        { "a Host with user information", "GET /api/v1/tags HTTP/1.1\r\nHost: u@example\r\n\r\n", 400 },
        { "a Host in UTF-8", "GET /api/v1/tags HTTP/1.1\r\nHost: 國內.example\r\n\r\n", 400 },
        { "a header line without a colon", $"GET /api/v1/tags HTTP/1.1\r\n{Host}Broken\r\n\r\n", 400 },
        { "a space in a header name", $"GET /api/v1/tags HTTP/1.1\r\n{Host}X Y: z\r\n\r\n", 400 },
        { "a space before the colon", $"GET /api/v1/tags HTTP/1.1\r\n{Host}X-Y : z\r\n\r\n", 400 },
        { "a folded header line", $"GET /api/v1/tags HTTP/1.1\r\n{Host}X-Y: a\r\n b\r\n\r\n", 400 },
        { "NUL in a header value", $"GET /api/v1/tags HTTP/1.1\r\n{Host}X-Y: a\0b\r\n\r\n", 400 },
        { "a bare CR in a header value", $"GET /api/v1/tags HTTP/1.1\r\n{Host}X-Y: a\rb\r\n\r\n", 400 },
        { "a Content-Length of letters", $"POST /api/v1/tags HTTP/1.1\r\n{Host}Content-Length: abc\r\n\r\n", 400 },
        { "a negative Content-Length", $"POST /api/v1/tags HTTP/1.1\r\n{Host}Content-Length: -1\r\n\r\n", 400 },
        { "two Content-Lengths", $"POST /api/v1/tags HTTP/1.1\r\n{Host}Content-Length: 2\r\nContent-Length: 3\r\n\r\n{{}}", 400 },
        { "a transfer coding that does not end in chunked", $"POST /api/v1/tags HTTP/1.1\r\n{Host}{Json}Transfer-Encoding: gzip\r\n\r\n{{}}", 400 },
        { "an HTTP/1.0 POST without a length", $"POST /api/v1/tags HTTP/1.0\r\n{Host}{Json}\r\n{{}}", 400 },
        { "a request line past Kestrel's limit (4 × the service's)", $"GET /api/v1/tags?q={new string('w', 40_000)} HTTP/1.1\r\n{Host}\r\n", 414 },
        { "headers past Kestrel's limit (4 × the service's)", $"GET /api/v1/tags HTTP/1.1\r\n{Host}X-Big: {new string('h', 140_000)}\r\n\r\n", 431 },
    };

    [Theory]
    [MemberData(nameof(RefusedByKestrel))]
    public async Task Kestrel_alone_refuses_these_before_the_service_runs(string what, string request, int status)
    {
        var answer = await Send(request);

        Assert.True(answer.Status == status, $"{what}: {answer.Status} {answer.Head}");
        Assert.Null(answer.ContentType);
        Assert.Equal("", answer.Body);
    }

    /// <summary>Malformed or oversized, but past Kestrel: the service answers, as a problem.</summary>
    public static TheoryData<string, string, int> AnsweredByTheService => new()
    {
        { "a request line over 8 KB", $"GET /api/v1/tags?q={new string('w', 10_000)} HTTP/1.1\r\n{Host}\r\n", 414 },
        { "a request line of 20 KB", $"GET /api/v1/tags?q={new string('w', 20_000)} HTTP/1.1\r\n{Host}\r\n", 414 },
        { "a header of 40 KB", $"GET /api/v1/tags HTTP/1.1\r\n{Host}X-Big: {new string('h', 40_000)}\r\n\r\n", 431 },
        { "101 header lines", $"GET /api/v1/tags HTTP/1.1\r\n{Host}{string.Concat(Enumerable.Range(0, 101).Select(i => $"X-H{i}: v\r\n"))}\r\n", 431 },
        { "NUL in the query", $"GET /api/v1/articles?section=%00 HTTP/1.1\r\n{Host}\r\n", 400 },
        { "an unknown method", $"FOO /api/v1/tags HTTP/1.1\r\n{Host}\r\n", 405 },
        { "a control character in the path", $"GET /api/v1/sections/\u0001 HTTP/1.1\r\n{Host}\r\n", 404 },
        { "a path that is not UTF-8", $"GET /api/v1/sections/%ff HTTP/1.1\r\n{Host}\r\n", 404 },
        { "a broken escape in the path", $"GET /api/v1/sections/%zz HTTP/1.1\r\n{Host}\r\n", 404 },
        { "OPTIONS *", $"OPTIONS * HTTP/1.1\r\n{Host}\r\n", 404 },
        { "a Content-Length past the body limit", $"POST /api/v1/tags HTTP/1.1\r\n{Host}{{key}}{Json}Content-Length: 99999999999\r\n\r\n{{}}", 413 },
        { "both Content-Length and chunked", $"POST /api/v1/tags HTTP/1.1\r\n{Host}{{key}}{Json}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{{}}\r\n0\r\n\r\n", 400 },
        { "a chunk size that is not hex", $"POST /api/v1/tags HTTP/1.1\r\n{Host}{{key}}{Json}Transfer-Encoding: chunked\r\n\r\nzz\r\n{{}}\r\n0\r\n\r\n", 400 },
        { "chunks past the body limit", $"POST /api/v1/tags HTTP/1.1\r\n{Host}{{key}}{Json}Transfer-Encoding: chunked\r\n\r\n{string.Concat(Enumerable.Repeat($"8000\r\n{new string(' ', 0x8000)}\r\n", 100))}0\r\n\r\n", 413 },
    };

    [Theory]
    [MemberData(nameof(AnsweredByTheService))]
    public async Task The_service_answers_these_with_a_problem(string what, string request, int status)
    {
        var key = $"Authorization: Bearer {await Given.Key(Role.Editor)}\r\n";
        var answer = await Send(request.Replace("{key}", key, StringComparison.Ordinal));

        Assert.True(answer.Status == status, $"{what}: {answer.Status} {answer.Head}");
        Assert.Equal("application/problem+json", answer.ContentType);
        using var problem = JsonDocument.Parse(answer.Body);
        Assert.Equal(status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.StartsWith("urn:newsapi:problem:", problem.RootElement.GetProperty("type").GetString());
    }

    /// <summary>Kestrel's bare refusals, sent through deploy/haproxy.cfg as it ships: the edge answers them as problems.</summary>
    [Theory]
    [InlineData("GET /api/v1/sections/%00 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 400)]
    [InlineData("GET /api/v1/tags HTTP/1.1\r\nHost: a b\r\n\r\n", 400)]
    [InlineData("GET /api/v1/tags HTTP/1.1\r\n\r\n", 400)]
    [InlineData("GET * HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 405)]
    [InlineData("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 404)]
    public async Task Behind_the_shipped_haproxy_config_they_are_problems_too(string request, int status)
    {
        await using var edge = await Edge.StartAsync(Fixture.Factory.Address);

        var answer = await Send(request, edge.Address);

        Assert.True(answer.Status == status, $"{answer.Status} {answer.Head}");
        Assert.Equal("application/problem+json", answer.ContentType);
        Assert.Equal(status, JsonDocument.Parse(answer.Body).RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Behind_the_shipped_haproxy_config_the_services_own_problems_pass_unchanged()
    {
        await using var edge = await Edge.StartAsync(Fixture.Factory.Address);

        var answer = await Send($"GET /api/v1/sections/nowhere HTTP/1.1\r\n{Host}\r\n", edge.Address);

        Assert.Equal(404, answer.Status);
        Assert.Contains("There is no section 'nowhere'", JsonDocument.Parse(answer.Body).RootElement.GetProperty("detail").GetString());
    }

    /// <summary>HAProxy run on loopback with deploy/haproxy.cfg, both of its servers pointed at the test's service.</summary>
    sealed class Edge : IAsyncDisposable
    {
        readonly System.Diagnostics.Process _process;

        Edge(System.Diagnostics.Process process, Uri address) => (_process, Address) = (process, address);

        public Uri Address { get; }

        public static async Task<Edge> StartAsync(Uri service)
        {
            var root = NewsApi.Development.RepositoryRoot.Find(AppContext.BaseDirectory)!;
            var haproxy = new[] { "/usr/sbin/haproxy", "/usr/local/sbin/haproxy", "/usr/bin/haproxy" }.First(File.Exists);
            var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            var start = new System.Diagnostics.ProcessStartInfo(haproxy, ["-db", "-n", "1000", "-f", Path.Combine(root, "deploy", "haproxy.cfg")])
            {
                RedirectStandardOutput = true, RedirectStandardError = true,
                Environment =
                {
                    ["HAPROXY_BIND"] = $"127.0.0.1:{port}",
                    ["NEWSAPI_API1"] = $"{service.Host}:{service.Port}",
                    ["NEWSAPI_API2"] = $"{service.Host}:{service.Port}",
                },
            };
            var process = System.Diagnostics.Process.Start(start)!;
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var edge = new Edge(process, new Uri($"http://127.0.0.1:{port}"));
            for (var waited = 0; waited < 100; waited++)
            {
                try
                {
                    using var probe = new TcpClient();
                    await probe.ConnectAsync("127.0.0.1", port);
                    return edge;
                }
                catch (SocketException) when (!process.HasExited)
                {
                    await Task.Delay(100);
                }
            }
            await edge.DisposeAsync();
            throw new InvalidOperationException("HAProxy did not listen within 10 s.");
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
                _process.Kill();
            await _process.WaitForExitAsync();
            _process.Dispose();
        }
    }

    sealed record RawAnswer(int Status, string Head, string? ContentType, string Body);

    /// <summary>Writes the bytes and reads one answer: its head, then as much body as Content-Length says.</summary>
    async Task<RawAnswer> Send(string request, Uri? to = null)
    {
        using var socket = new TcpClient();
        var address = to ?? Fixture.Factory.Address;
        await socket.ConnectAsync(address.Host, address.Port);
        var stream = socket.GetStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(request), timeout.Token);
        }
        catch (IOException)
        {
            // Kestrel may answer and close before a long request is all written; the answer is still there to read.
        }
        var received = new List<byte>();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var end = received.Count < 4 ? -1 : IndexOfBlankLine(received);
            if (end >= 0)
            {
                var head = Encoding.UTF8.GetString([.. received.Take(end)]);
                var lines = head.Split("\r\n");
                string? Header(string name) => lines.Skip(1).Select(l => l.Split(':', 2))
                    .FirstOrDefault(p => p[0].Equals(name, StringComparison.OrdinalIgnoreCase))?[1].Trim();
                var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
                var type = Header("Content-Type")?.Split(';')[0];
                var rest = received.Skip(end + 4).ToArray();
                if (Header("Transfer-Encoding") is "chunked")
                {
                    if (Unchunked(rest) is { } whole)
                        return new RawAnswer(status, head, type, Encoding.UTF8.GetString(whole));
                }
                else if (rest.Length >= (int.TryParse(Header("Content-Length"), out var n) ? n : 0))
                    return new RawAnswer(status, head, type, Encoding.UTF8.GetString(rest.AsSpan(0, n)));
            }
            int read;
            try
            {
                read = await stream.ReadAsync(buffer, timeout.Token);
            }
            catch (IOException)
            {
                read = 0;
            }
            if (read == 0)
                throw new InvalidOperationException($"The connection closed without a whole answer: '{Encoding.UTF8.GetString([.. received])}'");
            received.AddRange(buffer.AsSpan(0, read));
        }
    }

    /// <summary>A chunked body once its last chunk is in, else null.</summary>
    static byte[]? Unchunked(byte[] framed)
    {
        var body = new List<byte>();
        for (var at = 0; ;)
        {
            var lineEnd = Array.IndexOf(framed, (byte)'\n', at);
            if (lineEnd < 0)
                return null;
            var size = Convert.ToInt32(Encoding.ASCII.GetString(framed, at, lineEnd - at).Trim(), 16);
            if (size == 0)
                return [.. body];
            if (lineEnd + 1 + size + 2 > framed.Length)
                return null;
            body.AddRange(framed.AsSpan(lineEnd + 1, size));
            at = lineEnd + 1 + size + 2;
        }
    }

    static int IndexOfBlankLine(List<byte> bytes)
    {
        for (var i = 0; i + 3 < bytes.Count; i++)
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n')
                return i;
        return -1;
    }
}
