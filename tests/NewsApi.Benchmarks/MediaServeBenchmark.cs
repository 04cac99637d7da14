// Serving a stored rendition beside the cached read of an article, over real HTTP, on the same service.
//
//   dotnet run -c Release --project tests/NewsApi.Benchmarks -- media --serve [--seconds 15] [--warmup 5]
//       [--connections 16] [--dll PATH]
//
// Starts a throwaway PostgreSQL cluster (fsync off) and the service's Release build (or --dll) in Production with its
// server cache on, an admin key and a temporary media folder. Then, as a newsroom would: uploads a generated
// 12-megapixel JPEG, gives it alt text, a caption and "public": true, makes an article with it as cover image and
// publishes it, and asks once for the asset's w1280.webp url (with its v) so the rendition is made and stored. wrk
// then loads that url and the article by slug (a cached public read) in turn, with the same connections and seconds;
// each line gives req/s, p50 and p99, the bytes of one answer and the CPU milliseconds per request of the service and
// of PostgreSQL. Last, nginx (apt-get install nginx) serves the same two answers as files, as the reads benchmark's
// ceiling: how fast that many bytes can be answered on this machine at all.
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using NewsApi.Benchmarks.Reads;
using NewsApi.Data;
using NewsApi.Development;

namespace NewsApi.Benchmarks;

internal static class MediaServeBenchmark
{
    public static async Task<int> Run(string[] args)
    {
        string? Text(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        int Number(string name, int fallback) => Text(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
        var duration = TimeSpan.FromSeconds(Number("--seconds", 15));
        var warmup = TimeSpan.FromSeconds(Number("--warmup", 5));
        var connections = Number("--connections", 16);
        var repo = RepositoryRoot.Find(AppContext.BaseDirectory) ?? Directory.GetCurrentDirectory();
        var dll = Path.GetFullPath(Text("--dll") ?? Path.Combine(repo, "src", "NewsApi", "bin", "Release", "net10.0", "NewsApi.dll"));
        Console.WriteLine($"media serve benchmark: {connections} connections, {warmup.TotalSeconds}s warm-up, {duration.TotalSeconds}s a run; " +
                          $"{Environment.ProcessorCount} cores; load average {LoadAverage()}");

        var work = Directory.CreateTempSubdirectory("newsapi-media-serve-");
        LocalPostgres? server = null;
        Service? service = null;
        Nginx? nginx = null;
        async Task Stop()
        {
            if (service is not null)
                await service.DisposeAsync();
            if (nginx is not null)
                await nginx.DisposeAsync();
            if (server is not null)
                await server.DisposeAsync();
            (service, nginx, server) = (null, null, null);
        }
        // Ctrl+C ends the process without running finally blocks: stop the children here first.
        ConsoleCancelEventHandler interrupted = (_, _) => Stop().GetAwaiter().GetResult();
        Console.CancelKeyPress += interrupted;
        try
        {
            server = await LocalPostgres.StartAsync(new LocalPostgresOptions
            {
                DataDirectory = Path.Combine(work.FullName, "pg"), Port = 0, Database = "newsapi_media", Fast = true,
                StopOnDispose = true, DeleteOnDispose = true,
            }, NullLogger.Instance);
            await using (var db = new NewsDbContext(new DbContextOptionsBuilder<NewsDbContext>()
                .UseNpgsql(server.ConnectionString).UseSnakeCaseNamingConvention().Options))
                await db.Database.MigrateAsync();

            var key = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
            service = await Service.Start(dll, server.ConnectionString, serverCache: true, logSql: false, new Dictionary<string, string>
            {
                ["NEWSAPI_ADMIN_KEY"] = key, ["Media__LocalPath"] = Directory.CreateDirectory(Path.Combine(work.FullName, "media")).FullName,
            });
            var (rendition, article) = await Newsroom(service, key);
            using var anonymous = new HttpClient { BaseAddress = new Uri(service.BaseUrl) };
            var bytes = new Dictionary<string, long>();
            // The same bytes from nginx: the ceiling of answering that many bytes over loopback on this machine.
            var www = Directory.CreateDirectory(Path.Combine(work.FullName, "www")).FullName;
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(work.FullName, (UnixFileMode)0b111_101_101); // nginx's workers read it whoever they run as
            foreach (var (name, path) in new[] { ("rendition", rendition), ("article", article) })
            {
                using var answer = await anonymous.GetAsync(new Uri(path, UriKind.Relative));
                if (answer.StatusCode != HttpStatusCode.OK)
                    throw new InvalidOperationException($"GET {path} answered {(int)answer.StatusCode}.");
                var body = await answer.Content.ReadAsByteArrayAsync();
                await File.WriteAllBytesAsync(Path.Combine(www, name), body);
                bytes[name] = body.Length;
                Console.WriteLine($"  {name}: GET {path} ({answer.Content.Headers.ContentType}, {bytes[name]:N0} bytes, " +
                                  $"Cache-Control: {answer.Headers.CacheControl})");
            }

            Console.WriteLine($"load average before measuring: {LoadAverage()}");
            Console.WriteLine($"  {"read",-18} {"req/s",9} {"p50 ms",8} {"p99 ms",8} {"bytes",9} {"cpu ms/req",11} {"pg ms/req",10} {"errors",7}");
            foreach (var (name, path) in new[] { ("rendition", rendition), ("article", article) })
            {
                await Wrk.Run(service.BaseUrl, null, path, connections, warmup, work.FullName);
                var m = await ReadsBenchmark.Measure(name, name == "article" ? "cached" : "stored", server, () => ProcessStats.CpuSeconds(service.Pid),
                    () => Wrk.Run(service.BaseUrl, null, path, connections, duration, work.FullName));
                Console.WriteLine($"  {name,-18} {m.Rate,9:N0} {m.P50,8:N2} {m.P99,8:N2} {bytes[name],9:N0} {m.ServerMs,11:N3} {m.PostgresMs,10:N3} {m.Errors,7}");
            }
            await service.DisposeAsync();
            service = null;
            nginx = await Nginx.Start(www, work.FullName);
            var nginxUrl = $"http://127.0.0.1:{nginx.Port}";
            foreach (var name in new[] { "rendition", "article" })
            {
                await Wrk.Run(nginxUrl, null, "/" + name, connections, warmup, work.FullName);
                var m = await ReadsBenchmark.Measure(name, "nginx", server, () => ProcessStats.FamilyCpuSeconds(nginx.Pid),
                    () => Wrk.Run(nginxUrl, null, "/" + name, connections, duration, work.FullName));
                Console.WriteLine($"  {name + " (nginx)",-18} {m.Rate,9:N0} {m.P50,8:N2} {m.P99,8:N2} {bytes[name],9:N0} {m.ServerMs,11:N3} {"",10} {m.Errors,7}");
            }
            Console.WriteLine($"load average after: {LoadAverage()}");
            return 0;
        }
        finally
        {
            await Stop();
            Console.CancelKeyPress -= interrupted;
            work.Delete(recursive: true);
        }
    }

    /// <summary>The photo uploaded, described and made public, an article published with it as cover; the rendition's url and the article's.</summary>
    static async Task<(string Rendition, string Article)> Newsroom(Service service, string key)
    {
        using var http = new HttpClient { BaseAddress = new Uri(service.BaseUrl), Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        using var photo = new ByteArrayContent(MediaBenchmark.Photo(4000, 3000));
        photo.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        using var uploaded = await Sent(http.PostAsync(new Uri("/api/v1/assets", UriKind.Relative), photo), HttpStatusCode.Created);
        var asset = await Json(uploaded);

        using var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/assets/{asset["id"]}")
        {
            Content = new StringContent("""{"alt": "烏鎮互聯網國際會展中心外景", "caption": "第十屆世界互聯網大會在烏鎮開幕", "public": true}""",
                Encoding.UTF8, "application/merge-patch+json"),
        };
        patch.Headers.IfMatch.Add(uploaded.Headers.ETag!);
        using var described = await Sent(http.SendAsync(patch), HttpStatusCode.OK);
        asset = await Json(described);
        var rendition = (string)asset["renditions"]!.AsArray().Single(r => (string?)r!["preset"] == "w1280" && (string?)r["format"] == "webp")!["url"]!;

        var draft = new StringContent($$"""
            {"title": "烏鎮峰會開幕", "coverImage": {"assetId": "{{asset["id"]}}"},
             "body": [{"type": "paragraph", "text": "第十屆世界互聯網大會在烏鎮開幕。"}]}
            """, Encoding.UTF8, "application/json");
        using var created = await Sent(http.PostAsync(new Uri("/api/v1/articles", UriKind.Relative), draft), HttpStatusCode.Created);
        var article = await Json(created);
        using var published = await Sent(http.PostAsync(new Uri($"/api/v1/articles/{article["id"]}/publish", UriKind.Relative), null), HttpStatusCode.OK);

        // Made and stored now, so the load measures serving it.
        using var made = await Sent(http.GetAsync(new Uri(rendition, UriKind.Relative)), HttpStatusCode.OK);
        return (rendition, $"/api/v1/articles/slug/{article["slug"]}");
    }

    static async Task<HttpResponseMessage> Sent(Task<HttpResponseMessage> sending, HttpStatusCode expected)
    {
        var response = await sending;
        if (response.StatusCode != expected)
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered " +
                                                $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response;
    }

    static async Task<JsonNode> Json(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]);
}
