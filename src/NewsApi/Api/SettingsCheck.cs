using Microsoft.Extensions.Options;

namespace NewsApi.Api;

/// <summary>
/// Runs the settings' start-up validation before anything else starts, so that a wrong or missing setting stops the
/// service with one log line each, naming it, instead of a stack trace.
/// </summary>
internal static class SettingsCheck
{
    /// <summary>1 when a setting is invalid (each failure logged on one line); null when the service may start.</summary>
    public static async Task<int?> CheckSettingsAsync(this WebApplication app)
    {
        try
        {
            app.Services.GetService<IStartupValidator>()?.Validate();
            return null;
        }
        catch (Exception e) when (e is OptionsValidationException or AggregateException)
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SettingsCheck).FullName!);
            foreach (var failure in Failures(e))
                logger.LogCritical("{Failure} Stopping.", failure.ReplaceLineEndings(" "));
            await app.DisposeAsync(); // flushes the log
            return 1;
        }
    }

    static IEnumerable<string> Failures(Exception e) => e switch
    {
        OptionsValidationException o => o.Failures,
        AggregateException a => a.InnerExceptions.SelectMany(Failures),
        _ => [e.Message],
    };
}
