using Npgsql;

namespace NewsApi.Benchmarks;

/// <summary>The few ways the benchmarks talk to their PostgreSQL directly, outside the service.</summary>
internal static class Db
{
    public static async Task<T> Scalar<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public static async Task<List<T>> Column<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<T>();
        while (await reader.ReadAsync())
            values.Add(reader.GetFieldValue<T>(0));
        return values;
    }

    public static async Task Sql(NpgsqlDataSource dataSource, string sql, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(ct);
    }
}
