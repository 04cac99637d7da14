using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Api.Auth;

/// <summary>Who may do what: previewers read everything, editors also write content, admins also manage keys and audit.</summary>
internal static class Policies
{
    public const string Previewer = "previewer";
    public const string Editor = "editor";
    public const string Admin = "admin";

    public static bool CanPreview(this ClaimsPrincipal user) => user.Identity?.IsAuthenticated == true;

    /// <summary>What the Editor policy asks: an editor's or an admin's key.</summary>
    public static bool CanEdit(this ClaimsPrincipal user) => user.IsInRole(nameof(Role.Editor)) || user.IsInRole(nameof(Role.Admin));

    public static string Actor(this ClaimsPrincipal user) => user.Identity?.Name ?? "anonymous";
}

internal static class AuthSetup
{
    public const string AdminKeyVariable = "NEWSAPI_ADMIN_KEY";

    public static IServiceCollection AddApiKeyAuth(this IServiceCollection services)
    {
        services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Previewer, p => p.RequireRole(nameof(Role.Previewer), nameof(Role.Editor), nameof(Role.Admin)))
            .AddPolicy(Policies.Editor, p => p.RequireRole(nameof(Role.Editor), nameof(Role.Admin)))
            .AddPolicy(Policies.Admin, p => p.RequireRole(nameof(Role.Admin)));
        return services;
    }

    public static WebApplication UseApiKeys(this WebApplication app)
    {
        app.UseAuthentication();
        // Credentials that fail are refused on every route, public reads included: a caller whose key was revoked
        // must learn it at once rather than quietly get the anonymous answer (and its cache).
        app.Use(async (http, next) =>
        {
            if (http.Request.Headers.Authorization.Count > 0 && (await http.AuthenticateAsync()).Failure is not null)
            {
                await http.ChallengeAsync();
                return;
            }
            await next(http);
        });
        app.UseAuthorization();
        // What a key sees (drafts, previews) must never land in a shared cache.
        app.Use(async (http, next) =>
        {
            if (http.Request.Headers.Authorization.Count > 0)
                http.Response.OnStarting(() =>
                {
                    http.Response.Headers.CacheControl = "private, no-store";
                    return Task.CompletedTask;
                });
            await next(http);
        });
        return app;
    }

    /// <summary>
    /// Makes sure an admin can get in: the key in NEWSAPI_ADMIN_KEY (for scripts and CI) is registered; without it,
    /// in Development, a key is generated when no admin key exists yet and logged once — it is never shown again.
    /// </summary>
    public static async Task EnsureAdminKeyAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();

        if (app.Configuration[AdminKeyVariable] is { Length: > 0 } configured)
        {
            if (configured.Length < 32)
                throw new InvalidOperationException($"{AdminKeyVariable} must be at least 32 characters of random text.");
            var hash = ApiKeySecrets.Hash(configured);
            var existing = await db.ApiKeys.FirstOrDefaultAsync(k => k.Name == "environment-admin");
            if (existing is null)
                db.ApiKeys.Add(new ApiKey { Name = "environment-admin", Role = Role.Admin, Prefix = ApiKeySecrets.Prefix(configured), Hash = hash, CreatedAt = now });
            else if (existing.Hash != hash || existing.RevokedAt is not null)
                (existing.Hash, existing.Prefix, existing.RevokedAt) = (hash, ApiKeySecrets.Prefix(configured), null);
            await db.SaveChangesAsync();
            return;
        }

        if (!app.Environment.IsDevelopment() || await db.ApiKeys.AnyAsync(k => k.Role == Role.Admin && k.RevokedAt == null))
            return;
        var key = ApiKeySecrets.New();
        db.ApiKeys.Add(new ApiKey { Name = "development-admin", Role = Role.Admin, Prefix = ApiKeySecrets.Prefix(key), Hash = ApiKeySecrets.Hash(key), CreatedAt = now });
        await db.SaveChangesAsync();
        app.Logger.LogWarning("Development admin API key (shown once, stored only as a hash): {Key}", key);
    }
}
