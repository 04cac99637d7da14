using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Api.OpenApi;
using NewsApi.Data;

namespace NewsApi.Features.PreviewLinks;

/// <param name="Id">The link's id, for revoking it.</param>
/// <param name="ArticleId">The article it shows.</param>
/// <param name="CreatedAt">When it was made.</param>
/// <param name="ExpiresAt">From this time it answers 410.</param>
/// <param name="RevokedAt">Set once revoked: from then it answers 410.</param>
/// <param name="CreatedBy">The name of the key that made it.</param>
internal sealed record PreviewLinkResponse(Guid Id, Guid ArticleId, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt, string CreatedBy);

internal static class ListPreviewLinks
{
    public sealed record Query(string? Limit, string? Cursor)
    {
        public int LimitOrDefault => QueryValues.Limit(Limit);
    }

    public static readonly IReadOnlyDictionary<string, ParameterDoc> Parameters = new Dictionary<string, ParameterDoc>
    {
        ["linkId"] = new("The id (a UUID) of the preview link, from the list or the answer that made it."),
    };

    const string Sort = "-createdAt";

    static string ListName(Guid article) => $"preview-links\n{article}";

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator() => RuleFor(q => q.Limit).ValidLimit();
    }

    public static async Task<Results<Ok<Page<PreviewLinkResponse>>, ValidationProblem, NotFoundProblem>> Handle(
        Guid id, [AsParameters] Query query, NewsDbContext db, CursorSigner cursors, HttpContext http, CancellationToken ct)
    {
        // Checked here, not by the validator: a cursor pages only the article it was given out for, which the route names.
        if (!Cursor.TryDecode(cursors, query.Cursor, ListName(id), Sort, out var after))
            return Problems.Invalid("cursor", "cursor is not one this list gave out; start again without it.");
        if (!await db.Articles.AnyAsync(a => a.Id == id, ct))
            return Problems.NotFound($"There is no article with id {id}.");
        var links = db.PreviewLinks.AsNoTracking().Where(l => l.ArticleId == id);
        if (after is not null)
            links = links.Where(l => EF.Functions.LessThan(ValueTuple.Create(l.CreatedAt, l.Id), ValueTuple.Create(after.At!.Value, after.Id)));
        var limit = query.LimitOrDefault;
        var rows = await links.OrderByDescending(l => l.CreatedAt).ThenByDescending(l => l.Id).Take(limit + 1)
            .Select(l => new PreviewLinkResponse(l.Id, l.ArticleId, l.CreatedAt, l.ExpiresAt, l.RevokedAt, l.CreatedBy)).ToListAsync(ct);
        var next = rows.Count > limit ? new Cursor(Sort, rows[limit - 1].CreatedAt, null, rows[limit - 1].Id).Encode(cursors, ListName(id)) : null;
        Paging.AddNextLink(http, next);
        return TypedResults.Ok(new Page<PreviewLinkResponse>(rows.Take(limit).ToList(), next));
    }
}
