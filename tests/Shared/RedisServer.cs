using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NewsApi.Testing;

/// <summary>
/// A throwaway redis-server (Debian's <c>redis-server</c> package) on a free loopback port, no persistence, stopped and
/// started again on the same port when a test means to take it away.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    Process? _process;

    RedisServer(int port) => Port = port;

    public int Port { get; }

    /// <summary>A StackExchange.Redis configuration string for it.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer(FreePort());
        await server.StartAgainAsync();
        return server;
    }

    public async Task StartAgainAsync()
    {
        var binary = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists)
                     ?? throw new InvalidOperationException("redis-server was not found: apt-get install -y redis-server");
        _process = Process.Start(new ProcessStartInfo(binary,
            ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (await CommandAsync("PING") == "+PONG")
                return;
            if (_process.HasExited)
                throw new InvalidOperationException($"redis-server exited ({_process.ExitCode}) on port {Port}.");
            await Task.Delay(50);
        }
        throw new TimeoutException("redis-server did not answer PING within 20 s.");
    }

    /// <summary>kill -9: Redis gone at once, as a crash or a network cut looks to its clients.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Sends one inline command and returns the first line of the answer (null when nothing answers).</summary>
    public async Task<string?> CommandAsync(string command)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"));
            using var reader = new StreamReader(stream, Encoding.ASCII);
            return await reader.ReadLineAsync();
        }
        catch (SocketException)
        {
            return null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
