using NewsApi.Api.Auth;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Api;

/// <summary>
/// Records every write attempt under /api by a known key — who, what, which target, when, how it ended — including
/// the ones refused for a missing role, which endpoint filters would never see. Refusals of callers with no valid
/// key are only counted (<see cref="NewsMetrics.AnonymousWritesRefused"/>): anyone on the internet can send those,
/// as fast as they like, and a row each would let them grow the table without limit and bury the entries that matter.
/// </summary>
internal sealed class AuditLog(RequestDelegate next, NewsMetrics metrics, ILogger<AuditLog> logger)
{
    static readonly object NoteKey = new();

    /// <summary>A line the request's audit entry carries besides its status, such as an import's counts.</summary>
    public static void Note(HttpContext http, string detail) => http.Items[NoteKey] = detail;

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
            if (status is 401 or 403 && http.User.Identity?.IsAuthenticated != true)
                metrics.AnonymousWriteRefused(status, keySent: http.Request.CarriesKey());
            else
                await Record(http, scopes, clock, status);
        }
    }

    async Task Record(HttpContext http, IServiceScopeFactory scopes, TimeProvider clock, int status)
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
            Detail = http.Items[NoteKey] is string note ? Truncate(note, 500) : null,
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

    static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];
}

internal static class AuditLogSetup
{
    public static IServiceCollection AddAuditLog(this IServiceCollection services) => services.AddSingleton<NewsMetrics>();

    public static WebApplication UseAuditLog(this WebApplication app)
    {
        app.UseMiddleware<AuditLog>();
        return app;
    }
}
