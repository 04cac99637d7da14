using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Api.Auth;
using NewsApi.Api.OpenApi;
using NewsApi.Data;

namespace NewsApi.Features.Audit;

/// <summary>One audit entry.</summary>
/// <param name="Id">Its number; entries are numbered in the order they were written.</param>
/// <param name="At">When the write was made.</param>
/// <param name="Actor">The API key's name, or scheduler for the changes the clock makes.</param>
/// <param name="Action">The operation (its OpenAPI operation id), or what the scheduler did (published, unpublished, embargo-ended, featured-window).</param>
/// <param name="Target">The path written to.</param>
/// <param name="Status">The HTTP status answered (200 for the scheduler's changes and an import's items).</param>
/// <param name="Outcome">succeeded, rejected, denied or failed.</param>
/// <param name="Detail">What the change came to where the status says too little, such as an import's counts; absent otherwise.</param>
internal sealed record AuditEntryResponse(long Id, DateTimeOffset At, string Actor, string Action, string Target, int Status, string Outcome, string? Detail);

internal static class AuditEndpoints
{
    const int MaxActorLength = 100; // an API key's name
    const int MaxTargetLength = 300; // an audited path

    static readonly Dictionary<string, ParameterDoc> Parameters = new()
    {
        ["actor"] = new("Only entries made with the key of this name.", MaxLength: MaxActorLength),
        ["target"] = new($"Only entries whose target path starts with this, e.g. {ApiRoutes.Prefix}/articles/{{id}}.", MaxLength: MaxTargetLength),
    };

    public static RouteGroupBuilder MapAudit(this RouteGroupBuilder api)
    {
        api.MapGroup("/audit").WithTags("Audit").RequireAuthorization(Policies.Admin).WithParameterDocs(Parameters)
            .MapGet("/", List).WithName("listAuditEntries").WithValidation()
            .WithSummary("Read the audit log")
            .WithDescription("Every write attempt, newest first: the key's name, the operation, its target, the time and the outcome " +
                             "(succeeded, rejected, denied or failed). The scheduler's changes have the actor scheduler; an import has one " +
                             "entry for the request (its counts in detail), one per article it created or updated, one per section, tag or author " +
                             "it created and one per topic it changed, at that resource's address " +
                             "(importArticles:created, importArticles:updated). A delete or kill that changes other resources has an entry " +
                             "at each one's address too (tag-deleted, section-deleted, article-killed, article-deleted). " +
                             "Filter by actor or by a target path prefix.");
        return api;
    }

    public sealed record Query(string? Actor, string? Target, string? Limit, string? Cursor)
    {
        public int LimitOrDefault => QueryValues.Limit(Limit);

        /// <summary>A cursor pages only the list of the filters it was given out with.</summary>
        public string ListName => $"audit\n{Actor}\n{Target}";
    }

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator(CursorSigner cursors)
        {
            RuleFor(q => q.Limit).ValidLimit();
            RuleFor(q => q.Cursor).Must((q, c) => NumberCursor.TryDecode(cursors, c, q.ListName, out _))
                .WithMessage("cursor is not one this list gave out; start again without it.");
            RuleFor(q => q.Actor).MaximumLength(MaxActorLength);
            RuleFor(q => q.Target).MaximumLength(MaxTargetLength);
        }
    }

    public static async Task<Ok<Page<AuditEntryResponse>>> List([AsParameters] Query query, NewsDbContext db, CursorSigner cursors, HttpContext http, CancellationToken ct)
    {
        var entries = db.AuditEntries.AsNoTracking();
        if (query.Actor is { } actor)
            entries = entries.Where(e => e.Actor == actor);
        if (query.Target is { } target)
            entries = entries.Where(e => e.Target.StartsWith(target));
        // Entries are appended in time order, so the id is a keyset of its own.
        NumberCursor.TryDecode(cursors, query.Cursor, query.ListName, out var before);
        if (before is not null)
            entries = entries.Where(e => e.Id < before);
        var limit = query.LimitOrDefault;
        var rows = await entries.OrderByDescending(e => e.Id).Take(limit + 1)
            .Select(e => new AuditEntryResponse(e.Id, e.At, e.Actor, e.Action, e.Target, e.Status, e.Outcome, e.Detail)).ToListAsync(ct);
        var next = rows.Count > limit ? NumberCursor.Encode(cursors, query.ListName, rows[limit - 1].Id) : null;
        Paging.AddNextLink(http, next);
        return TypedResults.Ok(new Page<AuditEntryResponse>(rows.Take(limit).ToList(), next));
    }
}
