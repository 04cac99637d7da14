using NewsApi.Api.Auth;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Api;

/// <summary>
/// Records every write attempt under /api — who, what, which target, when, how it ended — including the ones
/// refused for a missing key or role, which endpoint filters would never see.
/// </summary>
internal sealed class AuditLog(RequestDelegate next, ILogger<AuditLog> logger)
{
    public async Task InvokeAsync(HttpContext http, IServiceScopeFactory scopes, TimeProvider clock)
    {
        if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method)
            || !http.Request.Path.StartsWithSegments("/api"))
        {
            await next(http);
            return;
        }

        var status = 500;
        try
        {
            await next(http);
            status = http.Response.StatusCode;
        }
        finally
        {
            var endpoint = http.GetEndpoint();
            var entry = new AuditEntry
            {
                At = clock.GetUtcNow(),
                Actor = http.User.Actor(),
                Action = endpoint?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? $"{http.Request.Method} (no route)",
                Target = Truncate(http.Request.Path.Value ?? "", 300),
                Status = status,
                Outcome = status switch { < 400 => "succeeded", 401 or 403 => "denied", < 500 => "rejected", _ => "failed" },
            };
            try
            {
                // A scope of its own: the request's context may hold a failed transaction.
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
                db.AuditEntries.Add(entry);
                await db.SaveChangesAsync(CancellationToken.None);
            }
            catch (Exception e)
            {
                logger.LogError(e, "Could not write the audit entry for {Action} on {Target} ({Status})", entry.Action, entry.Target, status);
            }
        }
    }

    static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];
}

internal static class AuditLogSetup
{
    public static WebApplication UseAuditLog(this WebApplication app)
    {
        app.UseMiddleware<AuditLog>();
        return app;
    }
}
