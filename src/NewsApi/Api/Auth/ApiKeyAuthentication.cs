using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsApi.Data;

namespace NewsApi.Api.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;key&gt;</c> against the stored key hashes. Keys are read from that
/// header only, never from the query string, where they would end up in logs and browser histories.
/// </summary>
internal sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    NewsDbContext db, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    // Writing the last-used time on every request would turn every read into a write.
    static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.CarriesKey())
            return AuthenticateResult.NoResult();
        // Present but empty is malformed, not anonymous: whoever sent it meant to be someone.
        string header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header[7..].Trim() is not { Length: > 0 } secret)
            return AuthenticateResult.Fail("The Authorization header must be 'Bearer <key>'.");

        var hash = ApiKeySecrets.Hash(secret);
        var key = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Hash == hash, Context.RequestAborted);
        if (key is null || key.RevokedAt is not null)
            return AuthenticateResult.Fail("The API key is not valid or has been revoked.");

        var now = clock.GetUtcNow();
        if (key.LastUsedAt is null || now - key.LastUsedAt > LastUsedResolution)
            await db.ApiKeys.Where(k => k.Id == key.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), Context.RequestAborted);

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, key.Name), new Claim(ClaimTypes.NameIdentifier, key.Id.ToString()), new Claim(ClaimTypes.Role, key.Role.ToString())],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure;
        Response.Headers.WWWAuthenticate = failure is null
            ? "Bearer realm=\"NewsApi\""
            : "Bearer realm=\"NewsApi\", error=\"invalid_token\"";
        await ProblemWriter.Write(Context, new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Type = ProblemTypes.Unauthorized,
            Title = "An API key is required",
            Status = StatusCodes.Status401Unauthorized,
            Detail = failure?.Message ?? "Send an API key as 'Authorization: Bearer <key>'.",
        });
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ProblemWriter.Write(Context, new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Type = ProblemTypes.Forbidden,
            Title = "This key may not do that",
            Status = StatusCodes.Status403Forbidden,
            Detail = $"The key's role ({Context.User.FindFirstValue(ClaimTypes.Role)?.ToLowerInvariant()}) does not allow this operation.",
        });
}
