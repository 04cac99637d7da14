using System.Diagnostics;

namespace NewsApi.Benchmarks.Reads;

/// <summary>Runs a load generator or tool to its end and hands back what it printed.</summary>
internal static class Tool
{
    public static async Task<string> Run(string file, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}: " +
                                                await errors);
        return await output + await errors;
    }
}
