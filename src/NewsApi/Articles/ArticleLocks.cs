using Npgsql;
using NewsApi.Data;

namespace NewsApi.Articles;

/// <summary>
/// Row locks on articles for the rest of the caller's transaction. Whoever renders or revises an article from what it
/// reads (the read model, the import) locks it first, so a concurrent change to the same article waits for this one
/// to commit and then reads what it left, instead of both writing from the same old state.
/// </summary>
internal static class ArticleLocks
{
    // Always in id order, so two transactions locking overlapping sets cannot deadlock.
    const string Sql = "SELECT id FROM articles WHERE id = ANY($1) ORDER BY id FOR UPDATE";

    public static async Task Lock(NewsDbContext db, IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
            return;
        await using var connection = await OpenConnection.Of(db, ct);
        await using var command = new NpgsqlCommand(Sql, connection.Value) { Parameters = { new() { Value = ids.ToArray() } } };
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
        }
    }
}
