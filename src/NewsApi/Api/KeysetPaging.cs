using System.Linq.Expressions;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace NewsApi.Api;

/// <summary>The query of a list paged by keyset: how many items, and where the last page ended.</summary>
internal interface IPagedQuery
{
    string? Limit { get; }
    string? Cursor { get; }
}

/// <summary>A paged list's query checks: the limit's bounds, and a cursor this list gave out in this sort.</summary>
internal abstract class PagedQueryValidator<T> : AbstractValidator<T> where T : IPagedQuery
{
    protected PagedQueryValidator(CursorSigner cursors, string list, string sort)
    {
        RuleFor(q => q.Limit).ValidLimit();
        RuleFor(q => q.Cursor).Must(c => Cursor.TryDecode(cursors, c, list, sort, out _))
            .WithMessage("cursor is not one this list gave out; start again without it.");
    }
}

/// <summary>
/// The paging every index of named things shares (authors, featured lists, API keys, tags, topics): limit + 1 rows
/// read, the cursor of the page's last row, the Link header, the page.
/// </summary>
internal static class KeysetPaging
{
    /// <summary>
    /// One page of a list in the order of a unique text column (a slug, a key's name), so the column alone is the
    /// keyset; the cursor carries the id of the page's last row in its place. A cursor whose row is gone since is a 400
    /// (<paramref name="gone"/>): where the next page starts is unknown.
    /// </summary>
    public static async Task<(Page<TItem>? Page, ValidationProblem? Invalid)> ByUniqueText<TEntity, TRow, TItem>(
        IQueryable<TEntity> all, string column, IPagedQuery query, string list, string gone,
        Expression<Func<TEntity, TRow>> select, Func<TRow, Guid> id, Func<TRow, TItem> item,
        CursorSigner cursors, HttpContext http, CancellationToken ct) where TEntity : class
    {
        var sort = column.ToLowerInvariant();
        Cursor.TryDecode(cursors, query.Cursor, list, sort, out var after);
        var rows = all.AsNoTracking();
        if (after is not null)
        {
            var last = await rows.Where(e => EF.Property<Guid>(e, "Id") == after.Id).Select(e => EF.Property<string>(e, column)).FirstOrDefaultAsync(ct);
            if (last is null)
                return (null, Problems.Invalid("cursor", gone));
#pragma warning disable CA1309 // SQL compares under the column's collation, as the ORDER BY sorts; EF translates only this overload.
            rows = rows.Where(e => string.Compare(EF.Property<string>(e, column), last) > 0);
#pragma warning restore CA1309
        }
        var limit = QueryValues.Limit(query.Limit);
        var read = await rows.OrderBy(e => EF.Property<string>(e, column)).Take(limit + 1).Select(select).ToListAsync(ct);
        return (Finish(read, limit, r => new Cursor(sort, null, null, id(r)), item, list, cursors, http), null);
    }

    /// <summary>The page of <paramref name="rows"/> read as <paramref name="limit"/> + 1, with the next page's cursor and Link header when there is more.</summary>
    public static Page<TItem> Finish<TRow, TItem>(List<TRow> rows, int limit, Func<TRow, Cursor> last, Func<TRow, TItem> item,
        string list, CursorSigner cursors, HttpContext http)
    {
        var next = rows.Count > limit ? last(rows[limit - 1]).Encode(cursors, list) : null;
        Paging.AddNextLink(http, next);
        return new Page<TItem>(rows.Take(limit).Select(item).ToList(), next);
    }
}
