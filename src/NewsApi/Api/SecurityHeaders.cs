using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace NewsApi.Api;

/// <summary>
/// Headers every answer carries, whatever produced it (an endpoint, a cache hit, a 404, a crash): browsers never
/// guess a type other than the declared one, and the server does not say what it runs. Swagger UI's pages, the only
/// HTML the service serves, get a Content-Security-Policy.
/// </summary>
internal static class SecurityHeaders
{
    public const string SwaggerPath = "/swagger";

    /// <summary>
    /// Swagger UI needs its own scripts and styles, inline style attributes (React sets them) and data: images (its
    /// icons); it fetches the document and "Try it out" answers from this origin only. Nothing else may load,
    /// no page may frame it, and no form or base element can send it elsewhere.
    /// </summary>
    public const string SwaggerPolicy = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                                        + "font-src 'self'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

    public static IServiceCollection AddSecurityHeaders(this IServiceCollection services) =>
        services.Configure<KestrelServerOptions>(o => o.AddServerHeader = false);

    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.Use((http, next) =>
        {
            // Set when the answer starts: the exception handler clears headers set earlier.
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                if (http.Request.Path.StartsWithSegments(SwaggerPath))
                    headers.ContentSecurityPolicy = SwaggerPolicy;
                return Task.CompletedTask;
            });
            return next(http);
        });
        return app;
    }
}
