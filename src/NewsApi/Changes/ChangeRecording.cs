using Microsoft.EntityFrameworkCore.Diagnostics;
using NewsApi.Reads;

namespace NewsApi.Changes;

/// <summary>
/// Every content change records its events, cache tags, search queue entries, public documents and revision in its own
/// transaction.
/// </summary>
internal static class ChangeRecording
{
    public static IServiceCollection AddChangeRecording(this IServiceCollection services)
    {
        services.AddReadModel();
        services.AddSingleton<ChangeRecorder>();
        services.AddSingleton<ChangeCapture>();
        // The DbContext takes every registered interceptor; SaveChanges is the EF path's trigger for the recorder.
        services.AddSingleton<IInterceptor>(s => s.GetRequiredService<ChangeCapture>());
        services.AddSingleton<AfterCommit>();
        services.AddSingleton<IInterceptor>(s => s.GetRequiredService<AfterCommit>());
        return services;
    }
}
