using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NewsApi.Data;

internal static class JsonColumn
{
    static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    // For values kept by the million whose members are mostly null (revision snapshots): a null member is left out,
    // which reads back the same, since every nullable member defaults to null.
    static readonly JsonSerializerOptions Compact = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// Stores a value object as jsonb through System.Text.Json. Body blocks, datelines and images are
    /// always read and written whole, so a serialised column is simpler than an owned-entity mapping,
    /// and comparing by serialised form makes EF notice changes inside lists.
    /// </summary>
    public static PropertyBuilder<T> HasJsonConversion<T>(this PropertyBuilder<T> property, bool omitNulls = false)
    {
        var options = omitNulls ? Compact : Options;
        property.HasConversion(
            v => JsonSerializer.Serialize(v, options),
            v => JsonSerializer.Deserialize<T>(v, options)!,
            new ValueComparer<T>(
                (a, b) => JsonSerializer.Serialize(a, options) == JsonSerializer.Serialize(b, options),
                v => JsonSerializer.Serialize(v, options).GetHashCode(),
                v => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(v, options), options)!));
        return property.HasColumnType("jsonb");
    }

    /// <summary>A value stored by <see cref="HasJsonConversion{T}"/>, read from its text outside EF.</summary>
    public static T? Read<T>(string? json) where T : class => json is null ? null : JsonSerializer.Deserialize<T>(json, Options);
}
