using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Features.Topics;

internal sealed record TopicSummary(string Slug, string Title, string? Description, Image? CoverImage, DateTimeOffset UpdatedAt);

internal static class ListTopics
{
    public sealed record Query(string? Limit, string? Cursor) : IPagedQuery;

    const string ListName = "topics";

    public sealed class Validator(CursorSigner cursors) : PagedQueryValidator<Query>(cursors, ListName, "-createdAt");

    public static async Task<Ok<Page<TopicSummary>>> Handle([AsParameters] Query query, NewsDbContext db, CursorSigner cursors, HttpContext http, CancellationToken ct)
    {
        Cursor.TryDecode(cursors, query.Cursor, ListName, "-createdAt", out var after);
        var topics = db.Topics.AsNoTracking().Where(t => t.Status == TopicStatus.Published);
        if (after is not null)
            topics = topics.Where(t => EF.Functions.LessThan(ValueTuple.Create(t.CreatedAt, t.Id), ValueTuple.Create(after.At!.Value, after.Id)));
        var limit = QueryValues.Limit(query.Limit);
        var rows = await topics.OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id).Take(limit + 1)
            .Select(t => new { t.Id, t.CreatedAt, Summary = new TopicSummary(t.Slug, t.Title, t.Description, t.CoverImage, t.UpdatedAt) })
            .ToListAsync(ct);
        return TypedResults.Ok(KeysetPaging.Finish(rows, limit, r => new Cursor("-createdAt", r.CreatedAt, null, r.Id), r => r.Summary, ListName, cursors, http));
    }
}
