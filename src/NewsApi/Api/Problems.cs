using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace NewsApi.Api;

/// <summary>
/// The stable <c>type</c> of every problem NewsApi answers with (RFC 9457). Clients switch on these,
/// so they never change once published.
/// </summary>
internal static class ProblemTypes
{
    public const string Validation = "urn:newsapi:problem:validation";
    public const string BadRequest = "urn:newsapi:problem:bad-request";
    public const string Unauthorized = "urn:newsapi:problem:unauthorized";
    public const string Forbidden = "urn:newsapi:problem:forbidden";
    public const string NotFound = "urn:newsapi:problem:not-found";
    public const string Conflict = "urn:newsapi:problem:conflict";
    public const string Gone = "urn:newsapi:problem:gone";
    public const string PreconditionFailed = "urn:newsapi:problem:precondition-failed";
    public const string PreconditionRequired = "urn:newsapi:problem:precondition-required";
    public const string PayloadTooLarge = "urn:newsapi:problem:payload-too-large";
    public const string MethodNotAllowed = "urn:newsapi:problem:method-not-allowed";
    public const string NotAcceptable = "urn:newsapi:problem:not-acceptable";
    public const string UnsupportedMediaType = "urn:newsapi:problem:unsupported-media-type";
    public const string TooManyRequests = "urn:newsapi:problem:too-many-requests";
    public const string Unavailable = "urn:newsapi:problem:unavailable";
    public const string Internal = "urn:newsapi:problem:internal";

    public static string ForStatus(int status) => status switch
    {
        400 => BadRequest,
        401 => Unauthorized,
        403 => Forbidden,
        404 => NotFound,
        409 => Conflict,
        410 => Gone,
        412 => PreconditionFailed,
        413 => PayloadTooLarge,
        428 => PreconditionRequired,
        405 => MethodNotAllowed,
        406 => NotAcceptable,
        415 => UnsupportedMediaType,
        429 => TooManyRequests,
        503 => Unavailable,
        >= 500 => Internal,
        _ => $"urn:newsapi:problem:http-{status}",
    };
}

internal static class Problems
{
    public static NotFoundProblem NotFound(string detail) => new(detail);
    public static ConflictProblem Conflict(string detail) => new(detail);
    public static GoneProblem Gone(string detail) => new(detail);

    public static ValidationProblem Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] });

    public static ValidationProblem Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The request is not valid", type: ProblemTypes.Validation,
            detail: "See errors for what to change.");
}

/// <summary>
/// A problem answered as application/problem+json through the app's problem details service (so it carries the
/// same instance and trace id as every other problem). Each subclass advertises its status to OpenAPI.
/// </summary>
internal abstract class ProblemResult(int status, string type, string title, string detail) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => status;
    public string Detail => detail;

    public Task ExecuteAsync(HttpContext http) =>
        ProblemWriter.Write(http, new ProblemDetails { Type = type, Title = title, Status = status, Detail = detail });

    protected static void Advertise(EndpointBuilder builder, int status) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), ["application/problem+json"]));
}

internal sealed class NotFoundProblem(string detail)
    : ProblemResult(StatusCodes.Status404NotFound, ProblemTypes.NotFound, "Not found", detail), IEndpointMetadataProvider
{
    public static void PopulateMetadata(System.Reflection.MethodInfo method, EndpointBuilder builder) => Advertise(builder, StatusCodes.Status404NotFound);
}

internal sealed class ConflictProblem(string detail)
    : ProblemResult(StatusCodes.Status409Conflict, ProblemTypes.Conflict, "Conflict", detail), IEndpointMetadataProvider
{
    public static void PopulateMetadata(System.Reflection.MethodInfo method, EndpointBuilder builder) => Advertise(builder, StatusCodes.Status409Conflict);
}

internal sealed class GoneProblem(string detail)
    : ProblemResult(StatusCodes.Status410Gone, ProblemTypes.Gone, "Gone", detail), IEndpointMetadataProvider
{
    public static void PopulateMetadata(System.Reflection.MethodInfo method, EndpointBuilder builder) => Advertise(builder, StatusCodes.Status410Gone);
}

internal sealed class PreconditionFailedProblem(string detail)
    : ProblemResult(StatusCodes.Status412PreconditionFailed, ProblemTypes.PreconditionFailed, "Precondition failed", detail), IEndpointMetadataProvider
{
    public static void PopulateMetadata(System.Reflection.MethodInfo method, EndpointBuilder builder) => Advertise(builder, StatusCodes.Status412PreconditionFailed);
}

internal sealed class PreconditionRequiredProblem(string detail)
    : ProblemResult(StatusCodes.Status428PreconditionRequired, ProblemTypes.PreconditionRequired, "Precondition required", detail), IEndpointMetadataProvider
{
    public static void PopulateMetadata(System.Reflection.MethodInfo method, EndpointBuilder builder) => Advertise(builder, StatusCodes.Status428PreconditionRequired);
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
