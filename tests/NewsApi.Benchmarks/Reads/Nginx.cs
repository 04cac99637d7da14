using System.Diagnostics;
using NewsApi.Development;

namespace NewsApi.Benchmarks.Reads;

/// <summary>
/// A throwaway nginx on a loopback port serving a folder of files as JSON, for the ceiling of a cached read: the same
/// bytes with no application in front. Two workers (one a core), no access log, keep-alive without a request limit.
/// </summary>
internal sealed class Nginx : IAsyncDisposable
{
    readonly Process _master;

    Nginx(Process master, int port) => (_master, Port) = (master, port);

    public int Port { get; }

    public int Pid => _master.Id;

    public static async Task<Nginx> Start(string folder, string workDirectory)
    {
        var prefix = Path.Combine(workDirectory, "nginx");
        Directory.CreateDirectory(prefix);
        var port = ClusterSettings.GetFreePort();
        // Run as root (a container), the workers would otherwise switch to nobody, who may not read the folder.
        var user = Environment.UserName == "root" ? "user root;" : "";
        var config = Path.Combine(prefix, "nginx.conf");
        await File.WriteAllTextAsync(config, $$"""
            {{user}}
            worker_processes 2;
            daemon off;
            pid {{prefix}}/nginx.pid;
            error_log {{prefix}}/error.log warn;
            events { worker_connections 1024; }
            http {
              access_log off;
              sendfile on;
              tcp_nopush on;
              keepalive_requests 100000000;
              keepalive_timeout 60s;
              default_type application/json;
              client_body_temp_path {{prefix}}/body;
              proxy_temp_path {{prefix}}/proxy;
              fastcgi_temp_path {{prefix}}/fastcgi;
              uwsgi_temp_path {{prefix}}/uwsgi;
              scgi_temp_path {{prefix}}/scgi;
              server {
                listen 127.0.0.1:{{port}};
                root {{folder}};
              }
            }
            """);
        var start = new ProcessStartInfo("nginx", ["-p", prefix, "-e", Path.Combine(prefix, "error.log"), "-c", config])
            { RedirectStandardOutput = true, RedirectStandardError = true };
        var master = Process.Start(start) ?? throw new InvalidOperationException("nginx did not start.");
        var nginx = new Nginx(master, port);
        using var http = new HttpClient();
        for (var tries = 0; ; tries++)
        {
            try
            {
                await http.GetAsync(new Uri($"http://127.0.0.1:{port}/"));
                return nginx;
            }
            catch (HttpRequestException) when (tries < 50 && !master.HasExited)
            {
                await Task.Delay(100);
            }
            catch (HttpRequestException)
            {
                var errorLog = Path.Combine(prefix, "error.log");
                var log = File.Exists(errorLog) ? await File.ReadAllTextAsync(errorLog) : "";
                await nginx.DisposeAsync();
                throw new InvalidOperationException("nginx did not answer: " + log + await master.StandardError.ReadToEndAsync());
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_master.HasExited)
        {
            _master.Kill(entireProcessTree: true);
            await _master.WaitForExitAsync();
        }
        _master.Dispose();
    }
}
