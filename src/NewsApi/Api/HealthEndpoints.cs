using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NewsApi.Api.OpenApi;

namespace NewsApi.Api;

internal static class HealthEndpoints
{
    /// <param name="Status">healthy, or the worst check's status.</param>
    /// <param name="Checks">Each check's status, by name.</param>
    /// <param name="Details">What checks report besides their status, by check (such as the search index's lag).</param>
    public sealed record HealthResponse(string Status, IReadOnlyDictionary<string, string> Checks,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, object>>? Details = null);

    public static readonly Examples Examples = new()
    {
        Bodies = new Dictionary<Type, object>
        {
            [typeof(HealthResponse)] = new HealthResponse("healthy",
                new Dictionary<string, string> { ["database"] = "healthy", ["migrations"] = "healthy", ["search-index"] = "healthy" },
                new Dictionary<string, IReadOnlyDictionary<string, object>>
                {
                    ["search-index"] = new Dictionary<string, object> { ["queued"] = 3, ["oldestQueuedSeconds"] = 0.42 },
                }),
        },
    };

    public static WebApplication MapHealth(this WebApplication app)
    {
        var health = app.MapGroup("/health").WithTags("Operations");
        health.MapGet("/live", Live).WithName("live")
            .WithSummary("Liveness: the process answers")
            .WithDescription("Checks nothing outside the process; a failure here means restart the instance.");
        health.MapGet("/ready", Ready).WithName("ready")
            .WithSummary("Readiness: the database is reachable and fully migrated")
            .WithDescription("503 with the failing checks named while the instance should receive no traffic. `details` carries what a " +
                "check measures: `search-index` gives `queued` (article changes not yet in the search index) and `oldestQueuedSeconds` " +
                "(how far search lags behind the articles; a lag never makes the instance unready).");
        return app;
    }

    public static Ok<HealthResponse> Live() => TypedResults.Ok(new HealthResponse("healthy", new Dictionary<string, string>()));

    public static async Task<Results<Ok<HealthResponse>, ProblemHttpResult>> Ready(HealthCheckService checks, HttpContext http,
        Microsoft.Extensions.Options.IOptions<Data.DatabaseOptions> database, CancellationToken ct)
    {
        var report = await checks.CheckHealthAsync(c => c.Tags.Contains("ready"), ct);
        // A degraded check says why in the service's own words (a standby or Redis that cannot be reached), never an exception's.
        var results = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status == HealthStatus.Degraded && e.Value.Description is { } why
            ? $"degraded: {why}" : e.Value.Status.ToString().ToLowerInvariant());
        var details = report.Entries.Where(e => e.Value.Data.Count > 0)
            .ToDictionary(e => e.Key, e => (IReadOnlyDictionary<string, object>)e.Value.Data.ToDictionary());
        // Degraded is still ready: the instance serves (reads from one database, or uncached), and says what it lacks.
        if (report.Status != HealthStatus.Unhealthy)
            return TypedResults.Ok(new HealthResponse(report.Status.ToString().ToLowerInvariant(), results, details.Count > 0 ? details : null));
        http.Response.Headers.RetryAfter = DatabaseOutage.RetryAfter(database.Value);
        // Names which check failed, never why in detail: exception texts may carry connection details.
        return TypedResults.Problem(
            title: "Not ready",
            detail: "Failing: " + string.Join(", ", results.Where(c => c.Value != "healthy").Select(c => c.Key)),
            statusCode: StatusCodes.Status503ServiceUnavailable,
            type: ProblemTypes.Unavailable,
            extensions: new Dictionary<string, object?> { ["checks"] = results });
    }
}
