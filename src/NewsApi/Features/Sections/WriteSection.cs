using System.Text.Json.Nodes;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsApi.Api;
using NewsApi.Api.Auth;
using NewsApi.Articles;
using NewsApi.Changes;
using NewsApi.Content;
using NewsApi.Features.Revisions;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Features.Sections;

/// <summary>What an editor may write of a section; ids, versions and times are the service's.</summary>
/// <param name="Name">Plain text, 1–100 characters, e.g. 國內.</param>
/// <param name="Slug">Lowercase letters, digits and hyphens; generated from the name (pinyin for Chinese) when absent; kept when left out of a PUT.</param>
/// <param name="Description">Plain text, up to 1,000 characters.</param>
/// <param name="Parent">Slug of the section above this one; absent for a top-level section.</param>
/// <param name="Position">Order among its siblings, 0–10,000 (lowest first); 0 when left out, a PUT included.</param>
internal sealed record SectionRequest(string Name, string? Slug = null, string? Description = null, string? Parent = null, int Position = 0);

internal sealed class SectionRequestValidator : AbstractValidator<SectionRequest>
{
    public SectionRequestValidator(NewsDbContext db)
    {
        RuleFor(s => s.Name).NotEmpty().MaximumLength(100).PlainText();
        RuleFor(s => s.Slug).SlugRules();
        RuleFor(s => s.Description).MaximumLength(1000).PlainText();
        // A parent that exists is a slug, so its length never adds a second message.
        RuleFor(s => s.Parent).Cascade(CascadeMode.Stop).MustAsync(async (slug, ct) => slug is null || await db.Sections.AnyAsync(s => s.Slug == slug, ct))
            .WithMessage(s => $"There is no section '{s.Parent}'.").MaximumLength(Slugs.MaxLength);
        RuleFor(s => s.Position).InclusiveBetween(0, 10_000);
    }
}

internal static class WriteSection
{
    public static async Task<Results<Created<SectionResponse>, ValidationProblem, ConflictProblem>> Create(
        SectionRequest request, NewsDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var section = new Section { Slug = "", Name = "", CreatedAt = clock.GetUtcNow(), UpdatedAt = clock.GetUtcNow() };
        if (request.Slug is { } wanted)
        {
            if (await db.Sections.AnyAsync(s => s.Slug == wanted, ct))
                return Problems.Conflict($"The slug '{wanted}' is taken; choose another or leave slug out to have one generated.");
            section.Slug = wanted;
        }
        else
            section.Slug = await Slugs.Free(db.Sections.Select(s => s.Slug), Slugs.From(request.Name, $"section-{section.Id:N}"[..20]), ct);

        await Apply(section, request, db, ct);
        db.Sections.Add(section);
        await RetiredSlugs.Take(db, ResourceKinds.Section, section.Slug, ct);
        await ResourceRevisions.Record(db, ResourceKinds.Section, section.Id, http.User.Actor(), "created", ResourceSnapshots.Section(section, request.Parent), clock.GetUtcNow(), ct);
        if (await ResourceWrites.Save(db, ct) is ConflictProblem conflict)
            return conflict;

        Preconditions.SetETag(http, section.Version);
        return TypedResults.Created(SectionEndpoints.Path(section.Slug), (await GetSections.Read(db, section.Slug, ct))!.Value.Section);
    }

    /// <summary>Replaces the section: members left out are cleared (a left-out slug stays).</summary>
    public static Task<Results<Ok<SectionResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, PreconditionFailedProblem, PreconditionRequiredProblem>> Replace(
        string slug, SectionRequest request, NewsDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        Change(slug, _ => (request, null), db, clock, http, ct);

    /// <summary>Changes only the members sent (JSON Merge Patch); the result is validated as a whole.</summary>
    public static Task<Results<Ok<SectionResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, PreconditionFailedProblem, PreconditionRequiredProblem>> Patch(
        string slug, JsonObject patch, NewsDbContext db, TimeProvider clock, HttpContext http,
        IValidator<SectionRequest> validator, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct) =>
        Change(slug, current => ResourceWrites.Merge(current, patch, json.Value.SerializerOptions), db, clock, http, ct, validator);

    /// <summary>
    /// Puts an earlier revision back, as a PUT would: a parent deleted since (or one that would now make a cycle) leaves
    /// the section where it is, and a slug taken by another section since is not taken back.
    /// </summary>
    public static async Task<Results<Ok<SectionResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, PreconditionFailedProblem, PreconditionRequiredProblem>> Restore(
        string slug, int number, NewsDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var (revision, missing) = await ResourceRevisionEndpoints.ToRestore(SectionEndpoints.Revised, slug, number, db, ct);
        if (missing is not null)
            return missing;
        var request = ResourceRevisions.Read<SectionRequest>(revision!.Snapshot);
        if (request.Slug is { } old && old != slug && await db.Sections.AnyAsync(s => s.Slug == old, ct))
            request = request with { Slug = null };
        if (request.Parent is { } parent && (await db.Sections.Where(s => s.Slug == parent).Select(s => (Guid?)s.Id).FirstOrDefaultAsync(ct) is not { } parentId
                                             || (await SectionTree.SelfAndDescendantIds(db, slug, ct))!.Contains(parentId)))
        {
            var current = await db.Sections.Where(s => s.Slug == slug).Select(s => s.ParentId).FirstAsync(ct);
            request = request with { Parent = await db.Sections.Where(s => s.Id == current).Select(s => s.Slug).FirstOrDefaultAsync(ct) };
        }
        return await Change(slug, _ => (request, null), db, clock, http, ct, action: $"restored-{number}");
    }

    /// <summary>
    /// Deletes an empty section. One that still holds articles or sub-sections is a 409 unless moveTo names the
    /// section to move them (and featured lists filled from it) to, in the same transaction.
    /// </summary>
    public static async Task<Results<NoContent, ValidationProblem, NotFoundProblem, ConflictProblem, PreconditionFailedProblem, PreconditionRequiredProblem>> Delete(
        string slug, [FromQuery] string? moveTo, NewsDbContext db, ArticleWriter articles, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var section = await db.Sections.FirstOrDefaultAsync(s => s.Slug == slug, ct);
        if (section is null)
            return Problems.NotFound($"There is no section '{slug}'.");
        switch (Preconditions.IfMatch(http, section.Version).Problem)
        {
            case PreconditionRequiredProblem required: return required;
            case PreconditionFailedProblem failed: return failed;
        }

        Section? target = null;
        if (moveTo is not null)
        {
            target = await db.Sections.AsNoTracking().FirstOrDefaultAsync(s => s.Slug == moveTo, ct);
            if (target is null)
                return Problems.Invalid("moveTo", $"There is no section '{moveTo}'.");
            if ((await SectionTree.SelfAndDescendantIds(db, slug, ct))!.Contains(target.Id))
                return Problems.Invalid("moveTo", "moveTo cannot be the section being deleted or one of its sub-sections.");
        }

        var held = await db.Articles.CountAsync(a => a.SectionId == section.Id, ct);
        var children = await db.Sections.CountAsync(s => s.ParentId == section.Id, ct);
        if (target is null && held + children > 0)
            return Problems.Conflict($"The section '{slug}' still holds {held} article(s) and {children} sub-section(s). " +
                                     "Move them first, or delete with ?moveTo={slug} to move them to another section.");

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (target is not null)
            await articles.Rehome(section.Id, target.Id, http.User.Actor(), ct);
        await Leave(db, section, target, http.User.Actor(), clock.GetUtcNow(), ct);
        await ResourceRevisionEndpoints.Deleting(SectionEndpoints.Revised, db, section.Id, section.Slug, http, ct);
        db.Sections.Remove(section);
        switch (await ResourceWrites.Save(db, ct))
        {
            case ConflictProblem conflict: return conflict;
            case PreconditionFailedProblem stale: return stale;
        }
        await transaction.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    static async Task<Results<Ok<SectionResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, PreconditionFailedProblem, PreconditionRequiredProblem>> Change(
        string slug, Func<SectionRequest, (SectionRequest?, ValidationProblem?)> change, NewsDbContext db, TimeProvider clock, HttpContext http,
        CancellationToken ct, IValidator<SectionRequest>? validator = null, string action = "updated")
    {
        var section = await db.Sections.FirstOrDefaultAsync(s => s.Slug == slug, ct);
        if (section is null)
            return Problems.NotFound($"There is no section '{slug}'.");
        switch (Preconditions.IfMatch(http, section.Version).Problem)
        {
            case PreconditionRequiredProblem required: return required;
            case PreconditionFailedProblem failed: return failed;
        }

        var parentSlug = section.ParentId is { } pid ? await db.Sections.Where(s => s.Id == pid).Select(s => s.Slug).FirstAsync(ct) : null;
        var (request, invalid) = change(new SectionRequest(section.Name, section.Slug, section.Description, parentSlug, section.Position));
        if (invalid is not null || request is null)
            return invalid ?? Problems.Invalid("body", "The merged section is not valid.");
        if (validator is not null && await ResourceWrites.Validate(validator, request, ct) is { } problem)
            return problem;

        if (request.Parent is { } parent && (await SectionTree.SelfAndDescendantIds(db, slug, ct))!
                .Contains(await db.Sections.Where(s => s.Slug == parent).Select(s => s.Id).FirstAsync(ct)))
            return Problems.Invalid("parent", "parent cannot be the section itself or one of its sub-sections: the tree would have a cycle.");
        if (request.Slug is { } wanted && wanted != section.Slug)
        {
            if (await db.Sections.AnyAsync(s => s.Slug == wanted, ct))
                return Problems.Conflict($"The slug '{wanted}' is taken by another section.");
            await RetiredSlugs.Move(db, ResourceKinds.Section, section.Id, section.Slug, wanted, clock.GetUtcNow(), ct);
            section.Slug = wanted;
        }

        await Apply(section, request, db, ct);
        await ResourceRevisions.Record(db, ResourceKinds.Section, section.Id, http.User.Actor(), action, ResourceSnapshots.Section(section, request.Parent), clock.GetUtcNow(), ct);
        section.UpdatedAt = clock.GetUtcNow();
        db.Entry(section).Property(s => s.UpdatedAt).IsModified = true;
        switch (await ResourceWrites.Save(db, ct))
        {
            case ConflictProblem conflict: return conflict;
            case PreconditionFailedProblem stale: return stale;
        }
        Preconditions.SetETag(http, section.Version);
        return TypedResults.Ok((await GetSections.Read(db, section.Slug, ct))!.Value.Section);
    }

    /// <summary>
    /// The sub-sections of a section being deleted move under <paramref name="target"/> (there are none without one),
    /// and the featured lists filled from it move there too or, with none, stop back-filling. Each changed as if an
    /// editor had changed it: a revision and an audit entry by the delete's actor (section-deleted), a new row version,
    /// so a write against the ETag read before is refused, and its event. Its articles are moved by
    /// <see cref="ArticleWriter.Rehome"/>, by the same rules.
    /// </summary>
    static async Task Leave(NewsDbContext db, Section section, Section? target, string actor, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var child in await db.Sections.Where(s => s.ParentId == section.Id).ToListAsync(ct))
        {
            child.ParentId = target!.Id;
            db.Touch(child, s => s.UpdatedAt, now);
            await ResourceRevisions.Record(db, ResourceKinds.Section, child.Id, actor, Deleted, ResourceSnapshots.Section(child, target.Slug), now, ct);
            ChangeAudit.Add(db, now, actor, Deleted, ChangeAudit.Address(ResourceKinds.Section, child.Slug));
        }
        foreach (var list in await db.FeaturedLists.Where(l => l.SectionId == section.Id).ToListAsync(ct))
        {
            list.SectionId = target?.Id;
            db.Touch(list, l => l.UpdatedAt, now);
            await ResourceRevisions.Record(db, ResourceKinds.FeaturedList, list.Id, actor, Deleted, await ResourceSnapshots.FeaturedList(db, list, ct), now, ct);
            ChangeAudit.Add(db, now, actor, Deleted, ChangeAudit.Address(ResourceKinds.FeaturedList, list.Slug));
        }
    }

    const string Deleted = ArticleWriter.SectionDeleted;

    /// <summary>Copies the fields an editor may set, one by one; the slug is settled by the caller.</summary>
    static async Task Apply(Section section, SectionRequest request, NewsDbContext db, CancellationToken ct)
    {
        section.Name = request.Name.Trim();
        section.Description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim();
        section.Position = request.Position;
        section.ParentId = request.Parent is null ? null : await db.Sections.Where(s => s.Slug == request.Parent).Select(s => s.Id).FirstAsync(ct);
    }
}
