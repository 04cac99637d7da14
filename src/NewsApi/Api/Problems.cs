using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace NewsApi.Api;

/// <summary>
/// The stable <c>type</c> of every problem NewsApi answers with (RFC 9457). Clients switch on these,
/// so they never change once published.
/// </summary>
public static class ProblemTypes
{
    public const string Validation = "urn:newsapi:problem:validation";
    public const string BadRequest = "urn:newsapi:problem:bad-request";
    public const string NotFound = "urn:newsapi:problem:not-found";
    public const string MethodNotAllowed = "urn:newsapi:problem:method-not-allowed";
    public const string NotAcceptable = "urn:newsapi:problem:not-acceptable";
    public const string UnsupportedMediaType = "urn:newsapi:problem:unsupported-media-type";
    public const string Unavailable = "urn:newsapi:problem:unavailable";
    public const string Internal = "urn:newsapi:problem:internal";

    public static string ForStatus(int status) => status switch
    {
        400 => BadRequest,
        404 => NotFound,
        405 => MethodNotAllowed,
        406 => NotAcceptable,
        415 => UnsupportedMediaType,
        503 => Unavailable,
        >= 500 => Internal,
        _ => $"urn:newsapi:problem:http-{status}",
    };
}

public static class Problems
{
    public static NotFoundProblem NotFound(string detail) => new(detail);

    public static ValidationProblem Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] });

    public static ValidationProblem Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The request is not valid", type: ProblemTypes.Validation,
            detail: "See errors for what to change.");
}

/// <summary>
/// A 404 written as application/problem+json through the app's problem details service (so it carries the
/// same instance and trace id as every other problem), and advertised as such to OpenAPI.
/// </summary>
public sealed class NotFoundProblem(string detail) : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    public int? StatusCode => StatusCodes.Status404NotFound;
    public string Detail => detail;

    public Task ExecuteAsync(HttpContext http) => ProblemWriter.Write(http, new ProblemDetails
    {
        Type = ProblemTypes.NotFound,
        Title = "Not found",
        Status = StatusCodes.Status404NotFound,
        Detail = detail,
    });

    public static void PopulateMetadata(System.Reflection.MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status404NotFound, typeof(ProblemDetails), ["application/problem+json"]));
}

internal static class ProblemWriter
{
    public static async Task Write(HttpContext http, ProblemDetails problem)
    {
        http.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        var service = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await service.WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
    }
}
