using System.Text.Json.Nodes;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsApi.Api;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Features.FeaturedLists;

/// <param name="Article">Id of the article to feature; it must exist and not be killed.</param>
/// <param name="Position">Order among the entries, 1–1,000, lowest first.</param>
/// <param name="Pinned">Shown before every entry that is not pinned; default false.</param>
/// <param name="FeaturedAt">When the entry joins the list: now (the default) or later, never earlier, so the list's history stays true.</param>
/// <param name="VisibleFrom">Shown only from this time.</param>
/// <param name="VisibleUntil">Shown only until this time; later than visibleFrom and than now.</param>
internal sealed record FeaturedEntryRequest(
    Guid Article, int Position, bool Pinned = false, DateTimeOffset? FeaturedAt = null, DateTimeOffset? VisibleFrom = null, DateTimeOffset? VisibleUntil = null);

/// <summary>What a PATCH of an entry may change; the article and its times of featuring and removal stay.</summary>
/// <param name="Position">Order among the entries, 1–1,000, lowest first.</param>
/// <param name="Pinned">Shown before every entry that is not pinned.</param>
/// <param name="VisibleFrom">Shown only from this time; null removes the bound.</param>
/// <param name="VisibleUntil">Shown only until this time, later than visibleFrom; null removes the bound.</param>
internal sealed record FeaturedEntryChange(int Position, bool Pinned, DateTimeOffset? VisibleFrom = null, DateTimeOffset? VisibleUntil = null);

/// <summary>An entry as editors write it.</summary>
internal sealed record FeaturedEntryResponse(
    Guid Id, Guid Article, int Position, bool Pinned, DateTimeOffset FeaturedAt, DateTimeOffset? VisibleFrom, DateTimeOffset? VisibleUntil);

internal sealed class FeaturedEntryRequestValidator : AbstractValidator<FeaturedEntryRequest>
{
    /// <summary>Clocks of editors' machines and servers differ a little; a featuredAt this far back still counts as now.</summary>
    static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);

    public FeaturedEntryRequestValidator(NewsDbContext db, TimeProvider clock)
    {
        RuleFor(e => e.Article).NotEmpty().CustomAsync(async (id, context, ct) =>
        {
            var status = await db.Articles.Where(a => a.Id == id).Select(a => (ArticleStatus?)a.Status).FirstOrDefaultAsync(ct);
            if (status is null)
                context.AddFailure($"There is no article {id}.");
            else if (status == ArticleStatus.Killed)
                context.AddFailure($"The article {id} was killed and can be on no list.");
        }).When(e => e.Article != Guid.Empty, ApplyConditionTo.CurrentValidator);
        RuleFor(e => e.Position).InclusiveBetween(1, FeaturedListEntries.MaxPosition);
        RuleFor(e => e.FeaturedAt).Must(at => at is null || at >= clock.GetUtcNow() - Skew)
            .WithMessage("featuredAt cannot be in the past: what the list showed then is not rewritten. Leave it out for now.");
        RuleFor(e => e.VisibleUntil).Must((e, until) => until is null || e.VisibleFrom is null || until > e.VisibleFrom)
            .WithMessage("visibleUntil must be later than visibleFrom.")
            .Must(until => until is null || until > clock.GetUtcNow()).WithMessage("visibleUntil must be in the future.");
    }
}

internal sealed class FeaturedEntryChangeValidator : AbstractValidator<FeaturedEntryChange>
{
    public FeaturedEntryChangeValidator()
    {
        RuleFor(e => e.Position).InclusiveBetween(1, FeaturedListEntries.MaxPosition);
        RuleFor(e => e.VisibleUntil).Must((e, until) => until is null || e.VisibleFrom is null || until > e.VisibleFrom)
            .WithMessage("visibleUntil must be later than visibleFrom.");
    }
}

/// <summary>
/// A featured list's entries. Every change is a write to the list (If-Match on its ETag, a new ETag after). Entries are
/// never deleted and never changed behind the past: ?at= keeps showing what the list showed.
/// </summary>
internal static class FeaturedListEntries
{
    public const int MaxPosition = 1000;

    public static async Task<Results<Created<FeaturedEntryResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, PreconditionFailedProblem, PreconditionRequiredProblem>> Add(
        string slug, FeaturedEntryRequest request, NewsDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var list = await db.FeaturedLists.FirstOrDefaultAsync(l => l.Slug == slug, ct);
        if (list is null)
            return Problems.NotFound($"There is no featured list '{slug}'.");
        switch (Preconditions.IfMatch(http, list.Version).Problem)
        {
            case PreconditionRequiredProblem required: return required;
            case PreconditionFailedProblem failed: return failed;
        }
        if (await db.FeaturedListEntries.AnyAsync(e => e.ListId == list.Id && e.ArticleId == request.Article && e.RemovedAt == null, ct))
            return Problems.Conflict($"The article {request.Article} is on the list already; change that entry instead.");

        var now = clock.GetUtcNow();
        var entry = new FeaturedListEntry
        {
            ListId = list.Id, ArticleId = request.Article, Position = request.Position, Pinned = request.Pinned,
            FeaturedAt = request.FeaturedAt is { } at && at > now ? at.ToUniversalTime() : now,
            VisibleFrom = request.VisibleFrom?.ToUniversalTime(), VisibleUntil = request.VisibleUntil?.ToUniversalTime(),
        };
        db.FeaturedListEntries.Add(entry);
        return await Persist(db, list, clock, http, ct) switch
        {
            ConflictProblem conflict => conflict,
            PreconditionFailedProblem stale => stale,
            _ => TypedResults.Created(FeaturedListEndpoints.EntryPath(list.Slug, entry.Id), Response(entry)),
        };
    }

    /// <summary>
    /// Changes position, pinned and the visibility window (JSON Merge Patch). An entry already on show is changed by
    /// closing its old form (kept, removed now, for ?at=) and showing the new one from now under the same id.
    /// </summary>
    public static async Task<Results<Ok<FeaturedEntryResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, PreconditionFailedProblem, PreconditionRequiredProblem>> Patch(
        string slug, Guid entryId, JsonObject patch, NewsDbContext db, TimeProvider clock, HttpContext http,
        IValidator<FeaturedEntryChange> validator, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        var (list, entry, missing) = await Load(db, slug, entryId, ct);
        if (missing is not null)
            return missing;
        switch (Preconditions.IfMatch(http, list!.Version).Problem)
        {
            case PreconditionRequiredProblem required: return required;
            case PreconditionFailedProblem failed: return failed;
        }
        var (change, invalid) = ResourceWrites.Merge(new FeaturedEntryChange(entry!.Position, entry.Pinned, entry.VisibleFrom, entry.VisibleUntil), patch, json.Value.SerializerOptions);
        if (invalid is not null || change is null)
            return invalid ?? Problems.Invalid("body", "The merged entry is not valid.");
        if (await ResourceWrites.Validate(validator, change, ct) is { } problem)
            return problem;

        Reshape(db, entry, change, clock.GetUtcNow());
        return await Persist(db, list, clock, http, ct) switch
        {
            ConflictProblem conflict => conflict,
            PreconditionFailedProblem stale => stale,
            _ => TypedResults.Ok(Response(entry)),
        };
    }

    /// <summary>
    /// Gives the entry a new position, pin or window. One already on show is changed by closing its old form (kept,
    /// removed now, for ?at=) and showing the new one from now under the same id.
    /// </summary>
    internal static void Reshape(NewsDbContext db, FeaturedListEntry entry, FeaturedEntryChange change, DateTimeOffset now)
    {
        var (from, until) = (change.VisibleFrom?.ToUniversalTime(), change.VisibleUntil?.ToUniversalTime());
        var changed = change.Position != entry.Position || change.Pinned != entry.Pinned || from != entry.VisibleFrom || until != entry.VisibleUntil;
        if (changed && entry.FeaturedAt < now)
        {
            db.FeaturedListEntries.Add(new FeaturedListEntry
            {
                ListId = entry.ListId, ArticleId = entry.ArticleId, Position = entry.Position, Pinned = entry.Pinned, FeaturedAt = entry.FeaturedAt,
                VisibleFrom = entry.VisibleFrom, VisibleUntil = entry.VisibleUntil, RemovedAt = now, WindowNotedAt = entry.WindowNotedAt,
            });
            entry.FeaturedAt = now;
        }
        (entry.Position, entry.Pinned, entry.VisibleFrom, entry.VisibleUntil) = (change.Position, change.Pinned, from, until);
    }

    /// <summary>Takes the entry off the list from now: it is marked removed, never deleted, so ?at= still shows it before.</summary>
    public static async Task<Results<NoContent, NotFoundProblem, ConflictProblem, PreconditionFailedProblem, PreconditionRequiredProblem>> Remove(
        string slug, Guid entryId, NewsDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var (list, entry, missing) = await Load(db, slug, entryId, ct);
        if (missing is not null)
            return missing;
        switch (Preconditions.IfMatch(http, list!.Version).Problem)
        {
            case PreconditionRequiredProblem required: return required;
            case PreconditionFailedProblem failed: return failed;
        }
        entry!.RemovedAt = clock.GetUtcNow();
        return await Persist(db, list, clock, http, ct) switch
        {
            ConflictProblem conflict => conflict,
            PreconditionFailedProblem stale => stale,
            _ => TypedResults.NoContent(),
        };
    }

    static async Task<(FeaturedList?, FeaturedListEntry?, NotFoundProblem?)> Load(NewsDbContext db, string slug, Guid entryId, CancellationToken ct)
    {
        var list = await db.FeaturedLists.FirstOrDefaultAsync(l => l.Slug == slug, ct);
        if (list is null)
            return (null, null, Problems.NotFound($"There is no featured list '{slug}'."));
        var entry = await db.FeaturedListEntries.FirstOrDefaultAsync(e => e.Id == entryId && e.ListId == list.Id && e.RemovedAt == null, ct);
        return entry is null
            ? (list, null, Problems.NotFound($"The featured list '{slug}' has no entry {entryId} (or it was removed)."))
            : (list, entry, null);
    }

    /// <summary>Saves the entries and touches the list; the new ETag goes on the response.</summary>
    static async Task<ProblemResult?> Persist(NewsDbContext db, FeaturedList list, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        db.Touch(list, l => l.UpdatedAt, clock.GetUtcNow());
        await WriteFeaturedList.Revise(db, list, http, "updated", clock, ct);
        if (await ResourceWrites.Save(db, ct) is { } problem)
            return problem;
        Preconditions.SetETag(http, list.Version);
        return null;
    }

    static FeaturedEntryResponse Response(FeaturedListEntry e) =>
        new(e.Id, e.ArticleId, e.Position, e.Pinned, e.FeaturedAt, e.VisibleFrom, e.VisibleUntil);
}
