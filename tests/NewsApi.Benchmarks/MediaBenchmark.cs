// The cost of renditions, made as the service makes them (Renditions.Render, libvips through NetVips).
//
//   dotnet run -c Release --project tests/NewsApi.Benchmarks -- media [--runs 3] [--seconds 20] [--workers N]
//       [--write-jpeg PATH WIDTH HEIGHT]
//
// Generates a 24-megapixel JPEG (6000 × 4000, a gradient under noise, so the encoder has detail to work on) and times
// every default preset in every format (the median of --runs after one warm-up). Then renditions per second of a
// 12-megapixel JPEG (4000 × 3000) to w1280.webp with --workers renders at once (default: one per core, as
// Media:MaxConcurrentRenders). --write-jpeg only writes such a photo (for a load test of a stored rendition).
// `media --serve` measures serving a stored rendition over HTTP instead (MediaServeBenchmark.cs gives its options).
using System.Diagnostics;
using System.Globalization;
using NetVips;
using NewsApi.Media;

namespace NewsApi.Benchmarks;

internal static class MediaBenchmark
{
    public static async Task<int> Run(string[] args)
    {
        if (args.Contains("--serve"))
            return await MediaServeBenchmark.Run(args);
        string? Text(string name, int after = 1) => Array.IndexOf(args, name) is var i and >= 0 && i + after < args.Length ? args[i + after] : null;
        int Number(string name, int fallback) => Text(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
        NetVips.NetVips.BlockUntrusted = true;
        NetVips.Cache.Max = 0; // as the service runs it (MediaSetup): nothing kept between renders
        NetVips.Cache.MaxFiles = 0;
        if (Text("--write-jpeg") is { } target)
        {
            File.WriteAllBytes(target, Photo(int.Parse(Text("--write-jpeg", 2)!, CultureInfo.InvariantCulture),
                int.Parse(Text("--write-jpeg", 3)!, CultureInfo.InvariantCulture)));
            return 0;
        }
        var runs = Number("--runs", 3);
        var duration = TimeSpan.FromSeconds(Number("--seconds", 20));
        var workers = Number("--workers", Environment.ProcessorCount);
        var options = new MediaOptions();
        Console.WriteLine($"media benchmark: libvips {NetVips.NetVips.Version(0)}.{NetVips.NetVips.Version(1)}.{NetVips.NetVips.Version(2)}, " +
                          $"{Environment.ProcessorCount} cores, quality {options.Quality}; load average {LoadAverage()}");

        var work = Directory.CreateTempSubdirectory("newsapi-media-bench-");
        try
        {
            var large = Path.Combine(work.FullName, "24mp.jpg");
            await File.WriteAllBytesAsync(large, Photo(6000, 4000));
            var source = new CropSource("", 6000, 4000, 0.6, 0.4);
            Console.WriteLine($"24-megapixel JPEG (6000 × 4000, {new FileInfo(large).Length / 1e6:F1} MB): ms per rendition, median of {runs}");
            Console.WriteLine($"  {"preset",-12} {"size",-10} {"webp",8} {"avif",8} {"jpg",8}");
            foreach (var (name, preset) in options.Presets)
            {
                var (w, h) = Renditions.Size(preset, source.Width, source.Height);
                var times = Renditions.Formats.Select(f => Median(large, source, preset, f, options.Quality, runs)).ToList();
                Console.WriteLine($"  {name,-12} {$"{w}×{h}",-10} {times[0],8:F0} {times[1],8:F0} {times[2],8:F0}");
            }

            var twelve = Path.Combine(work.FullName, "12mp.jpg");
            await File.WriteAllBytesAsync(twelve, Photo(4000, 3000));
            var twelveSource = new CropSource("", 4000, 3000, null, null);
            var w1280 = options.Presets["w1280"];
            Renditions.Render(twelve, twelveSource, w1280, Renditions.WebP, options.Quality); // warm-up
            var made = 0;
            var clock = Stopwatch.StartNew();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(() =>
            {
                while (clock.Elapsed < duration)
                {
                    Renditions.Render(twelve, twelveSource, w1280, Renditions.WebP, options.Quality);
                    Interlocked.Increment(ref made);
                }
            })));
            var elapsed = clock.Elapsed.TotalSeconds;
            var used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            Console.WriteLine($"12-megapixel JPEG (4000 × 3000, {new FileInfo(twelve).Length / 1e6:F1} MB) to w1280.webp, {workers} at once for {elapsed:F0} s: " +
                              $"{made / elapsed:F2} renditions/s ({made} made, {used / made * 1000:F0} ms of CPU each, {used / elapsed:F2} cores busy)");
            Console.WriteLine($"load average at the end {LoadAverage()}");
            return 0;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    static double Median(string path, CropSource source, Preset preset, RenditionFormat format, int quality, int runs)
    {
        Renditions.Render(path, source, preset, format, quality);
        var times = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            var started = Stopwatch.GetTimestamp();
            Renditions.Render(path, source, preset, format, quality);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        times.Sort();
        return times[times.Count / 2];
    }

    /// <summary>A photo-like JPEG: colour gradients with noise on them, at camera quality (Q 92).</summary>
    internal static byte[] Photo(int width, int height)
    {
        using var xy = Image.Xyz(width, height);
        using var x = xy[0] * (255.0 / width);
        using var y = xy[1] * (255.0 / height);
        using var noise = Image.Gaussnoise(width, height, mean: 0, sigma: 18);
        using var red = x + noise;
        using var green = y + noise;
        using var blue = (x + y) / 2 - noise;
        using var rgb = red.Bandjoin(green, blue).Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
        return rgb.WriteToBuffer(".jpg", new VOption { { "Q", 92 } });
    }

    static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]);
}
