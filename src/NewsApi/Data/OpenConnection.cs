using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace NewsApi.Data;

/// <summary>
/// The context's own connection, opened for work EF does not do (COPY, a batch of raw statements) and closed when
/// disposed. EF counts the opens, so a connection a transaction or an outer open holds stays open.
/// </summary>
internal sealed class OpenConnection : IAsyncDisposable
{
    readonly NewsDbContext _db;

    OpenConnection(NewsDbContext db) => _db = db;

    public NpgsqlConnection Value => (NpgsqlConnection)_db.Database.GetDbConnection();

    public static async Task<OpenConnection> Of(NewsDbContext db, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        return new OpenConnection(db);
    }

    public async ValueTask DisposeAsync() => await _db.Database.CloseConnectionAsync();
}
