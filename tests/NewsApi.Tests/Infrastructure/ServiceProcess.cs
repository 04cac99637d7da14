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
}
