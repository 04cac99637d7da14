namespace NewsApi.Api;

internal static class CorsSetup
{
    /// <summary>
    /// Frontends on other origins read and (with a key) write from the browser. Any origin may: keys travel in the
    /// Authorization header, never in cookies, so a page can only use a key it already holds.
    /// </summary>
    public static IServiceCollection AddBrowserAccess(this IServiceCollection services) => services.AddCors(o => o.AddDefaultPolicy(p => p
        .AllowAnyOrigin()
        .WithMethods("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
        .WithHeaders("Authorization", "Content-Type", "If-Match", "If-None-Match", "If-Modified-Since", "Idempotency-Key", "Accept")
        .WithExposedHeaders("ETag", "Last-Modified", "Link", "Location", "Idempotency-Replayed")
        .SetPreflightMaxAge(TimeSpan.FromHours(1))));
}
