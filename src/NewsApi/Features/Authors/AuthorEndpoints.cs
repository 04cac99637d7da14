using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Data;

namespace NewsApi.Features.Authors;

public sealed record AuthorResponse(string Slug, string Name, string? Bio);

public static class AuthorEndpoints
{
    public static RouteGroupBuilder MapAuthors(this RouteGroupBuilder api)
    {
        api.MapGroup("/authors").WithTags("Authors")
            .MapGet("/{slug}", BySlug).WithName("getAuthor")
            .WithSummary("Get an author by slug")
            .WithDescription("The author's name and biography. Their articles are at /api/v1/articles?author={slug}.");
        return api;
    }

    public static async Task<Results<Ok<AuthorResponse>, NotFoundProblem>> BySlug(string slug, NewsDbContext db, CancellationToken ct)
    {
        var author = await db.Authors.AsNoTracking().Where(a => a.Slug == slug)
            .Select(a => new AuthorResponse(a.Slug, a.Name, a.Bio)).FirstOrDefaultAsync(ct);
        return author is null ? Problems.NotFound($"There is no author '{slug}'.") : TypedResults.Ok(author);
    }
}
