using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using NewsApi.Development;
using NewsApi.Testing;
using Npgsql;

namespace NewsApi.Cluster;

/// <summary>
/// The deployment's topology as processes on loopback: a PostgreSQL primary and a streaming standby made from it with
/// pg_basebackup -R, redis-server, three NewsApi processes and HAProxy in front, health-checking /health/ready.
/// </summary>
internal sealed class Cluster : IAsyncDisposable
{
    public const string Database = "newsapi_cluster";

    readonly string _work;
    readonly string _serviceDll;
    readonly CommandRunner _runner;
    readonly List<Process> _others = [];

    Cluster(string work, string serviceDll, CommandRunner runner, LocalPostgres primary, LocalPostgres standby, RedisServer redis)
    {
        _work = work;
        _serviceDll = serviceDll;
        _runner = runner;
        Primary = primary;
        Standby = standby;
        Redis = redis;
        AdminKey = Convert.ToHexString(Guid.NewGuid().ToByteArray()) + Convert.ToHexString(Guid.NewGuid().ToByteArray());
    }

    public LocalPostgres Primary { get; }
    public LocalPostgres Standby { get; }
    public RedisServer Redis { get; }
    public string AdminKey { get; }
    public List<Instance> Instances { get; } = [];
    public int BalancerPort { get; private set; }
    int _statsPort;

    /// <summary>
    /// The primary role as every instance sees it: both servers, the one that takes writes chosen by Npgsql
    /// (Target Session Attributes=read-write), rechecked every second so a promoted standby is found at once.
    /// </summary>
    public string PrimaryRole => new NpgsqlConnectionStringBuilder
    {
        Host = $"127.0.0.1:{Primary.Port},127.0.0.1:{Standby.Port}", Database = Database, Username = "postgres",
        TargetSessionAttributes = "read-write", HostRecheckSeconds = 1, Timeout = 3,
    }.ConnectionString;

    public string ReplicaRole => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = Standby.Port, Database = Database, Username = "postgres", Timeout = 3,
    }.ConnectionString;

    public static async Task<Cluster> StartAsync()
    {
        var root = RepositoryRoot.Find(AppContext.BaseDirectory) ?? throw new InvalidOperationException("NewsApi.sln not found.");
        var configuration = AppContext.BaseDirectory.Contains("/Release/") ? "Release" : "Debug";
        var serviceDll = Path.Combine(root, "src", "NewsApi", "bin", configuration, "net10.0", "NewsApi.dll");
        if (!File.Exists(serviceDll))
            throw new InvalidOperationException($"{serviceDll} is missing: build the solution first.");
        var work = Path.Combine(Path.GetTempPath(), $"newsapi-cluster-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        var runner = await CommandRunner.CreateAsync(NullLogger.Instance, CancellationToken.None);

        var primary = await LocalPostgres.StartAsync(new LocalPostgresOptions
        {
            DataDirectory = Path.Combine(work, "primary"), Port = 0, Database = Database, Fast = false,
            StopOnDispose = true, DeleteOnDispose = true,
        }, NullLogger.Instance, CancellationToken.None);

        // The standby: a base backup of the primary with -R (standby.signal and primary_conninfo), streaming from it.
        var standbyParent = Path.Combine(work, "standby");
        Directory.CreateDirectory(standbyParent);
        if (runner.RunsAsServiceUser)
            await runner.RunCheckedAsync("chown", [LocalPostgres.ServiceUser, standbyParent], asServiceUser: false, CancellationToken.None);
        var standbyData = Path.Combine(standbyParent, "data");
        await runner.RunCheckedAsync(Tool(primary, "pg_basebackup"),
            ["-h", LocalPostgres.Host, "-p", primary.Port.ToString(CultureInfo.InvariantCulture), "-U", LocalPostgres.SuperUser,
             "-D", standbyData, "-R", "-X", "stream", "-c", "fast"], asServiceUser: true, CancellationToken.None);
        var standby = await LocalPostgres.StartAsync(new LocalPostgresOptions
        {
            DataDirectory = standbyData, Port = 0, Database = Database, Fast = false, StopOnDispose = true, DeleteOnDispose = true,
        }, NullLogger.Instance, CancellationToken.None);

        var redis = await RedisServer.StartAsync();
        return new Cluster(work, serviceDll, runner, primary, standby, redis);
    }

    /// <summary>Three instances (the first alone, as it migrates), then HAProxy in front of them.</summary>
    public async Task StartServicesAsync(int count)
    {
        var cursorKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        for (var i = 1; i <= count; i++)
            Instances.Add(new Instance(i, FreePort(), _serviceDll, Path.Combine(_work, $"service-{i}.log")));
        await Instances[0].StartAsync(Environment(cursorKey, migrate: true));
        await Task.WhenAll(Instances.Skip(1).Select(i => i.StartAsync(Environment(cursorKey, migrate: false))));

        BalancerPort = FreePort();
        _statsPort = FreePort();
        var config = Path.Combine(_work, "haproxy.cfg");
        await File.WriteAllTextAsync(config, $"""
            global
                maxconn 4000
            defaults
                mode http
                timeout connect 1s
                timeout client 30s
                timeout server 30s
                # Only a request that never reached a server is sent to another: a write is never sent twice.
                retries 3
                option redispatch
                retry-on conn-failure
            frontend api
                bind 127.0.0.1:{BalancerPort}
                default_backend newsapi
            frontend stats
                bind 127.0.0.1:{_statsPort}
                stats enable
                stats uri /stats
            backend newsapi
                balance roundrobin
                option httpchk GET /health/ready
                http-check expect status 200
                # Without it a check must answer within inter: on a loaded machine a ready check that reaches a
                # primary that is going, then the standby, takes longer than 500 ms, and every instance went out.
                timeout check 2s
                default-server inter 500ms fall 2 rise 2
            {string.Join("\n", Instances.Select(i => $"    server api{i.Number} 127.0.0.1:{i.Port} check"))}

            """);
        var haproxy = new[] { "/usr/sbin/haproxy", "/usr/local/sbin/haproxy", "/usr/bin/haproxy" }.FirstOrDefault(File.Exists)
                      ?? throw new InvalidOperationException("haproxy was not found: apt-get install -y haproxy");
        _others.Add(Start(haproxy, ["-db", "-f", config], Path.Combine(_work, "haproxy.log")));
        using var http = new HttpClient { BaseAddress = Balancer };
        var watch = Stopwatch.StartNew();
        while (await ServersUpAsync() < count)
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(30))
                throw new TimeoutException("HAProxy did not see every instance up within 30 s.");
            await Task.Delay(200);
        }
    }

    Dictionary<string, string> Environment(string cursorKey, bool migrate)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__NewsDb"] = PrimaryRole,
            ["ConnectionStrings__Replica"] = ReplicaRole,
            ["Redis__Configuration"] = Redis.Configuration,
            ["NEWSAPI_ADMIN_KEY"] = AdminKey,
            ["Paging__CursorKey"] = cursorKey,
            ["Database__MigrateOnStart"] = migrate ? "true" : "false",
            ["Demo__Load"] = "false",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Scheduler__Interval"] = "00:00:01",
            ["Webhooks__Interval"] = "00:00:01",
            ["Webhooks__AllowPrivateTargets"] = "true",
            ["Webhooks__BaseDelay"] = "00:00:01",
            // Small pages, so the sync check's initial sync and its deltas page through the standby.
            ["Sync__PageSize"] = "20",
        };
        foreach (var budget in new[] { "AnonymousReads", "KeyedReads", "Search", "Writes", "Imports" })
            environment[$"RateLimits__{budget}__PermitLimit"] = "1000000000";
        return environment;
    }

    public Uri Balancer => new($"http://127.0.0.1:{BalancerPort}");

    /// <summary>How many backend servers HAProxy has up, from its stats CSV.</summary>
    public async Task<int> ServersUpAsync() => (await ServerStatesAsync()).Count(s => s.Value == "UP");

    public async Task<Dictionary<string, string>> ServerStatesAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            var csv = (await http.GetStringAsync($"http://127.0.0.1:{_statsPort}/stats;csv")).Split('\n');
            var header = csv[0].TrimStart('#', ' ').Split(',');
            var status = Array.IndexOf(header, "status");
            return csv.Skip(1).Select(l => l.Split(',')).Where(f => f.Length > status && f[0] == "newsapi" && f[1].StartsWith("api", StringComparison.Ordinal))
                .ToDictionary(f => f[1], f => f[status]);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return [];
        }
    }

    public HttpClient Client(string? key = null, Uri? address = null)
    {
        var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(5) })
        {
            BaseAddress = address ?? Balancer, Timeout = TimeSpan.FromSeconds(30),
        };
        if (key is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public async Task<string> NewKeyAsync(string role)
    {
        using var admin = Client(AdminKey);
        using var response = await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = $"{role}-{Guid.NewGuid():N}", role });
        response.EnsureSuccessStatusCode();
        return (string)(await response.Content.ReadFromJsonAsync<JsonNode>())!["key"]!;
    }

    /// <summary>A scalar from the server that holds the primary role now, or from the standby.</summary>
    public async Task<T> ScalarAsync<T>(string sql, bool onStandby = false)
    {
        var server = onStandby ? Standby : Primary;
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = server.Port, Database = Database, Username = "postgres", Pooling = false,
        }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), CultureInfo.InvariantCulture);
    }

    /// <summary><c>pg_ctl stop -m fast</c> on the primary: it sends the standby what it has, then ends.</summary>
    public Task StopPrimaryAsync() => PgCtl(Primary, ["-m", "fast", "-w", "stop"]);

    /// <summary><c>pg_ctl promote</c>: the standby ends recovery and takes writes.</summary>
    public Task PromoteStandbyAsync() => PgCtl(Standby, ["-w", "promote"]);

    async Task PgCtl(LocalPostgres server, string[] arguments)
    {
        var result = await _runner.RunAsync(Path.Combine(server.BinDirectory, "pg_ctl"), ["-D", server.DataDirectory, .. arguments],
            asServiceUser: true, CancellationToken.None);
        if (result.ExitCode != 0)
            throw new InvalidOperationException("pg_ctl failed: " + result.Describe());
    }

    /// <summary>A PostgreSQL program beside the pg_ctl in use (which may be a link on PATH to the real folder).</summary>
    static string Tool(LocalPostgres server, string name)
    {
        var pgCtl = new FileInfo(Path.Combine(server.BinDirectory, "pg_ctl"));
        var folder = (pgCtl.ResolveLinkTarget(returnFinalTarget: true)?.FullName is { } target ? Path.GetDirectoryName(target) : null) ?? server.BinDirectory;
        return Path.Combine(folder, name);
    }

    static Process Start(string file, string[] arguments, string logFile)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        var process = Process.Start(start)!;
        var log = File.AppendText(logFile);
        log.AutoFlush = true;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    internal static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public string Logs => _work;

    readonly Lock _stopping = new();
    Task? _stop;

    /// <summary>
    /// Stops every process once, however many call it: the program stops the cluster itself when the scenario overruns
    /// its bound (the children would outlive it and keep their ports), while the scenario's own disposal may still run.
    /// </summary>
    public ValueTask DisposeAsync()
    {
        lock (_stopping)
            return new ValueTask(_stop ??= Stop());
    }

    async Task Stop()
    {
        foreach (var process in _others.Concat(Instances.Select(i => i.Process)).OfType<Process>())
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        await Redis.DisposeAsync();
        await Standby.DisposeAsync();
        await Primary.DisposeAsync();
        if (System.Environment.GetEnvironmentVariable("NEWSAPI_CLUSTER_KEEP") is null)
        {
            try
            {
                Directory.Delete(_work, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    /// <summary>One NewsApi process.</summary>
    internal sealed class Instance(int number, int port, string serviceDll, string logFile)
    {
        public int Number => number;
        public int Port => port;
        public Process? Process { get; private set; }
        public Uri Address => new($"http://127.0.0.1:{port}");

        public async Task StartAsync(Dictionary<string, string> environment)
        {
            var start = new ProcessStartInfo("dotnet", [serviceDll])
            {
                WorkingDirectory = Path.GetDirectoryName(serviceDll)!, RedirectStandardOutput = true, RedirectStandardError = true,
            };
            foreach (var (key, value) in environment)
                start.Environment[key] = value;
            start.Environment["ASPNETCORE_URLS"] = Address.ToString().TrimEnd('/');
            Process = System.Diagnostics.Process.Start(start)!;
            var log = File.AppendText(logFile);
            log.AutoFlush = true;
            Process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
            Process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
            Process.BeginOutputReadLine();
            Process.BeginErrorReadLine();
            using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < TimeSpan.FromSeconds(150))
            {
                if (Process.HasExited)
                    throw new InvalidOperationException($"Instance {number} exited ({Process.ExitCode}); see {logFile}.");
                try
                {
                    if ((await http.GetAsync("/health/ready")).IsSuccessStatusCode)
                        return;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                }
                await Task.Delay(200);
            }
            throw new TimeoutException($"Instance {number} did not become ready in 150 s.");
        }

        public async Task KillAsync()
        {
            Process!.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync();
        }
    }
}
