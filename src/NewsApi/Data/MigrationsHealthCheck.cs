using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace NewsApi.Data;

/// <summary>Ready only once the schema matches the code: an instance must not serve from an older schema.</summary>
internal sealed class MigrationsHealthCheck(NewsDbContext db, Standby standby) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        List<string> pending;
        try
        {
            pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        }
        catch (Exception e) when (standby.Configured && DatabaseFailure.IsUnavailable(e))
        {
            // The primary is down: the standby holds the same migration history.
            ReadRoute.PublicRead();
            pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        }
        return pending.Count == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"{pending.Count} migration(s) not applied.");
    }
}

/// <summary>
/// The primary answers: healthy. With a standby that answers instead, degraded and still ready: public reads go on from
/// the standby while writes answer 503, until a primary is back.
/// </summary>
internal sealed class DatabaseHealthCheck(NewsDbContext db, Standby standby) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        if (await db.Database.CanConnectAsync(ct))
            return HealthCheckResult.Healthy();
        return standby.Configured && await standby.ReachableAsync(ct)
            ? HealthCheckResult.Degraded("The primary cannot be reached: public reads are served by the standby, writes answer 503.")
            : HealthCheckResult.Unhealthy();
    }
}

/// <summary>The standby answers, or public reads go to the primary (degraded, still ready).</summary>
internal sealed class StandbyHealthCheck(Standby standby) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        await standby.ReachableAsync(ct)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Degraded("The standby cannot be reached: public reads go to the primary.");
}
