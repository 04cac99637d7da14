using System.Text.Json.Nodes;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
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

namespace NewsApi.Features.Tags;

/// <summary>What an editor may write of a tag; ids and versions are the service's.</summary>
/// <param name="Name">Plain text, 1–100 characters, e.g. 烏鎮.</param>
/// <param name="Slug">Lowercase letters, digits and hyphens; generated from the name (pinyin for Chinese) when absent; kept when left out of a PUT.</param>
internal sealed record TagRequest(string Name, string? Slug = null);

internal sealed class TagRequestValidator : AbstractValidator<TagRequest>
{
    public TagRequestValidator()
    {
        RuleFor(t => t.Name).NotEmpty().MaximumLength(100).PlainText();
        RuleFor(t => t.Slug).SlugRules();
    }
}

internal static class WriteTag
{
    public static async Task<Results<Created<TagResponse>, ValidationProblem, ConflictProblem>> Create(
        TagRequest request, NewsDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var tag = new Tag { Slug = "", Name = request.Name.Trim() };
        if (request.Slug is { } wanted)
        {
            if (await db.Tags.AnyAsync(t => t.Slug == wanted, ct))
                return Problems.Conflict($"The slug '{wanted}' is taken; choose another or leave slug out to have one generated.");
            tag.Slug = wanted;
        }
        else
            tag.Slug = await Slugs.Free(db.Tags.Select(t => t.Slug), Slugs.From(request.Name, $"tag-{tag.Id:N}"[..16]), ct);

        db.Tags.Add(tag);
        await RetiredSlugs.Take(db, ResourceKinds.Tag, tag.Slug, ct);
        await ResourceRevisions.Record(db, ResourceKinds.Tag, tag.Id, http.User.Actor(), "created", ResourceSnapshots.Tag(tag), clock.GetUtcNow(), ct);
        if (await ResourceWrites.Save(db, ct) is ConflictProblem conflict)
            return conflict;
        Preconditions.SetETag(http, tag.Version);
        return TypedResults.Created(TagEndpoints.Path(tag.Slug), new TagResponse(tag.Slug, tag.Name));
    }

    public static Task<Results<Ok<TagResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, PreconditionFailedProblem, PreconditionRequiredProblem>> Replace(
        string slug, TagRequest request, NewsDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        Change(slug, _ => (request, null), db, clock, http, ct);

    public static Task<Results<Ok<TagResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, PreconditionFailedProblem, PreconditionRequiredProblem>> Patch(
        string slug, JsonObject patch, NewsDbContext db, TimeProvider clock, HttpContext http,
        IValidator<TagRequest> validator, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct) =>
        Change(slug, current => ResourceWrites.Merge(current, patch, json.Value.SerializerOptions), db, clock, http, ct, validator);

    /// <summary>Puts an earlier revision's name (and slug, when no other tag took it since) back, as a PUT would.</summary>
    public static async Task<Results<Ok<TagResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, PreconditionFailedProblem, PreconditionRequiredProblem>> Restore(
        string slug, int number, NewsDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var (revision, missing) = await ResourceRevisionEndpoints.ToRestore(TagEndpoints.Revised, slug, number, db, ct);
        if (missing is not null)
            return missing;
        var request = ResourceRevisions.Read<TagRequest>(revision!.Snapshot);
        if (request.Slug is { } old && old != slug && await db.Tags.AnyAsync(t => t.Slug == old, ct))
            request = request with { Slug = null };
        return await Change(slug, _ => (request, null), db, clock, http, ct, action: $"restored-{number}");
    }

    /// <summary>A tag in use is taken off its articles first, in the same transaction (a revision of each): a tag is a label, not content.</summary>
    public static async Task<Results<NoContent, NotFoundProblem, ConflictProblem, PreconditionFailedProblem, PreconditionRequiredProblem>> Delete(
        string slug, NewsDbContext db, ArticleWriter articles, HttpContext http, CancellationToken ct) =>
        await ResourceWrites.Delete(db, await db.Tags.FirstOrDefaultAsync(t => t.Slug == slug, ct),
            $"There is no tag '{slug}'.", t => t.Version, http, ct,
            async tag =>
            {
                await articles.Untag(tag.Id, http.User.Actor(), ct);
                await ResourceRevisionEndpoints.Deleting(TagEndpoints.Revised, db, tag.Id, tag.Slug, http, ct);
                return null;
            });

    static async Task<Results<Ok<TagResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, PreconditionFailedProblem, PreconditionRequiredProblem>> Change(
        string slug, Func<TagRequest, (TagRequest?, ValidationProblem?)> change, NewsDbContext db, TimeProvider clock, HttpContext http,
        CancellationToken ct, IValidator<TagRequest>? validator = null, string action = "updated")
    {
        var tag = await db.Tags.FirstOrDefaultAsync(t => t.Slug == slug, ct);
        if (tag is null)
            return Problems.NotFound($"There is no tag '{slug}'.");
        switch (Preconditions.IfMatch(http, tag.Version).Problem)
        {
            case PreconditionRequiredProblem required: return required;
            case PreconditionFailedProblem failed: return failed;
        }
        var (request, invalid) = change(new TagRequest(tag.Name, tag.Slug));
        if (invalid is not null || request is null)
            return invalid ?? Problems.Invalid("body", "The merged tag is not valid.");
        if (validator is not null && await ResourceWrites.Validate(validator, request, ct) is { } problem)
            return problem;
        if (request.Slug is { } wanted && wanted != tag.Slug)
        {
            if (await db.Tags.AnyAsync(t => t.Slug == wanted, ct))
                return Problems.Conflict($"The slug '{wanted}' is taken by another tag.");
            await RetiredSlugs.Move(db, ResourceKinds.Tag, tag.Id, tag.Slug, wanted, clock.GetUtcNow(), ct);
            tag.Slug = wanted;
        }
        tag.Name = request.Name.Trim();
        await ResourceRevisions.Record(db, ResourceKinds.Tag, tag.Id, http.User.Actor(), action, ResourceSnapshots.Tag(tag), clock.GetUtcNow(), ct);
        switch (await ResourceWrites.Save(db, ct))
        {
            case ConflictProblem conflict: return conflict;
            case PreconditionFailedProblem stale: return stale;
        }
        Preconditions.SetETag(http, tag.Version);
        return TypedResults.Ok(new TagResponse(tag.Slug, tag.Name));
    }
}
