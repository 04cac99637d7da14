using System.Security.Claims;
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
using NewsApi.Features.Articles;

namespace NewsApi.Features.Authors;

/// <summary>What an editor may write of an author; ids and versions are the service's.</summary>
/// <param name="Name">Plain text, 1–100 characters, e.g. 張煜歡.</param>
/// <param name="Slug">Lowercase letters, digits and hyphens; generated from the name (pinyin for Chinese) when absent; kept when left out of a PUT.</param>
/// <param name="Bio">Plain text, up to 2,000 characters.</param>
/// <param name="Photo">Absolute http(s) address of the author's portrait.</param>
/// <param name="JobTitle">Plain text, up to 100 characters, e.g. 記者.</param>
/// <param name="Email">The newsroom's address for the author; shown to editors and admins only.</param>
/// <param name="SameAs">Absolute http(s) addresses of the author's pages elsewhere (profiles, social accounts), at most 10.</param>
internal sealed record AuthorRequest(
    string Name, string? Slug = null, string? Bio = null, string? Photo = null, string? JobTitle = null, string? Email = null,
    IReadOnlyList<string>? SameAs = null);

internal sealed class AuthorRequestValidator : AbstractValidator<AuthorRequest>
{
    public AuthorRequestValidator()
    {
        RuleFor(t => t.Name).NotEmpty().MaximumLength(100).PlainText();
        RuleFor(t => t.Slug).SlugRules();
        RuleFor(t => t.Bio).MaximumLength(2000).PlainText();
        RuleFor(t => t.Photo).Cascade(CascadeMode.Stop).MaximumLength(ImageValidator.MaxUrlLength)
            .Must(u => u is null || ImageValidator.IsWebUrl(u)).WithMessage("photo must be an absolute http(s) address.");
        RuleFor(t => t.JobTitle).MaximumLength(100).PlainText();
        RuleFor(t => t.Email).Cascade(CascadeMode.Stop).MaximumLength(MaxEmailLength).EmailAddress().SafeText();
        RuleFor(t => t.SameAs).MaxCount(MaxSameAs).WithMessage($"sameAs may hold at most {MaxSameAs} addresses.")
            .MaxItemLength(ImageValidator.MaxUrlLength);
        RuleForEach(t => t.SameAs).Must(ImageValidator.IsWebUrl).WithMessage("sameAs must hold absolute http(s) addresses.");
    }

    public const int MaxSameAs = 10;
    public const int MaxEmailLength = 254;
}

internal static class WriteAuthor
{
    public static async Task<Results<Created<AuthorResponse>, ValidationProblem, ConflictProblem>> Create(
        AuthorRequest request, NewsDbContext db, ClaimsPrincipal user, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var author = new Author { Slug = "", Name = request.Name.Trim() };
        Copy(author, request);
        if (request.Slug is { } wanted)
        {
            if (await db.Authors.AnyAsync(t => t.Slug == wanted, ct))
                return Problems.Conflict($"The slug '{wanted}' is taken; choose another or leave slug out to have one generated.");
            author.Slug = wanted;
        }
        else
            author.Slug = await Slugs.Free(db.Authors.Select(t => t.Slug), Slugs.From(request.Name, $"author-{author.Id:N}"[..19]), ct);

        db.Authors.Add(author);
        await RetiredSlugs.Take(db, ResourceKinds.Author, author.Slug, ct);
        await ResourceRevisions.Record(db, ResourceKinds.Author, author.Id, http.User.Actor(), "created", ResourceSnapshots.Author(author), clock.GetUtcNow(), ct);
        if (await ResourceWrites.Save(db, ct) is ConflictProblem conflict)
            return conflict;
        Preconditions.SetETag(http, author.Version);
        return TypedResults.Created(AuthorEndpoints.Path(author.Slug), AuthorResponse.Of(author, user));
    }

    public static Task<Results<Ok<AuthorResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, PreconditionFailedProblem, PreconditionRequiredProblem>> Replace(
        string slug, AuthorRequest request, NewsDbContext db, ClaimsPrincipal user, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        Change(slug, _ => (request, null), db, user, clock, http, ct);

    public static Task<Results<Ok<AuthorResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, PreconditionFailedProblem, PreconditionRequiredProblem>> Patch(
        string slug, JsonObject patch, NewsDbContext db, ClaimsPrincipal user, TimeProvider clock, HttpContext http,
        IValidator<AuthorRequest> validator, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct) =>
        Change(slug, current => ResourceWrites.Merge(current, patch, json.Value.SerializerOptions), db, user, clock, http, ct, validator);

    /// <summary>Puts an earlier revision's name and bio (and slug, when no other author took it since) back, as a PUT would.</summary>
    public static async Task<Results<Ok<AuthorResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, PreconditionFailedProblem, PreconditionRequiredProblem>> Restore(
        string slug, int number, NewsDbContext db, ClaimsPrincipal user, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var (revision, missing) = await ResourceRevisionEndpoints.ToRestore(AuthorEndpoints.Revised, slug, number, db, ct);
        if (missing is not null)
            return missing;
        var request = ResourceRevisions.Read<AuthorRequest>(revision!.Snapshot);
        if (request.Slug is { } old && old != slug && await db.Authors.AnyAsync(a => a.Slug == old, ct))
            request = request with { Slug = null };
        return await Change(slug, _ => (request, null), db, user, clock, http, ct, action: $"restored-{number}");
    }

    /// <summary>
    /// An author credited on articles is not deleted (409 saying how many): a byline is content, and taking a name
    /// off published stories should be an edit of those stories, with their revisions.
    /// </summary>
    public static async Task<Results<NoContent, NotFoundProblem, ConflictProblem, PreconditionFailedProblem, PreconditionRequiredProblem>> Delete(
        string slug, NewsDbContext db, HttpContext http, CancellationToken ct) =>
        await ResourceWrites.Delete(db, await db.Authors.FirstOrDefaultAsync(a => a.Slug == slug, ct),
            $"There is no author '{slug}'.", a => a.Version, http, ct,
            async author =>
            {
                if (await db.ArticleAuthors.CountAsync(x => x.AuthorId == author.Id, ct) is var credited and > 0)
                    return Problems.Conflict($"The author '{slug}' is credited on {credited} article(s); take them off those articles first.");
                await ResourceRevisionEndpoints.Deleting(AuthorEndpoints.Revised, db, author.Id, author.Slug, http, ct);
                return null;
            });

    static async Task<Results<Ok<AuthorResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, PreconditionFailedProblem, PreconditionRequiredProblem>> Change(
        string slug, Func<AuthorRequest, (AuthorRequest?, ValidationProblem?)> change, NewsDbContext db, ClaimsPrincipal user, TimeProvider clock, HttpContext http,
        CancellationToken ct, IValidator<AuthorRequest>? validator = null, string action = "updated")
    {
        var author = await db.Authors.FirstOrDefaultAsync(t => t.Slug == slug, ct);
        if (author is null)
            return Problems.NotFound($"There is no author '{slug}'.");
        switch (Preconditions.IfMatch(http, author.Version).Problem)
        {
            case PreconditionRequiredProblem required: return required;
            case PreconditionFailedProblem failed: return failed;
        }
        var (request, invalid) = change(new AuthorRequest(author.Name, author.Slug, author.Bio, author.Photo, author.JobTitle, author.Email, author.SameAs));
        if (invalid is not null || request is null)
            return invalid ?? Problems.Invalid("body", "The merged author is not valid.");
        if (validator is not null && await ResourceWrites.Validate(validator, request, ct) is { } problem)
            return problem;
        if (request.Slug is { } wanted && wanted != author.Slug)
        {
            if (await db.Authors.AnyAsync(t => t.Slug == wanted, ct))
                return Problems.Conflict($"The slug '{wanted}' is taken by another author.");
            await RetiredSlugs.Move(db, ResourceKinds.Author, author.Id, author.Slug, wanted, clock.GetUtcNow(), ct);
            author.Slug = wanted;
        }
        author.Name = request.Name.Trim();
        Copy(author, request);
        await ResourceRevisions.Record(db, ResourceKinds.Author, author.Id, http.User.Actor(), action, ResourceSnapshots.Author(author), clock.GetUtcNow(), ct);
        switch (await ResourceWrites.Save(db, ct))
        {
            case ConflictProblem conflict: return conflict;
            case PreconditionFailedProblem stale: return stale;
        }
        Preconditions.SetETag(http, author.Version);
        return TypedResults.Ok(AuthorResponse.Of(author, user));
    }

    /// <summary>Copies the request's members onto the author, field by field (the name and slug are the caller's).</summary>
    static void Copy(Author author, AuthorRequest request)
    {
        author.Bio = Blank(request.Bio);
        author.Photo = Blank(request.Photo);
        author.JobTitle = Blank(request.JobTitle);
        author.Email = Blank(request.Email);
        author.SameAs = request.SameAs?.Select(u => u.Trim()).Distinct().ToList() ?? [];
    }


    static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
