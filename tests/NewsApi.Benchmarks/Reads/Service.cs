using System.Diagnostics;
using NewsApi.Development;

namespace NewsApi.Benchmarks.Reads;

/// <summary>
/// The service from its Release build, in Production, on a free loopback port, with the server cache on or off.
/// Its log lines go to <see cref="Lines"/> while <see cref="Listen"/> is set (to show the SQL a read runs).
/// </summary>
internal sealed class Service : IAsyncDisposable
{
    readonly Process _process;

    Service(Process process, int port) => (_process, Port) = (process, port);

    public int Port { get; }

    public int Pid => _process.Id;

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public bool Listen { get; set; }

    public List<string> Lines { get; } = [];

    public static async Task<Service> Start(string dll, string connectionString, bool serverCache, bool logSql,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        if (!File.Exists(dll))
            throw new InvalidOperationException($"{dll} is missing: run the benchmark with dotnet run -c Release, which builds it.");
        var port = ClusterSettings.GetFreePort();
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.Environment["ConnectionStrings__NewsDb"] = connectionString;
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Paging__CursorKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        start.Environment["Demo__Load"] = "false";
        // A benchmark is one caller sending far more than any budget allows: it measures the work, not the limits.
        foreach (var budget in NewsApi.Api.RateLimits.RateLimitOptions.Budgets)
            start.Environment[$"RateLimits__{budget}__PermitLimit"] = "1000000000";
        start.Environment["Caching__ServerCache"] = serverCache ? "true" : "false";
        start.Environment["Search__BackfillOnStart"] = "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        if (logSql)
        {
            start.Environment["Logging__LogLevel__Microsoft.EntityFrameworkCore.Database.Command"] = "Information";
            // --show-sql prints these lines for a person: text, not Production's JSON.
            start.Environment["Logging__Console__FormatterName"] = "simple";
        }
        // What one benchmark needs beyond the rest (a write key, a media folder), set last so it wins.
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("The service did not start.");
        var service = new Service(process, port);
        process.OutputDataReceived += (_, e) => service.Heard(e.Data);
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("service: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = new Uri(service.BaseUrl) };
        var ready = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if ((await http.GetAsync(new Uri("/health/ready", UriKind.Relative))).IsSuccessStatusCode)
                    return service;
            }
            catch (HttpRequestException) { }
            if (ready.Elapsed > TimeSpan.FromMinutes(2) || process.HasExited)
            {
                await service.DisposeAsync();
                throw new InvalidOperationException("The service did not become ready.");
            }
            await Task.Delay(200);
        }
    }

    void Heard(string? line)
    {
        if (line is null || !Listen)
            return;
        lock (Lines)
            Lines.Add(line);
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
