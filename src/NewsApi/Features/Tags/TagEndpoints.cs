using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Data;

namespace NewsApi.Features.Tags;

public sealed record TagResponse(string Slug, string Name);

public static class TagEndpoints
{
    public static RouteGroupBuilder MapTags(this RouteGroupBuilder api)
    {
        api.MapGroup("/tags").WithTags("Tags")
            .MapGet("/", List).WithName("listTags").WithValidation()
            .WithSummary("List tags")
            .WithDescription("All tags in slug order, paged with the opaque cursor from nextCursor. " +
                             "A tag's articles are at /api/v1/articles?tag={slug}.");
        return api;
    }

    public sealed record Query(string? Limit, string? Cursor)
    {
        public int LimitOrDefault => Limit is null ? Paging.DefaultLimit : int.Parse(Limit);
    }

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.Limit).Must(QueryValues.IsLimit).WithMessage($"limit must be a whole number from 1 to {Paging.MaxLimit}.");
            RuleFor(q => q.Cursor).Must(c => Cursor.TryDecode(c, "slug", out _))
                .WithMessage("cursor is not one this list gave out; start again without it.");
        }
    }

    public static async Task<Results<Ok<Page<TagResponse>>, ValidationProblem>> List(
        [AsParameters] Query query, NewsDbContext db, HttpContext http, CancellationToken ct)
    {
        Cursor.TryDecode(query.Cursor, "slug", out var after);
        var tags = db.Tags.AsNoTracking();
        if (after is not null)
        {
            // Tag slugs are unique, so the slug alone is the keyset; the cursor carries it in place of an id.
            var last = await db.Tags.AsNoTracking().Where(t => t.Id == after.Id).Select(t => t.Slug).FirstOrDefaultAsync(ct);
            if (last is null)
                return Problems.Invalid("cursor", "cursor points at a tag that no longer exists; start again without it.");
            tags = tags.Where(t => string.Compare(t.Slug, last) > 0);
        }
        var limit = query.LimitOrDefault;
        var rows = await tags.OrderBy(t => t.Slug).Take(limit + 1).Select(t => new { t.Id, t.Slug, t.Name }).ToListAsync(ct);
        var next = rows.Count > limit ? new Cursor("slug", null, null, rows[limit - 1].Id).Encode() : null;
        Paging.AddNextLink(http, next);
        return TypedResults.Ok(new Page<TagResponse>(rows.Take(limit).Select(t => new TagResponse(t.Slug, t.Name)).ToList(), next));
    }
}
