using System.Text.Json.Nodes;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsApi.Api;
using NewsApi.Api.Auth;
using NewsApi.Changes;
using NewsApi.Content;
using NewsApi.Features.Revisions;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Features.FeaturedLists;

/// <summary>What an editor may write of a featured list; entries have their own endpoints, ids and times are the service's.</summary>
/// <param name="Title">Plain text, 1–200 characters, e.g. 國內新聞精選.</param>
/// <param name="Slug">Lowercase letters, digits and hyphens; generated from the title (pinyin for Chinese) when absent; kept when left out of a PUT.</param>
/// <param name="Section">Slug of the section whose newest articles fill the list when it has fewer entries than maxItems; none when absent.</param>
/// <param name="MaxItems">How many entries the list shows at most, 1–100; default 10.</param>
internal sealed record FeaturedListRequest(string Title, string? Slug = null, string? Section = null, int MaxItems = 10);

internal sealed class FeaturedListRequestValidator : AbstractValidator<FeaturedListRequest>
{
    public FeaturedListRequestValidator(NewsDbContext db)
    {
        RuleFor(l => l.Title).NotEmpty().MaximumLength(200).PlainText();
        RuleFor(l => l.Slug).SlugRules();
        // A section that exists is a slug, so its length never adds a second message.
        RuleFor(l => l.Section).Cascade(CascadeMode.Stop).MustAsync(async (slug, ct) => slug is null || await db.Sections.AnyAsync(s => s.Slug == slug, ct))
            .WithMessage(l => $"There is no section '{l.Section}'.").MaximumLength(Slugs.MaxLength);
        RuleFor(l => l.MaxItems).InclusiveBetween(1, 100);
    }
}

/// <summary>An entry as a featured list's revision keeps it: what restoring it puts back.</summary>
internal sealed record FeaturedEntryState(Guid Article, int Position, bool Pinned, DateTimeOffset? VisibleFrom, DateTimeOffset? VisibleUntil);

internal static class WriteFeaturedList
{
    public static async Task<Results<Created<FeaturedListResponse>, ValidationProblem, ConflictProblem>> Create(
        FeaturedListRequest request, NewsDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var list = new FeaturedList { Slug = "", Title = "", CreatedAt = clock.GetUtcNow(), UpdatedAt = clock.GetUtcNow() };
        if (request.Slug is { } wanted)
        {
            if (await db.FeaturedLists.AnyAsync(l => l.Slug == wanted, ct))
                return Problems.Conflict($"The slug '{wanted}' is taken; choose another or leave slug out to have one generated.");
            list.Slug = wanted;
        }
        else
            list.Slug = await Slugs.Free(db.FeaturedLists.Select(l => l.Slug), Slugs.From(request.Title, $"list-{list.Id:N}"[..17]), ct);

        await Apply(list, request, db, ct);
        db.FeaturedLists.Add(list);
        await RetiredSlugs.Take(db, ResourceKinds.FeaturedList, list.Slug, ct);
        await Revise(db, list, http, "created", clock, ct);
        if (await ResourceWrites.Save(db, ct) is ConflictProblem conflict)
            return conflict;
        Preconditions.SetETag(http, list.Version);
        return TypedResults.Created(FeaturedListEndpoints.Path(list.Slug), await GetFeaturedList.Read(db, list, null, clock.GetUtcNow(), ct));
    }

    /// <summary>Replaces the list's fields: members left out are cleared (a left-out slug stays). Entries are not touched.</summary>
    public static Task<Results<Ok<FeaturedListResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, PreconditionFailedProblem, PreconditionRequiredProblem>> Replace(
        string slug, FeaturedListRequest request, NewsDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        Change(slug, _ => (request, null), db, clock, http, ct);

    public static Task<Results<Ok<FeaturedListResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, PreconditionFailedProblem, PreconditionRequiredProblem>> Patch(
        string slug, JsonObject patch, NewsDbContext db, TimeProvider clock, HttpContext http,
        IValidator<FeaturedListRequest> validator, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct) =>
        Change(slug, current => ResourceWrites.Merge(current, patch, json.Value.SerializerOptions), db, clock, http, ct, validator);

    /// <summary>
    /// Puts an earlier revision's fields and entries back, as a PUT and entry writes would: entries not in it are taken off
    /// from now, missing ones featured from now, changed ones reshaped (the list's history, ?at=, stays true). A section or
    /// articles deleted since, killed articles, and a slug taken by another list since do not come back.
    /// </summary>
    public static async Task<Results<Ok<FeaturedListResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, PreconditionFailedProblem, PreconditionRequiredProblem>> Restore(
        string slug, int number, NewsDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var (revision, missing) = await ResourceRevisionEndpoints.ToRestore(FeaturedListEndpoints.Revised, slug, number, db, ct);
        if (missing is not null)
            return missing;
        var request = ResourceRevisions.Read<FeaturedListRequest>(revision!.Snapshot);
        if (request.Slug is { } old && old != slug && await db.FeaturedLists.AnyAsync(l => l.Slug == old, ct))
            request = request with { Slug = null };
        if (request.Section is { } section && !await db.Sections.AnyAsync(s => s.Slug == section, ct))
            request = request with { Section = null };
        var wanted = ResourceRevisions.Read<List<FeaturedEntryState>>(revision.Snapshot["entries"]) ?? [];
        var ids = wanted.Select(e => e.Article).ToList();
        var usable = await db.Articles.Where(a => ids.Contains(a.Id) && a.Status != ArticleStatus.Killed).Select(a => a.Id).ToListAsync(ct);
        return await Change(slug, _ => (request, null), db, clock, http, ct, action: $"restored-{number}",
            entries: wanted.Where(e => usable.Contains(e.Article)).ToList());
    }

    /// <summary>Deletes the list with its entries and their history; the articles stay.</summary>
    public static async Task<Results<NoContent, NotFoundProblem, ConflictProblem, PreconditionFailedProblem, PreconditionRequiredProblem>> Delete(
        string slug, NewsDbContext db, HttpContext http, CancellationToken ct) =>
        await ResourceWrites.Delete(db, await db.FeaturedLists.FirstOrDefaultAsync(l => l.Slug == slug, ct),
            $"There is no featured list '{slug}'.", l => l.Version, http, ct,
            async list =>
            {
                await ResourceRevisionEndpoints.Deleting(FeaturedListEndpoints.Revised, db, list.Id, list.Slug, http, ct);
                return null;
            });

    static async Task<Results<Ok<FeaturedListResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, PreconditionFailedProblem, PreconditionRequiredProblem>> Change(
        string slug, Func<FeaturedListRequest, (FeaturedListRequest?, ValidationProblem?)> change, NewsDbContext db, TimeProvider clock, HttpContext http,
        CancellationToken ct, IValidator<FeaturedListRequest>? validator = null, string action = "updated", IReadOnlyList<FeaturedEntryState>? entries = null)
    {
        var list = await db.FeaturedLists.FirstOrDefaultAsync(l => l.Slug == slug, ct);
        if (list is null)
            return Problems.NotFound($"There is no featured list '{slug}'.");
        switch (Preconditions.IfMatch(http, list.Version).Problem)
        {
            case PreconditionRequiredProblem required: return required;
            case PreconditionFailedProblem failed: return failed;
        }
        var section = list.SectionId is { } sid ? await db.Sections.Where(s => s.Id == sid).Select(s => s.Slug).FirstAsync(ct) : null;
        var (request, invalid) = change(new FeaturedListRequest(list.Title, list.Slug, section, list.MaxItems));
        if (invalid is not null || request is null)
            return invalid ?? Problems.Invalid("body", "The merged featured list is not valid.");
        if (validator is not null && await ResourceWrites.Validate(validator, request, ct) is { } problem)
            return problem;
        if (request.Slug is { } wanted && wanted != list.Slug)
        {
            if (await db.FeaturedLists.AnyAsync(l => l.Slug == wanted, ct))
                return Problems.Conflict($"The slug '{wanted}' is taken by another featured list.");
            await RetiredSlugs.Move(db, ResourceKinds.FeaturedList, list.Id, list.Slug, wanted, clock.GetUtcNow(), ct);
            list.Slug = wanted;
        }

        await Apply(list, request, db, ct);
        if (entries is not null)
            await Feature(db, list, entries, clock.GetUtcNow(), ct);
        db.Touch(list, l => l.UpdatedAt, clock.GetUtcNow());
        await Revise(db, list, http, action, clock, ct);
        switch (await ResourceWrites.Save(db, ct))
        {
            case ConflictProblem conflict: return conflict;
            case PreconditionFailedProblem stale: return stale;
        }
        Preconditions.SetETag(http, list.Version);
        return TypedResults.Ok(await GetFeaturedList.Read(db, list, null, clock.GetUtcNow(), ct));
    }

    /// <summary>Copies the fields an editor may set, one by one; the slug is settled by the caller.</summary>
    static async Task Apply(FeaturedList list, FeaturedListRequest request, NewsDbContext db, CancellationToken ct)
    {
        list.Title = request.Title.Trim();
        list.MaxItems = request.MaxItems;
        list.SectionId = request.Section is null ? null : await db.Sections.Where(s => s.Slug == request.Section).Select(s => s.Id).FirstAsync(ct);
    }

    /// <summary>Makes the list's live entries these, from now.</summary>
    static async Task Feature(NewsDbContext db, FeaturedList list, IReadOnlyList<FeaturedEntryState> entries, DateTimeOffset now, CancellationToken ct)
    {
        var live = await db.FeaturedListEntries.Where(e => e.ListId == list.Id && e.RemovedAt == null).ToListAsync(ct);
        foreach (var gone in live.Where(e => entries.All(w => w.Article != e.ArticleId)))
            gone.RemovedAt = now;
        foreach (var wanted in entries)
        {
            var change = new FeaturedEntryChange(wanted.Position, wanted.Pinned, wanted.VisibleFrom, wanted.VisibleUntil);
            if (live.FirstOrDefault(e => e.ArticleId == wanted.Article) is { } entry)
                FeaturedListEntries.Reshape(db, entry, change, now);
            else
                db.FeaturedListEntries.Add(new FeaturedListEntry
                {
                    ListId = list.Id, ArticleId = wanted.Article, Position = wanted.Position, Pinned = wanted.Pinned, FeaturedAt = now,
                    VisibleFrom = wanted.VisibleFrom, VisibleUntil = wanted.VisibleUntil,
                });
        }
    }

    /// <summary>Stages the revision of a write to the list: its fields and its live entries, as they now stand in this context.</summary>
    internal static async Task Revise(NewsDbContext db, FeaturedList list, HttpContext http, string action, TimeProvider clock, CancellationToken ct) =>
        await ResourceRevisions.Record(db, ResourceKinds.FeaturedList, list.Id, http.User.Actor(), action,
            await ResourceSnapshots.FeaturedList(db, list, ct), clock.GetUtcNow(), ct);
}
