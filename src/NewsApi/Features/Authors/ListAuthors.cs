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
    public sealed record Query(string? Limit, string? Cursor) : IPagedQuery;

    const string ListName = "authors";

    public sealed class Validator(CursorSigner cursors) : PagedQueryValidator<Query>(cursors, ListName, "slug");

    public static async Task<Results<Ok<Page<AuthorResponse>>, ValidationProblem>> Handle(
        [AsParameters] Query query, NewsDbContext db, CursorSigner cursors, ClaimsPrincipal user, HttpContext http, CancellationToken ct)
    {
        var (page, invalid) = await KeysetPaging.ByUniqueText(db.Authors, nameof(Data.Entities.Author.Slug), query, ListName,
            "cursor points at an author who no longer exists; start again without it.",
            a => a, a => a.Id, a => AuthorResponse.Of(a, user), cursors, http, ct);
        return invalid is not null ? invalid : TypedResults.Ok(page!);
    }
}
