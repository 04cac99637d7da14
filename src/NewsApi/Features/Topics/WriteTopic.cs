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

namespace NewsApi.Features.Topics;

/// <summary>What an editor may write of a topic page; membership has its own endpoints, ids and times are the service's.</summary>
/// <param name="Title">Plain text, 1–300 characters, e.g. 2023年世界互聯網大會烏鎮峰會.</param>
/// <param name="Slug">Lowercase letters, digits and hyphens; generated from the title (pinyin for Chinese) when absent; kept when left out of a PUT.</param>
/// <param name="Description">Plain text, up to 4,000 characters.</param>
/// <param name="CoverImage">The image shown with the topic.</param>
/// <param name="Status">draft (the default for a new topic), published or archived; only published topics are public. Kept when left out of a PUT.</param>
internal sealed record TopicRequest(string Title, string? Slug = null, string? Description = null, Image? CoverImage = null, TopicStatus? Status = null);

internal sealed class TopicRequestValidator : AbstractValidator<TopicRequest>
{
    public TopicRequestValidator()
    {
        RuleFor(t => t.Title).NotEmpty().MaximumLength(300).PlainText();
        RuleFor(t => t.Slug).SlugRules();
        RuleFor(t => t.Description).MaximumLength(4000).PlainText();
        RuleFor(t => t.CoverImage).SetValidator(new ImageValidator()!).When(t => t.CoverImage is not null);
        RuleFor(t => t.Status).IsInEnum();
    }
}

internal static class WriteTopic
{
    public static async Task<Results<Created<TopicResponse>, ValidationProblem, ConflictProblem>> Create(
        TopicRequest request, NewsDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var topic = new Topic { Slug = "", Title = "", CreatedAt = clock.GetUtcNow(), UpdatedAt = clock.GetUtcNow() };
        if (request.Slug is { } wanted)
        {
            if (await db.Topics.AnyAsync(t => t.Slug == wanted, ct))
                return Problems.Conflict($"The slug '{wanted}' is taken; choose another or leave slug out to have one generated.");
            topic.Slug = wanted;
        }
        else
            topic.Slug = await Slugs.Free(db.Topics.Select(t => t.Slug), Slugs.From(request.Title, $"topic-{topic.Id:N}"[..18]), ct);

        Apply(topic, request);
        db.Topics.Add(topic);
        await RetiredSlugs.Take(db, ResourceKinds.Topic, topic.Slug, ct);
        await Revise(db, topic, http, "created", clock, ct);
        if (await ResourceWrites.Save(db, ct) is ConflictProblem conflict)
            return conflict;
        Preconditions.SetETag(http, topic.Version);
        return TypedResults.Created(TopicEndpoints.Path(topic.Slug), await GetTopic.Read(db, http.RequestServices.GetRequiredService<CursorSigner>(), topic, Paging.DefaultLimit, null, clock.GetUtcNow(), null, ct));
    }

    /// <summary>Replaces the topic's fields: members left out are cleared, except slug and status, which stay.</summary>
    public static Task<Results<Ok<TopicResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, PreconditionFailedProblem, PreconditionRequiredProblem>> Replace(
        string slug, TopicRequest request, NewsDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        Change(slug, _ => (request, null), db, clock, http, ct);

    public static Task<Results<Ok<TopicResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, PreconditionFailedProblem, PreconditionRequiredProblem>> Patch(
        string slug, JsonObject patch, NewsDbContext db, TimeProvider clock, HttpContext http,
        IValidator<TopicRequest> validator, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct) =>
        Change(slug, current => ResourceWrites.Merge(current, patch, json.Value.SerializerOptions), db, clock, http, ct, validator);

    /// <summary>
    /// Puts an earlier revision's fields and articles back, as a PUT and a PUT of the articles would; the status stays
    /// (publishing is its own decision), a slug taken by another topic since is not taken back, and articles deleted or
    /// killed since do not come back.
    /// </summary>
    public static async Task<Results<Ok<TopicResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, PreconditionFailedProblem, PreconditionRequiredProblem>> Restore(
        string slug, int number, NewsDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var (revision, missing) = await ResourceRevisionEndpoints.ToRestore(TopicEndpoints.Revised, slug, number, db, ct);
        if (missing is not null)
            return missing;
        var request = ResourceRevisions.Read<TopicRequest>(revision!.Snapshot) with { Status = null };
        if (request.Slug is { } old && old != slug && await db.Topics.AnyAsync(t => t.Slug == old, ct))
            request = request with { Slug = null };
        var wanted = ResourceRevisions.Read<List<Guid>>(revision.Snapshot["articles"]) ?? [];
        var usable = await db.Articles.Where(a => wanted.Contains(a.Id) && a.Status != ArticleStatus.Killed).Select(a => a.Id).ToListAsync(ct);
        return await Change(slug, _ => (request, null), db, clock, http, ct, action: $"restored-{number}",
            articles: wanted.Where(usable.Contains).ToList());
    }

    /// <summary>Deletes the topic page; its articles stay, they only leave the topic.</summary>
    public static async Task<Results<NoContent, NotFoundProblem, ConflictProblem, PreconditionFailedProblem, PreconditionRequiredProblem>> Delete(
        string slug, NewsDbContext db, HttpContext http, CancellationToken ct) =>
        await ResourceWrites.Delete(db, await db.Topics.FirstOrDefaultAsync(t => t.Slug == slug, ct),
            $"There is no topic '{slug}'.", t => t.Version, http, ct,
            async topic =>
            {
                await ResourceRevisionEndpoints.Deleting(TopicEndpoints.Revised, db, topic.Id, topic.Slug, http, ct);
                return null;
            });

    static async Task<Results<Ok<TopicResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, PreconditionFailedProblem, PreconditionRequiredProblem>> Change(
        string slug, Func<TopicRequest, (TopicRequest?, ValidationProblem?)> change, NewsDbContext db, TimeProvider clock, HttpContext http,
        CancellationToken ct, IValidator<TopicRequest>? validator = null, string action = "updated", IReadOnlyList<Guid>? articles = null)
    {
        var topic = await db.Topics.Include(t => t.Articles).FirstOrDefaultAsync(t => t.Slug == slug, ct);
        if (topic is null)
            return Problems.NotFound($"There is no topic '{slug}'.");
        switch (Preconditions.IfMatch(http, topic.Version).Problem)
        {
            case PreconditionRequiredProblem required: return required;
            case PreconditionFailedProblem failed: return failed;
        }
        var (request, invalid) = change(new TopicRequest(topic.Title, topic.Slug, topic.Description, topic.CoverImage, topic.Status));
        if (invalid is not null || request is null)
            return invalid ?? Problems.Invalid("body", "The merged topic is not valid.");
        if (validator is not null && await ResourceWrites.Validate(validator, request, ct) is { } problem)
            return problem;
        if (request.Slug is { } wanted && wanted != topic.Slug)
        {
            if (await db.Topics.AnyAsync(t => t.Slug == wanted, ct))
                return Problems.Conflict($"The slug '{wanted}' is taken by another topic.");
            await RetiredSlugs.Move(db, ResourceKinds.Topic, topic.Id, topic.Slug, wanted, clock.GetUtcNow(), ct);
            topic.Slug = wanted;
        }

        Apply(topic, request);
        if (articles is not null)
            TopicMembership.Renumber(topic, articles);
        db.Touch(topic, t => t.UpdatedAt, clock.GetUtcNow());
        await Revise(db, topic, http, action, clock, ct);
        switch (await ResourceWrites.Save(db, ct))
        {
            case ConflictProblem conflict: return conflict;
            case PreconditionFailedProblem stale: return stale;
        }
        Preconditions.SetETag(http, topic.Version);
        return TypedResults.Ok(await GetTopic.Read(db, http.RequestServices.GetRequiredService<CursorSigner>(), topic, Paging.DefaultLimit, null, clock.GetUtcNow(), null, ct));
    }

    /// <summary>Copies the fields an editor may set, one by one; the slug is settled by the caller.</summary>
    static void Apply(Topic topic, TopicRequest request)
    {
        topic.Title = request.Title.Trim();
        topic.Description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim();
        topic.CoverImage = request.CoverImage;
        topic.Status = request.Status ?? topic.Status;
    }

    /// <summary>Stages the revision of a write to the topic: its fields and its articles in order, as they now stand.</summary>
    internal static Task Revise(NewsDbContext db, Topic topic, HttpContext http, string action, TimeProvider clock, CancellationToken ct) =>
        ResourceRevisions.Record(db, ResourceKinds.Topic, topic.Id, http.User.Actor(), action, ResourceSnapshots.Topic(topic), clock.GetUtcNow(), ct);
}
