using Npgsql;

namespace NewsApi.Tests.Hostile;

/// <summary>
/// An md5 of every row of every table, per table, to tell whether a request changed anything stored. Left out: the
/// audit log, which records refused writes by design, and an API key's last use, which records that a key was used;
/// the sync log is compared by the things it names.
/// </summary>
internal sealed class StoredState(string connectionString)
{
    string? _sql;

    public async Task<Dictionary<string, string>> Take()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        _sql ??= await Build(connection);
        await using var command = new NpgsqlCommand(_sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var state = new Dictionary<string, string>();
        while (await reader.ReadAsync())
            state[reader.GetString(0)] = reader.GetString(1);
        return state;
    }

    static async Task<string> Build(NpgsqlConnection connection)
    {
        var tables = new List<string>();
        await using (var command = new NpgsqlCommand(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('__EFMigrationsHistory', 'audit_entries') ORDER BY 1", connection))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                tables.Add(reader.GetString(0));
        // Names come from pg_tables; quote_ident would change none of them (all lower-case snake_case).
        return string.Join(" UNION ALL ", tables.Select(t =>
        {
            // The sync log counts by what it names: a thing logged again reads the same to a sync client (it fetches
            // the same document), and background re-renders may log one again; a thing newly named is a change.
            var rows = t switch
            {
                "api_keys" => "(SELECT id, name, role, prefix, hash, created_at, revoked_at FROM api_keys)",
                "sync_changes" => "(SELECT DISTINCT type, id FROM sync_changes)",
                _ => t,
            };
            return $"SELECT '{t}', md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM {rows} x";
        }));
    }

    /// <summary>The tables whose rows differ between two states.</summary>
    public static List<string> Changed(Dictionary<string, string> before, Dictionary<string, string> after) =>
        before.Keys.Union(after.Keys).Where(t => before.GetValueOrDefault(t) != after.GetValueOrDefault(t)).Order().ToList();
}
