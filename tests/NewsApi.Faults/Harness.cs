using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using NewsApi.Development;
using Npgsql;

namespace NewsApi.Faults;

/// <summary>
/// A private PostgreSQL (durable settings: a fault must not lose what was acknowledged) and the built service as a
/// child process on loopback, with the means to restart, kill and query them.
/// </summary>
internal sealed class Harness : IAsyncDisposable
{
    readonly string _work;
    readonly string _serviceDll;
    readonly LocalPostgres _postgres;
    readonly int _port;
    Process? _service;

    Harness(string work, string serviceDll, LocalPostgres postgres)
    {
        _work = work;
        _serviceDll = serviceDll;
        _postgres = postgres;
        _port = FreePort();
        AdminKey = Convert.ToHexString(Guid.NewGuid().ToByteArray()) + Convert.ToHexString(Guid.NewGuid().ToByteArray());
        Http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{_port}"),
            Timeout = TimeSpan.FromSeconds(10),
        };
    }

    public string AdminKey { get; }
    public HttpClient Http { get; }
    public string Work => _work;
    public int ServicePid => _service?.Id ?? 0;

    public static async Task<Harness> StartAsync(string name)
    {
        var root = RepositoryRoot.Find(AppContext.BaseDirectory) ?? throw new InvalidOperationException("NewsApi.sln not found.");
        var configuration = AppContext.BaseDirectory.Contains("/Release/") ? "Release" : "Debug";
        var serviceDll = Path.Combine(root, "src", "NewsApi", "bin", configuration, "net10.0", "NewsApi.dll");
        if (!File.Exists(serviceDll))
            throw new InvalidOperationException($"{serviceDll} is missing: build the solution first.");
        var work = Path.Combine(Path.GetTempPath(), $"newsapi-faults-{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        var postgres = await LocalPostgres.StartAsync(new LocalPostgresOptions
        {
            DataDirectory = Path.Combine(work, "pg"), Port = 0, Database = "newsapi_faults", Fast = false,
            StopOnDispose = true, DeleteOnDispose = true,
        }, NullLogger.Instance, CancellationToken.None);
        return new Harness(work, serviceDll, postgres);
    }

    /// <summary>Starts the service (with these settings besides the harness's own) and waits until it is ready; returns the seconds that took.</summary>
    public async Task<double> StartServiceAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var watch = Stopwatch.StartNew();
        var start = new ProcessStartInfo("dotnet", [_serviceDll])
        {
            WorkingDirectory = Path.GetDirectoryName(_serviceDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{_port}",
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["ConnectionStrings__NewsDb"] = _postgres.ConnectionString,
                ["NEWSAPI_ADMIN_KEY"] = AdminKey,
                ["Demo__Load"] = "false",
                ["Logging__LogLevel__Default"] = "Warning",
                // Batches of 50 rather than 250: a fault then lands between committed batches as well as inside one.
                ["Import__BatchSize"] = "50",
                ["Paging__CursorKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            },
        };
        // The scenarios measure faults, not the limiter: every caller here is one loopback address and one key.
        foreach (var budget in new[] { "AnonymousReads", "KeyedReads", "Search", "Writes", "Imports" })
            start.Environment[$"RateLimits__{budget}__PermitLimit"] = "1000000000";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        _service = Process.Start(start)!;
        var log = File.AppendText(Path.Combine(_work, "service.log"));
        log.AutoFlush = true;
        _service.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        _service.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        _service.BeginOutputReadLine();
        _service.BeginErrorReadLine();
        while (watch.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (_service.HasExited)
                throw new InvalidOperationException($"The service exited ({_service.ExitCode}); see {Path.Combine(_work, "service.log")}.");
            try
            {
                if ((await Http.GetAsync("/health/ready")).IsSuccessStatusCode)
                    return watch.Elapsed.TotalSeconds;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException("The service did not become ready in 90 s.");
    }

    /// <summary>kill -9: no shutdown of any kind.</summary>
    public async Task KillServiceAsync()
    {
        _service!.Kill(entireProcessTree: true);
        await _service.WaitForExitAsync();
    }

    /// <summary><c>pg_ctl restart -m immediate</c>: the server's processes end at once, recovery replays the WAL.</summary>
    public async Task RestartPostgresAsync()
    {
        var runner = await CommandRunner.CreateAsync(NullLogger.Instance, CancellationToken.None);
        var result = await runner.RunAsync(Path.Combine(_postgres.BinDirectory, "pg_ctl"),
            ["-D", _postgres.DataDirectory, "-l", _postgres.LogFile, "-m", "immediate", "-w", "-t", "60", "restart"],
            asServiceUser: true, CancellationToken.None);
        if (result.ExitCode != 0)
            throw new InvalidOperationException("pg_ctl restart failed: " + result.Describe());
    }

    public async Task<string> NewKeyAsync(string role)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/api-keys")
        {
            Content = JsonContent.Create(new { name = $"{role}-{Guid.NewGuid():N}", role }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (string)(await response.Content.ReadFromJsonAsync<JsonNode>())!["key"]!;
    }

    public HttpClient Client(string key, TimeSpan? timeout = null)
    {
        var client = new HttpClient(new SocketsHttpHandler()) { BaseAddress = Http.BaseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public async Task<NpgsqlConnection> DatabaseAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_postgres.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var connection = await DatabaseAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var p in parameters)
            command.Parameters.Add(new NpgsqlParameter { Value = p });
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public double PostgresCpuSeconds() => Benchmarks.ProcessStats.PostgresCpuSeconds(_postgres.DataDirectory);

    static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (_service is { HasExited: false })
        {
            _service.Kill(entireProcessTree: true);
            await _service.WaitForExitAsync();
        }
        await _postgres.DisposeAsync();
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
