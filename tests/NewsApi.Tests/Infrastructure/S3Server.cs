using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NewsApi.Development;

namespace NewsApi.Tests.Infrastructure;

/// <summary>
/// A throwaway S3-compatible server (npm's s3rver, pinned in tests/s3rver and installed there by <c>npm ci</c>) on a
/// free loopback port, its objects in a temporary folder that goes with it. Path-style only, as the media store asks.
/// </summary>
public sealed class S3Server : IAsyncDisposable
{
    /// <summary>s3rver's fixed credentials: it checks every request's signature against them.</summary>
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    readonly Process _process;
    readonly string _directory;

    S3Server(Process process, string directory, int port) => (_process, _directory, Port) = (process, directory, port);

    public int Port { get; }

    public string ServiceUrl => $"http://127.0.0.1:{Port}";

    public static async Task<S3Server> StartAsync()
    {
        var root = RepositoryRoot.Find(AppContext.BaseDirectory) ?? throw new InvalidOperationException("NewsApi.sln not found above the test binaries.");
        var script = Path.Combine(root, "tests", "s3rver", "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script))
            throw new InvalidOperationException($"{script} is missing: run npm ci --prefix tests/s3rver (.ci/run does).");
        var directory = System.IO.Directory.CreateTempSubdirectory("newsapi-s3rver-").FullName;
        var port = FreePort();
        var process = Process.Start(new ProcessStartInfo("node",
            [script, "-d", directory, "-a", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--no-vhost-buckets", "-s"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("node did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new S3Server(process, directory, port);
        using var http = new HttpClient();
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                // An anonymous list of buckets is refused, but any answer means it listens.
                await http.GetAsync(server.ServiceUrl);
                return server;
            }
            catch (HttpRequestException) { }
            if (process.HasExited)
            {
                await server.DisposeAsync();
                throw new InvalidOperationException($"s3rver exited ({process.ExitCode}) on port {port}.");
            }
            await Task.Delay(100);
        }
        await server.DisposeAsync();
        throw new TimeoutException("s3rver did not answer within 30 s.");
    }

    /// <summary>The keys stored in <paramref name="bucket"/>, listed through the S3 API.</summary>
    public async Task<IReadOnlyList<string>> KeysAsync(string bucket)
    {
        using var client = new Amazon.S3.AmazonS3Client(new Amazon.Runtime.BasicAWSCredentials(AccessKey, SecretKey),
            new Amazon.S3.AmazonS3Config { ServiceURL = ServiceUrl, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        var page = await client.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = bucket });
        return (page.S3Objects ?? []).Select(o => o.Key).Order(StringComparer.Ordinal).ToList();
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
        catch (IOException) { }
    }
}
