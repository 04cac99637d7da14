using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace NewsApi.Api;

internal static class ProblemSetup
{
    /// <summary>Makes every non-2xx answer problem+json with a stable type and nothing internal in it.</summary>
    public static IServiceCollection AddProblems(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            var p = c.ProblemDetails;
            var status = p.Status ?? c.HttpContext.Response.StatusCode;
            if (p.Type is null || p.Type.StartsWith("https://tools.ietf.org", StringComparison.Ordinal))
                p.Type = ProblemTypes.ForStatus(status);
            p.Instance ??= c.HttpContext.Request.Path;
            p.Detail ??= status switch
            {
                404 => "There is nothing at this address.",
                405 => $"{c.HttpContext.Request.Method} is not allowed here.",
                _ => null,
            };
            if (status >= 500 && status != 503)
            {
                // Whatever filled this in (the developer exception page does, in Development) may name exception
                // types, messages or SQL: none of it leaves the process. The trace id finds it in the log.
                p.Title = "Internal server error";
                p.Detail = "Something went wrong on our side. It has been logged; retrying may help.";
                foreach (var key in p.Extensions.Keys.Where(k => k != "traceId").ToList())
                    p.Extensions.Remove(key);
            }
        });
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.AddSingleton<IProblemDetailsWriter, ProblemJsonFallback>();
        return services;
    }

    public static WebApplication UseProblems(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Routing after the handler, so failures while matching endpoints are caught here too.
        app.UseRouting();
        return app;
    }
}

/// <summary>Malformed requests that the framework rejects by throwing are the client's fault: 400, not 500.</summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (exception is not BadHttpRequestException bad)
            return false;
        if (bad.InnerException is System.Text.Json.JsonException json)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await Problems.Invalid(JsonError(json)).ExecuteAsync(http);
            return true;
        }
        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge && http.Features.Get<AppliedBodyLimit>() is { } applied)
        {
            await BodyLimits.TooLarge(http, applied.Limit, applied.Max);
            return true;
        }
        http.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = "The request could not be read",
                Type = ProblemTypes.ForStatus(bad.StatusCode),
                Detail = bad.StatusCode switch
                {
                    400 => "The request is malformed or its body is missing.",
                    415 => "Send the body as application/json.",
                    _ => null,
                },
            },
        });
    }

    /// <summary>
    /// Names the JSON member at fault in the client's terms (camelCase path, no .NET type names): unknown and
    /// duplicate members, wrong types, malformed JSON and text that is not valid Unicode.
    /// </summary>
    static Dictionary<string, string[]> JsonError(System.Text.Json.JsonException e)
    {
        var path = e.Path is { Length: > 1 } p ? p.TrimStart('$', '.') : "body";
        var message = e.Message;
        var reason = message.Contains("could not be mapped", StringComparison.Ordinal) ? "is not a member of this request."
            : message.Contains("uplicate", StringComparison.Ordinal) ? "appears more than once."
            : message.Contains("surrogate", StringComparison.OrdinalIgnoreCase) || message.Contains("UTF", StringComparison.Ordinal) ? "is not valid Unicode text."
            : message.Contains("missing required", StringComparison.OrdinalIgnoreCase) ? "is missing a required member."
            : e.Path is null or "$" ? "is not valid JSON." : "has a value of the wrong type or format.";
        return new() { [path] = [$"{path} {reason}"] };
    }
}
