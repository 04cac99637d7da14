using System.Globalization;
using System.Text.RegularExpressions;

namespace NewsApi.Benchmarks.Reads;

/// <summary>
/// wrk (the Debian package) against one URL, or round a file of paths with a Lua script, each of its threads
/// starting at a different place in the file.
/// </summary>
internal static partial class Wrk
{
    public static async Task<Load> Run(
        string baseUrl, string? pathsFile, string? path, int connections, TimeSpan duration, string workDirectory)
    {
        var arguments = new List<string> { "-t2", $"-c{connections}", $"-d{(int)duration.TotalSeconds}s", "--latency", "--timeout", "10s" };
        if (pathsFile is not null)
            arguments.AddRange(["-s", Script(pathsFile, workDirectory)]);
        arguments.Add(baseUrl + (path ?? "/"));
        return Parse(await Tool.Run("wrk", arguments));
    }

    static string Script(string pathsFile, string workDirectory)
    {
        var script = Path.Combine(workDirectory, Path.GetFileNameWithoutExtension(pathsFile) + ".lua");
        File.WriteAllText(script, $$"""
            -- Each thread walks the paths from its own offset, so no two ask for the same article at the same time.
            local threads = 0
            function setup(thread)
              thread:set("offset", threads * 7919)
              threads = threads + 1
            end
            function init(args)
              paths = {}
              for line in io.lines("{{pathsFile}}") do paths[#paths + 1] = line end
              i = offset or 0
            end
            function request()
              i = i + 1
              return wrk.format("GET", paths[(i % #paths) + 1])
            end
            """);
        return script;
    }

    static Load Parse(string output)
    {
        double Number(Regex pattern) => pattern.Match(output) is { Success: true } m
            ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException("wrk printed no figures:\n" + output);
        double Latency(string percentile)
        {
            var m = Regex.Match(output, $@"^\s*{percentile}%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
            if (!m.Success)
                throw new InvalidOperationException("wrk printed no latency distribution:\n" + output);
            var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return m.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
        }
        var errors = (NonSuccess().Match(output) is { Success: true } n ? long.Parse(n.Groups[1].Value, CultureInfo.InvariantCulture) : 0)
                     + SocketErrors().Matches(output).Sum(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        return new Load(Number(Rate()), Latency("50"), Latency("99"), (long)Number(Requests()), errors);
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex Rate();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex Requests();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex NonSuccess();

    [GeneratedRegex(@"(?:connect|read|write|timeout) (\d+)")]
    private static partial Regex SocketErrors();
}
