using System.Linq.Expressions;

namespace NewsApi.Data;

internal static class RowVersion
{
    /// <summary>
    /// Updates the row even when the clock reads what it last wrote, so its xmin (the ETag) changes and a concurrent
    /// write made against the old ETag fails instead of being lost: a topic's membership or a list's entries changed.
    /// </summary>
    public static void Touch<T>(this NewsDbContext db, T row, Expression<Func<T, DateTimeOffset>> updatedAt, DateTimeOffset now) where T : class
    {
        var property = db.Entry(row).Property(updatedAt);
        property.CurrentValue = now;
        property.IsModified = true;
    }
}
