using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NewsApi.Api.OpenApi;

namespace NewsApi.Api;

internal static class HealthEndpoints
{
    public sealed record HealthResponse(string Status, IReadOnlyDictionary<string, string> Checks);

    public static readonly Examples Examples = new()
    {
        Values = new Dictionary<string, object> { ["HealthEndpointsHealthResponse.status"] = "Healthy", ["HealthEndpointsHealthResponse.database"] = "Healthy" },
    };

    public static WebApplication MapHealth(this WebApplication app)
    {
        var health = app.MapGroup("/health").WithTags("Operations");
        health.MapGet("/live", Live).WithName("live")
            .WithSummary("Liveness: the process answers")
            .WithDescription("Checks nothing outside the process; a failure here means restart the instance.");
        health.MapGet("/ready", Ready).WithName("ready")
            .WithSummary("Readiness: the database is reachable and fully migrated")
            .WithDescription("503 with the failing checks named while the instance should receive no traffic.");
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
        // Degraded is still ready: the instance serves (reads from one database, or uncached), and says what it lacks.
        if (report.Status != HealthStatus.Unhealthy)
            return TypedResults.Ok(new HealthResponse(report.Status.ToString().ToLowerInvariant(), results));
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
