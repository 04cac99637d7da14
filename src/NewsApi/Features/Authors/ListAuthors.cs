using System.Security.Claims;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Data;

namespace NewsApi.Features.Authors;

/// <summary>The index of authors, in slug order, by keyset: an author's page, or a byline's link, starts here.</summary>
internal static class ListAuthors
{
    public sealed record Query(string? Limit, string? Cursor)
    {
        public int LimitOrDefault => QueryValues.Limit(Limit);
    }

    const string ListName = "authors";

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator(CursorSigner cursors)
        {
            RuleFor(q => q.Limit).ValidLimit();
            RuleFor(q => q.Cursor).Must(c => Cursor.TryDecode(cursors, c, ListName, "slug", out _))
                .WithMessage("cursor is not one this list gave out; start again without it.");
        }
    }

    public static async Task<Results<Ok<Page<AuthorResponse>>, ValidationProblem>> Handle(
        [AsParameters] Query query, NewsDbContext db, CursorSigner cursors, ClaimsPrincipal user, HttpContext http, CancellationToken ct)
    {
        Cursor.TryDecode(cursors, query.Cursor, ListName, "slug", out var after);
        var authors = db.Authors.AsNoTracking();
        if (after is not null)
        {
            // Slugs are unique, so the slug alone is the keyset; the cursor carries the author's id in its place.
            var last = await db.Authors.AsNoTracking().Where(a => a.Id == after.Id).Select(a => a.Slug).FirstOrDefaultAsync(ct);
            if (last is null)
                return Problems.Invalid("cursor", "cursor points at an author who no longer exists; start again without it.");
#pragma warning disable CA1309 // SQL compares under the column's collation, as the ORDER BY sorts; EF translates only this overload.
            authors = authors.Where(a => string.Compare(a.Slug, last) > 0);
#pragma warning restore CA1309
        }
        var limit = query.LimitOrDefault;
        var rows = await authors.OrderBy(a => a.Slug).Take(limit + 1).ToListAsync(ct);
        var next = rows.Count > limit ? new Cursor("slug", null, null, rows[limit - 1].Id).Encode(cursors, ListName) : null;
        Paging.AddNextLink(http, next);
        return TypedResults.Ok(new Page<AuthorResponse>(rows.Take(limit).Select(a => AuthorResponse.Of(a, user)).ToList(), next));
    }
}
