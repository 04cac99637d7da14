using System.Text.Json;
using System.Text.Json.Nodes;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NewsApi.Content;
using NewsApi.Data;
using Npgsql;

namespace NewsApi.Api;

/// <summary>
/// The steps every editor write to a section, topic, featured list, tag or author shares with article writes:
/// slugs, JSON Merge Patch onto a request record, and a save that turns races into 409 and 412, never 500.
/// </summary>
internal static class ResourceWrites
{
    public static IRuleBuilderOptions<T, string?> SlugRules<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(Slugs.MaxLength).Must(s => s is null || Slugs.Valid().IsMatch(s))
            .WithMessage("slug may hold only lowercase letters, digits and single hyphens between them, such as wuzhen-summit-2023.");

    /// <summary>
    /// RFC 7396 onto the resource as its editor would write it: the current values as a request, the patch merged
    /// in, read back as a request (so unknown members and wrong types are refused exactly as in a PUT).
    /// </summary>
    public static (T? Merged, ValidationProblem? Invalid) Merge<T>(T current, JsonObject patch, JsonSerializerOptions json) where T : class
    {
        var document = JsonSerializer.SerializeToNode(current, json)!.AsObject();
        MergePatch.Apply(document, patch);
        try
        {
            return (document.Deserialize<T>(json), null);
        }
        catch (JsonException e)
        {
            var field = e.Path?.TrimStart('$', '.') is { Length: > 0 } p ? p : "body";
            return (null, Problems.Invalid(field, $"{field} is not a member of this resource or has the wrong type."));
        }
    }

    /// <summary>A merged PATCH is validated like a whole write; the filter only sees the patch document.</summary>
    public static async Task<ValidationProblem?> Validate<T>(IValidator<T> validator, T value, CancellationToken ct) =>
        XmlChars.Errors(value) is { Count: > 0 } uncarried ? Problems.Invalid(uncarried)
        : await validator.ValidateAsync(value, ct) is { IsValid: false } result ? Problems.Invalid(result.ToDictionary()) : null;

    /// <summary>
    /// The DELETE of a resource found by slug: 404 when there is none, If-Match against its row version, then
    /// <paramref name="before"/> (a 409 when something still needs it, or the rows that go with it) and the removal,
    /// saved in one transaction.
    /// </summary>
    public static async Task<Results<NoContent, NotFoundProblem, ConflictProblem, PreconditionFailedProblem, PreconditionRequiredProblem>> Delete<T>(
        NewsDbContext db, T? resource, string notFound, Func<T, uint> version, HttpContext http, CancellationToken ct,
        Func<T, Task<ConflictProblem?>>? before = null) where T : class
    {
        if (resource is null)
            return Problems.NotFound(notFound);
        switch (Preconditions.IfMatch(http, version(resource)).Problem)
        {
            case PreconditionRequiredProblem required: return required;
            case PreconditionFailedProblem failed: return failed;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (before is not null && await before(resource) is { } inUse)
            return inUse;
        db.Remove(resource);
        switch (await Save(db, ct))
        {
            case ConflictProblem conflict: return conflict;
            case PreconditionFailedProblem stale: return stale;
        }
        await transaction.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// Saves. A slug taken meanwhile by a parallel request, or a reference removed meanwhile, is a 409; a row changed
    /// since it was read (xmin no longer what If-Match said) is a 412. Nothing is half-written.
    /// </summary>
    public static async Task<ProblemResult?> Save(NewsDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return null;
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } unique)
        {
            db.ChangeTracker.Clear();
            // Two saves of one resource both numbered their revision alike: it changed under this one.
            if (unique.TableName is "article_revisions" or "resource_revisions")
                return new PreconditionFailedProblem("The resource changed while your change was being saved. Read it again, reapply your change, and retry.");
            return unique.ConstraintName switch
            {
                { } name when name.Contains("slug") => Problems.Conflict("Another request took this slug a moment ago; choose another."),
                { } name when name.Contains("external") => Problems.Conflict("Another request took this externalId a moment ago; choose another."),
                _ => Problems.Conflict("Another request made the same change a moment ago. Read the resource again and retry."),
            };
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation })
        {
            db.ChangeTracker.Clear();
            return Problems.Conflict("Something this change refers to was removed, or something still refers to what it removes. Read again and retry.");
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return new PreconditionFailedProblem("The resource changed while your change was being saved. Read it again, reapply your change, and retry.");
        }
    }
}
