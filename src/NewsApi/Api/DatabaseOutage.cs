using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using NewsApi.Data;

namespace NewsApi.Api;

/// <summary>
/// While PostgreSQL cannot be reached every request is answered 503 problem+json with <c>Retry-After</c>: the caller
/// did nothing wrong, and this instance will answer again without a restart once the database is back.
/// </summary>
internal static class DatabaseOutage
{
    public static IServiceCollection AddDatabaseOutage(this IServiceCollection services) =>
        services.AddExceptionHandler<DatabaseUnavailableHandler>().AddExceptionHandler<WriteConflictHandler>();

    /// <summary>The seconds to tell a caller to wait, as <c>Retry-After</c> writes them.</summary>
    public static string RetryAfter(DatabaseOptions options) =>
        Math.Max(1, (int)Math.Ceiling(options.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static Task Answer(HttpContext http, DatabaseOptions options)
    {
        http.Response.Headers.RetryAfter = RetryAfter(options);
        return ProblemWriter.Write(http, new ProblemDetails
        {
            Type = ProblemTypes.Unavailable,
            Title = "Service unavailable",
            Status = StatusCodes.Status503ServiceUnavailable,
            Detail = "The database cannot be reached just now. Retry after the seconds in Retry-After.",
        });
    }

    /// <summary>
    /// Runs GET and HEAD requests again when the database could not be reached and nothing of the answer was sent yet
    /// (see <see cref="ReadRetries"/>). Last in the pipeline, so only the endpoint runs again: the caches, the key check
    /// and the rate limiter have done their part once.
    /// </summary>
    public static WebApplication UseReadRetries(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
            {
                await next(http);
                return;
            }
            var retries = http.RequestServices.GetRequiredService<ReadRetries>();
            var before = http.Response.Headers.Keys.ToHashSet(StringComparer.OrdinalIgnoreCase);
            await retries.RunAsync(() => next(http), () =>
            {
                if (http.Response.HasStarted)
                    return false;
                // What the failed attempt set goes; what the middleware before it set stays.
                http.Response.StatusCode = StatusCodes.Status200OK;
                foreach (var name in http.Response.Headers.Keys.Where(k => !before.Contains(k)).ToList())
                    http.Response.Headers.Remove(name);
                return true;
            }, http.RequestAborted);
        });
        return app;
    }
}

/// <summary>A failure to reach the database, from any endpoint or middleware, is a 503, never a 500.</summary>
internal sealed class DatabaseUnavailableHandler(IOptions<DatabaseOptions> options, ILogger<DatabaseUnavailableHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (!DatabaseFailure.IsUnavailable(exception))
            return false;
        DatabaseFailure.ForgetConnections();
        logger.LogWarning("{Method} {Path} answered 503: the database cannot be reached ({Reason})",
            http.Request.Method, http.Request.Path, exception.GetBaseException().Message);
        await DatabaseOutage.Answer(http, options.Value);
        return true;
    }
}

/// <summary>
/// Two writes that met at the same rows and were not resolved by the write itself are a 409 the caller can retry,
/// never a 500: the losing transaction stored nothing.
/// </summary>
internal sealed class WriteConflictHandler(ILogger<WriteConflictHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (!DatabaseFailure.IsWriteConflict(exception) || http.Response.HasStarted)
            return false;
        logger.LogWarning("{Method} {Path} answered 409: it met a concurrent write ({Reason})",
            http.Request.Method, http.Request.Path, exception.GetBaseException().Message);
        await Problems.Conflict("Another request wrote the same data at the same time; nothing of this one was stored. Send it again.")
            .ExecuteAsync(http);
        return true;
    }
}
