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
            if (http.Request.CarriesKey() && (await http.AuthenticateAsync()).Failure is not null)
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
            if (http.Request.CarriesKey())
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
    /// A revoked environment key stays revoked: an operator revoked it for a reason (a leak, a departure), and a
    /// restart with the old configuration must not undo that. Instances starting together take turns under an
    /// advisory lock, so there is one row and no unique violation to crash a start.
    /// </summary>
    public static async Task EnsureAdminKeyAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
        var configured = app.Configuration[AdminKeyVariable] is { Length: > 0 } c ? c : null;
        if (configured is { Length: < 32 })
            throw new InvalidOperationException($"{AdminKeyVariable} must be at least 32 characters of random text.");
        if (configured is null && !app.Environment.IsDevelopment())
            return;

        await using var transaction = await db.Database.BeginTransactionAsync();
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({BootstrapLock})");
        if (configured is not null)
        {
            var hash = ApiKeySecrets.Hash(configured);
            var existing = await db.ApiKeys.FirstOrDefaultAsync(k => k.Name == EnvironmentKeyName);
            if (existing is { RevokedAt: { } revokedAt })
            {
                app.Logger.LogWarning(
                    "The admin key from {Variable} ({Name}, {Prefix}…) was revoked at {RevokedAt:u}; it stays revoked and is not re-created. " +
                    "Remove {Variable} and create admin keys through /api/v1/api-keys with another admin key.",
                    AdminKeyVariable, EnvironmentKeyName, existing.Prefix, revokedAt, AdminKeyVariable);
                return;
            }
            if (existing is null)
                db.ApiKeys.Add(new ApiKey { Name = EnvironmentKeyName, Role = Role.Admin, Prefix = ApiKeySecrets.Prefix(configured), Hash = hash, CreatedAt = now });
            // A new value in the variable while the key is live is a rotation: the old value stops working.
            else if (existing.Hash != hash)
                (existing.Hash, existing.Prefix) = (hash, ApiKeySecrets.Prefix(configured));
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
            return;
        }

        if (await db.ApiKeys.AnyAsync(k => k.Role == Role.Admin && k.RevokedAt == null))
            return;
        var key = ApiKeySecrets.New();
        db.ApiKeys.Add(new ApiKey { Name = "development-admin", Role = Role.Admin, Prefix = ApiKeySecrets.Prefix(key), Hash = ApiKeySecrets.Hash(key), CreatedAt = now });
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        app.Logger.LogWarning("Development admin API key (shown once, stored only as a hash): {Key}", key);
    }

    public const string EnvironmentKeyName = "environment-admin";

    // Any constant shared by every instance; it only has to differ from the other advisory locks the service takes.
    const long BootstrapLock = 0x4E_65_77_73_41_4B_01;
}
