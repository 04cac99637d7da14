using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Api.Auth;
using NewsApi.Api.OpenApi;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Features.ApiKeys;

/// <param name="Name">Who or what uses the key, unique, e.g. "web-preview" or "wire-import". Shown in the audit log.</param>
/// <param name="Role">previewer (reads everything), editor (writes content) or admin (also keys and audit).</param>
internal sealed record CreateApiKey(string Name, Role Role);

internal sealed class CreateApiKeyValidator : AbstractValidator<CreateApiKey>
{
    public CreateApiKeyValidator()
    {
        RuleFor(k => k.Name).NotEmpty().MaximumLength(100).Matches("^[a-zA-Z0-9][a-zA-Z0-9._-]*$")
            .WithMessage("name may hold letters, digits, dots, underscores and hyphens.");
        RuleFor(k => k.Role).IsInEnum();
    }
}

internal sealed record ApiKeyResponse(Guid Id, string Name, Role Role, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

/// <summary>The one response that carries the key itself: store it now, it is never shown again.</summary>
internal sealed record CreatedApiKey(Guid Id, string Name, Role Role, string Key);

internal static class ApiKeyEndpoints
{
    const string Group = "/api-keys";

    /// <summary>A key's address (getApiKey), for Location headers.</summary>
    public static string Path(Guid id) => $"{ApiRoutes.Prefix}{Group}/{id}";

    public static RouteGroupBuilder MapApiKeys(this RouteGroupBuilder api)
    {
        var keys = api.MapGroup(Group).WithTags("API keys").RequireAuthorization(Policies.Admin).WithResourceParameters();
        keys.MapGet("/", List).WithName("listApiKeys").WithValidation().WithSummary("List API keys")
            .WithDescription("Every key with its role, prefix and last use, never the key itself: a page {items, nextCursor} in name " +
                             "order, as every list is (before, the answer was a bare array).");
        keys.MapGet("/{id:guid}", Get).WithName("getApiKey").WithSummary("Read an API key")
            .WithDescription("One key's role, prefix, creation, last use and revocation; never the key itself. The address createApiKey's Location names.");
        keys.MapPost("/", Create).WithName("createApiKey").WithValidation().WithSummary("Create an API key")
            .WithDescription("The response holds the key, once: only its hash is stored.");
        keys.MapDelete("/{id:guid}", Revoke).WithName("revokeApiKey").WithSummary("Revoke an API key")
            .WithDescription("The key stops working at once. Revoked keys stay listed for the audit trail.");
        return api;
    }

    public sealed record Query(string? Limit, string? Cursor) : IPagedQuery;

    const string ListName = "api-keys";

    public sealed class QueryValidator(CursorSigner cursors) : PagedQueryValidator<Query>(cursors, ListName, "name");

    public static async Task<Results<Ok<Page<ApiKeyResponse>>, ValidationProblem>> List(
        [AsParameters] Query query, NewsDbContext db, CursorSigner cursors, HttpContext http, CancellationToken ct)
    {
        var (page, invalid) = await KeysetPaging.ByUniqueText(db.ApiKeys, nameof(ApiKey.Name), query, ListName,
            "cursor points at a key that no longer exists; start again without it.",
            k => new ApiKeyResponse(k.Id, k.Name, k.Role, k.Prefix, k.CreatedAt, k.LastUsedAt, k.RevokedAt), k => k.Id, k => k, cursors, http, ct);
        return invalid is not null ? invalid : TypedResults.Ok(page!);
    }

    public static async Task<Results<Ok<ApiKeyResponse>, NotFoundProblem>> Get(Guid id, NewsDbContext db, CancellationToken ct) =>
        await db.ApiKeys.AsNoTracking().Where(k => k.Id == id)
            .Select(k => new ApiKeyResponse(k.Id, k.Name, k.Role, k.Prefix, k.CreatedAt, k.LastUsedAt, k.RevokedAt)).FirstOrDefaultAsync(ct) is { } key
            ? TypedResults.Ok(key)
            : Problems.NotFound($"There is no API key with id {id}.");

    public static async Task<Results<Created<CreatedApiKey>, ValidationProblem, ConflictProblem>> Create(
        CreateApiKey request, NewsDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (await db.ApiKeys.AnyAsync(k => k.Name == request.Name, ct))
            return Problems.Conflict($"A key named '{request.Name}' exists already.");
        var secret = ApiKeySecrets.New();
        var key = new ApiKey
        {
            Name = request.Name, Role = request.Role, Prefix = ApiKeySecrets.Prefix(secret), Hash = ApiKeySecrets.Hash(secret),
            CreatedAt = clock.GetUtcNow(),
        };
        db.ApiKeys.Add(key);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return Problems.Conflict($"A key named '{request.Name}' was created a moment ago.");
        }
        return TypedResults.Created(Path(key.Id), new CreatedApiKey(key.Id, key.Name, key.Role, secret));
    }

    public static async Task<Results<NoContent, NotFoundProblem>> Revoke(Guid id, NewsDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var changed = await db.ApiKeys.Where(k => k.Id == id && k.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, now), ct);
        return changed > 0 || await db.ApiKeys.AnyAsync(k => k.Id == id, ct)
            ? TypedResults.NoContent()
            : Problems.NotFound($"There is no API key with id {id}.");
    }
}
