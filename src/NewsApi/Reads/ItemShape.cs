using System.Text;
using System.Text.Json;

namespace NewsApi.Reads;

/// <summary>
/// Which members of a stored list item a read shows: the summary's own, the related resources <c>include</c> names,
/// the body only when <c>fields</c> names it, and, when <c>fields</c> is given, only what it names (and <c>id</c>).
/// Applied while the item's bytes are copied to the response, member by member, without parsing values. The body
/// members are stored apart, read only by a list that shows them, and written last, where the summary has them.
/// </summary>
internal sealed class ItemShape
{
    public const string Body = "body";
    public const string BodyHtml = "bodyHtml";

    static readonly string[] Related = ["section", "authors", "tags", "topics"];
    static readonly string[] BodyMembers = [Body, BodyHtml];

    /// <summary>A list item as a list shows it by default: no related resources, no body.</summary>
    public static readonly ItemShape Summary = new([], []);

    readonly byte[][] _hidden;
    readonly byte[][]? _only;

    /// <summary>Whether the read shows a body member, and so must read them.</summary>
    public bool Bodies { get; }

    public ItemShape(IReadOnlyCollection<string> fields, IReadOnlyCollection<string> include)
    {
        Bodies = Array.Exists(BodyMembers, fields.Contains);
        _hidden = Related.Where(r => !include.Contains(r)).Concat(BodyMembers.Where(b => !fields.Contains(b))).Select(Encoding.UTF8.GetBytes).ToArray();
        _only = fields.Count == 0 ? null : fields.Append("id").Select(Encoding.UTF8.GetBytes).ToArray();
    }

    /// <summary>Writes the members of <paramref name="item"/> and then of <paramref name="bodies"/> (JSON objects) this shape shows.</summary>
    public void Write(Utf8JsonWriter writer, ReadOnlySpan<byte> item, ReadOnlySpan<byte> bodies)
    {
        writer.WriteStartObject();
        Members(writer, item);
        if (!bodies.IsEmpty)
            Members(writer, bodies);
        writer.WriteEndObject();
    }

    void Members(Utf8JsonWriter writer, ReadOnlySpan<byte> item)
    {
        var reader = new Utf8JsonReader(item);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan;
            var shown = Shows(name);
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            if (!shown)
                continue;
            writer.WritePropertyName(name);
            writer.WriteRawValue(item[start..(int)reader.BytesConsumed], skipInputValidation: true);
        }
    }

    bool Shows(ReadOnlySpan<byte> name)
    {
        foreach (var hidden in _hidden)
            if (name.SequenceEqual(hidden))
                return false;
        if (_only is null)
            return true;
        foreach (var named in _only)
            if (name.SequenceEqual(named))
                return true;
        return false;
    }
}
