using System.Diagnostics;
using System.Reflection;
using NewsApi.Development;

namespace NewsApi.Tests.Infrastructure;

/// <summary>The built service (src/NewsApi/bin/…/NewsApi.dll) run as its own process, as a deployment runs it.</summary>
public static class ServiceProcess
{
    static readonly string Dll = Path.Combine(
        RepositoryRoot.Find(AppContext.BaseDirectory) ?? throw new InvalidOperationException("NewsApi.sln not found above the test binaries."),
        "src", "NewsApi", "bin",
        typeof(ServiceProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug",
        "net10.0", "NewsApi.dll");

    /// <summary>Runs the service to its end with only the given settings (none inherited from this process) and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(Dictionary<string, string> settings, params string[] args)
    {
        var start = StartInfo(settings, args);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The service did not exit within two minutes:\n{await stdout}{await stderr}");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>
    /// Starts the service on a free loopback port with only the given settings and waits until <c>/health/live</c>
    /// answers; its standard output is kept line by line. Disposing it kills it.
    /// </summary>
    public static async Task<Running> StartAsync(Dictionary<string, string> settings)
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var running = new Running(Process.Start(StartInfo(new(settings) { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" }, []))!,
            new Uri($"http://127.0.0.1:{port}"));
        try
        {
            await running.WaitUntilLiveAsync();
        }
        catch
        {
            await running.DisposeAsync();
            throw;
        }
        return running;
    }

    static ProcessStartInfo StartInfo(Dictionary<string, string> settings, string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(Dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Dll);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        // Nothing the test run happens to have set may reach the service: no connection string, no hosting startup.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase)
                     || k.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase) || k.StartsWith("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase)
                     || k.StartsWith("Database__", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        foreach (var (key, value) in settings)
            start.Environment[key] = value;
        return start;
    }

    /// <summary>A started service: its address, the lines it has written so far, and a kill when disposed.</summary>
    public sealed class Running : IAsyncDisposable
    {
        readonly Process _process;
        readonly List<string> _lines = [];

        internal Running(Process process, Uri address)
        {
            _process = process;
            Address = address;
            process.OutputDataReceived += (_, e) => Keep(e.Data);
            process.ErrorDataReceived += (_, e) => Keep(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public Uri Address { get; }

        public HttpClient CreateClient() => new() { BaseAddress = Address };

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines)
                    return [.. _lines];
            }
        }

        void Keep(string? line)
        {
            if (line is not null)
                lock (_lines)
                    _lines.Add(line);
        }

        /// <summary>Waits (two minutes at most) for a line the predicate accepts, and returns it.</summary>
        public async Task<string> WaitForLineAsync(Func<string, bool> predicate)
        {
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (true)
            {
                if (Lines.FirstOrDefault(predicate) is { } line)
                    return line;
                if (_process.HasExited || DateTime.UtcNow > deadline)
                    throw new TimeoutException($"No such line from the service:\n{string.Join('\n', Lines)}");
                await Task.Delay(100);
            }
        }

        internal async Task WaitUntilLiveAsync()
        {
            using var client = CreateClient();
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (true)
            {
                try
                {
                    if ((await client.GetAsync("/health/live")).IsSuccessStatusCode)
                        return;
                }
                catch (HttpRequestException)
                {
                }
                if (_process.HasExited || DateTime.UtcNow > deadline)
                    throw new TimeoutException($"The service did not come up:\n{string.Join('\n', Lines)}");
                await Task.Delay(200);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
            _process.Dispose();
        }
    }
}
