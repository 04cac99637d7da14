using Microsoft.AspNetCore.Http.HttpResults;

namespace NewsApi.Api;

/// <summary>The answer at an old slug: 301 to the resource's current address, query kept, so shared links keep working.</summary>
internal static class Moved
{
    public static RedirectHttpResult To(HttpContext http, string path) =>
        TypedResults.Redirect($"{http.Request.PathBase}{path}{http.Request.QueryString}", permanent: true);
}
