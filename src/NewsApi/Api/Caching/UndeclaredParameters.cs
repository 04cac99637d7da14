using Microsoft.AspNetCore.Mvc;

namespace NewsApi.Api.Caching;

/// <summary>
/// A public read with a query parameter its route does not declare is a 400 naming it, before any cache is asked:
/// otherwise every junk variant (?x=1, ?x=2, …) would be a miss that renders and a new entry that pushes real
/// answers out, and a typo (?limt=5) would quietly answer something else.
/// </summary>
internal sealed class UndeclaredParameters(RequestDelegate next, DeclaredQuery declared)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (http.PublicRead() is not { } read || http.Request.Query.Count == 0 || declared.Of(read) is not { } names)
        {
            await next(http);
            return;
        }
        var unknown = http.Request.Query.Keys.Where(k => !names.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknown.Count == 0)
        {
            await next(http);
            return;
        }

        http.Response.Headers.CacheControl = "no-store";
        var accepted = names.Length == 0 ? "none" : string.Join(", ", names);
        await ProblemWriter.Write(http, new HttpValidationProblemDetails(
            unknown.ToDictionary(k => k, k => new[] { $"'{k}' is not a parameter of this operation; it takes: {accepted}." }))
        {
            Type = ProblemTypes.Validation,
            Title = "The request is not valid",
            Status = StatusCodes.Status400BadRequest,
            Detail = $"Unknown query parameter(s): {string.Join(", ", unknown)}. Public reads accept only the parameters they declare.",
        });
    }
}
