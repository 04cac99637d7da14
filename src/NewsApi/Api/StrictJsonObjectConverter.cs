using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace NewsApi.Api;

/// <summary>
/// Reads a JSON object (a merge-patch document) refusing a member sent twice as a JSON error, like every other body.
/// The framework's JsonObject reader throws an ArgumentException from its dictionary instead, which answered 500.
/// </summary>
internal sealed class StrictJsonObjectConverter : JsonConverter<JsonObject>
{
    public override JsonObject Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.StartObject ? Object(ref reader) : throw new JsonException("A JSON object was expected.");

    public override void Write(Utf8JsonWriter writer, JsonObject value, JsonSerializerOptions options) => value.WriteTo(writer, options);

    static JsonObject Object(ref Utf8JsonReader reader)
    {
        var result = new JsonObject();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = Text(ref reader);
            reader.Read();
            if (!result.TryAdd(name, Value(ref reader)))
                throw new JsonException($"Duplicate member '{name}': a member may appear only once.");
        }
        return result;
    }

    static JsonNode? Value(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                return Object(ref reader);
            case JsonTokenType.StartArray:
                var array = new JsonArray();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    array.Add(Value(ref reader));
                return array;
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return JsonValue.Create(Text(ref reader));
            default:
                return JsonValue.Create(JsonElement.ParseValue(ref reader));
        }
    }

    // The reader says "invalid UTF-8" with an InvalidOperationException; to the client it is malformed JSON.
    static string Text(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            throw new JsonException("The text is not valid UTF-8.", e);
        }
    }
}
