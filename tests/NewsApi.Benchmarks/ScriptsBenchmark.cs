// The cost of reading a story in the other script.
//
//   dotnet run -c Release --project tests/NewsApi.Benchmarks -- scripts [--iterations 2000]
//
// Converts the first 4 KB (UTF-8) of the Wuzhen sample's text, a Traditional story, to each script, after one warm-up
// call that loads the OpenCC dictionaries (timed apart), and a whole stored article document of that size through the
// same JSON walk the article reads use. Prints the median and the 99th percentile of each, in milliseconds.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using NewsApi.Content;
using NewsApi.Development;

namespace NewsApi.Benchmarks;

internal static class ScriptsBenchmark
{
    public static Task<int> Run(string[] args)
    {
        var iterations = Array.IndexOf(args, "--iterations") is var i and >= 0 && i + 1 < args.Length
            ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : 2000;
        var repo = RepositoryRoot.Find(AppContext.BaseDirectory) ?? Directory.GetCurrentDirectory();
        var story = WireStory.Parse(File.ReadAllText(Path.Combine(repo, "src", "NewsApi", "Demo", "wuzhen-summit-article.txt")), null);
        var text = new StringBuilder(story.Title);
        foreach (var block in story.Body)
            if (Encoding.UTF8.GetByteCount(text.ToString()) < 4096)
                text.Append('\n').Append(block.Text);
        var sample = text.ToString();
        while (Encoding.UTF8.GetByteCount(sample) > 4096)
            sample = sample[..^1];
        Console.WriteLine($"scripts benchmark: {Encoding.UTF8.GetByteCount(sample)} bytes ({sample.Length} characters), {iterations} iterations; " +
                          $"load average {File.ReadAllText("/proc/loadavg").Split(' ')[..3].Aggregate((a, b) => a + " " + b)}");

        var load = Stopwatch.StartNew();
        ChineseConverter.Warm();
        Console.WriteLine($"dictionaries loaded in {load.Elapsed.TotalMilliseconds:F0} ms");

        var document = Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new
        {
            id = Guid.NewGuid(), slug = "wuzhen", title = story.Title, language = "zh-Hant",
            body = new[] { new { type = "paragraph", text = sample } }, bodyHtml = "<p>" + sample + "</p>",
        }));
        foreach (var script in ChineseScript.All)
            Report($"text → {script.Name}", iterations, () => ChineseConverter.Convert(sample, script, "zh-Hant"));
        Report("document → hans (text and bodyHtml)", iterations,
            () => ScriptedJson.Convert(document, ChineseScript.Hans, [("x-default", "/api/v1/articles/x")]));
        return Task.FromResult(0);
    }

    static void Report(string name, int iterations, Func<object> run)
    {
        run();
        var times = new double[iterations];
        for (var n = 0; n < iterations; n++)
        {
            var watch = Stopwatch.StartNew();
            run();
            times[n] = watch.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        Console.WriteLine($"  {name,-40} median {times[iterations / 2]:F3} ms, p99 {times[iterations * 99 / 100]:F3} ms");
    }
}
