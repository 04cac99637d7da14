using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace NewsApi.Data;

/// <summary>
/// Inserts rows with PostgreSQL's COPY: for hundreds of rows many times cheaper than SaveChanges, which tracks,
/// snapshots and parameterises every value. Table, columns, conversions and store types come from the EF model, so a
/// property added to an entity is copied without a change here. COPY bypasses SaveChanges and so its interceptors:
/// the caller writes what they would have written.
/// </summary>
internal static class BulkCopy
{
    /// <summary>Copies the rows into their entity's table (binary COPY), in the context's connection and transaction.</summary>
    public static async Task Insert<T>(this NewsDbContext db, IReadOnlyCollection<T> rows, CancellationToken ct) where T : class
    {
        if (rows.Count == 0)
            return;
        var (type, table, name) = Table<T>(db);
        // What SaveChanges would insert: values the database generates (identity keys, xmin) or fills itself
        // (properties ignored before save, kept by triggers) are left to it.
        var columns = type.GetProperties().Where(p => p.ValueGenerated == ValueGenerated.Never && p.GetBeforeSaveBehavior() == PropertySaveBehavior.Save)
            .Select(p => (Property: p, Name: p.GetColumnName(table)!, Mapping: p.GetRelationalTypeMapping())).ToList();

        await using var connection = await OpenConnection.Of(db, ct);
        await using var copy = await connection.Value.BeginBinaryImportAsync(
            $"COPY {name} ({string.Join(", ", columns.Select(c => Quote(c.Name)))}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var row in rows)
        {
            await copy.StartRowAsync(ct);
            foreach (var (property, _, mapping) in columns)
            {
                var value = property.GetGetter().GetClrValue(row);
                if (value is not null && mapping.Converter is { } converter)
                    value = converter.ConvertToProvider(value);
                if (value is null)
                    await copy.WriteNullAsync(ct);
                else
                    await copy.WriteAsync(value, mapping.StoreType, ct);
            }
        }
        await copy.CompleteAsync(ct);
    }

    /// <summary>
    /// Copies rows given in PostgreSQL's text input form, one value a named property (null for NULL): for values
    /// cheaper to build as text and have PostgreSQL parse, such as tsvectors.
    /// </summary>
    public static async Task InsertText<T>(this NewsDbContext db, IReadOnlyList<string> properties, IEnumerable<string?[]> rows, CancellationToken ct)
        where T : class
    {
        var (type, table, name) = Table<T>(db);
        var columns = properties.Select(p => Quote(type.FindProperty(p)!.GetColumnName(table)!));

        await using var connection = await OpenConnection.Of(db, ct);
        await using var copy = await connection.Value.BeginTextImportAsync($"COPY {name} ({string.Join(", ", columns)}) FROM STDIN", ct);
        var line = new StringBuilder();
        foreach (var row in rows)
            await copy.WriteAsync(TextLine(line.Clear(), row), ct);
    }

    /// <summary>One row of COPY's text format into <paramref name="line"/>: tab-separated, \N for null, escaped, ending in a newline.</summary>
    internal static StringBuilder TextLine(StringBuilder line, IReadOnlyList<string?> row)
    {
        for (var i = 0; i < row.Count; i++)
        {
            if (i > 0)
                line.Append('\t');
            if (row[i] is not { } value)
                line.Append(@"\N");
            else
                foreach (var c in value)
                    if (c is '\\' or '\t' or '\n' or '\r')
                        line.Append('\\').Append(c switch { '\t' => 't', '\n' => 'n', '\r' => 'r', _ => c });
                    else
                        line.Append(c);
        }
        return line.Append('\n');
    }

    static (IEntityType Type, StoreObjectIdentifier Table, string Name) Table<T>(NewsDbContext db)
    {
        var type = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not an entity of the model.");
        var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
        return (type, table, table.Schema is null ? Quote(table.Name) : $"{Quote(table.Schema)}.{Quote(table.Name)}");
    }

    static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";
}
