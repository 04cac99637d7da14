using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace NewsApi.Api.OpenApi;

/// <summary>
/// An example for every operation, from the <see cref="OpenApi.Examples"/> registered, so "Try it out" in Swagger
/// UI starts from something that works and a frontend developer sees real content before calling anything.
/// Requests: keyed by the body's type. Responses: every 2xx with content gets one, built from its schema: members
/// take the values given by name, then by format; a response type with a whole example uses that instead.
/// </summary>
internal sealed class ExampleFilter(IEnumerable<Examples> registered) : IOperationFilter
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    sealed record Known(Dictionary<Type, JsonNode> Bodies, Dictionary<string, object> Values, Dictionary<string, string> Formats,
        Dictionary<string, string> Documents);

    Known? _known;

    /// <summary>Every registered set of examples, merged; read once, when the document is first generated.</summary>
    Known All()
    {
        if (_known is { } known)
            return known;
        var all = new Known([], [], [], []);
        foreach (var examples in registered)
        {
            foreach (var (type, body) in examples.Bodies)
                all.Bodies[type] = JsonSerializer.SerializeToNode(body, Json)!;
            foreach (var (key, value) in examples.Values)
                all.Values[key] = value;
            foreach (var (format, value) in examples.Formats)
                all.Formats[format] = value;
            foreach (var (mediaType, document) in examples.Documents)
                all.Documents[mediaType] = document;
        }
        return _known = all;
    }

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var known = All();
        var body = context.ApiDescription.ParameterDescriptions.FirstOrDefault(p => p.Source.Id == "Body")?.Type;
        if (body is not null && operation.RequestBody?.Content is { } content && known.Bodies.TryGetValue(body, out var example))
            foreach (var media in content.Values)
                media.Example = example.DeepClone();

        foreach (var (code, response) in operation.Responses ?? [])
        {
            if (!code.StartsWith('2') || response.Content is null)
                continue;
            var type = context.ApiDescription.SupportedResponseTypes.FirstOrDefault(r => r.StatusCode.ToString(CultureInfo.InvariantCulture) == code)?.Type;
            foreach (var (mediaType, media) in response.Content)
                media.Example ??= type is not null && known.Bodies.TryGetValue(type, out var registered)
                    ? registered.DeepClone()
                    : FromSchema(known, media.Schema, null, null, mediaType, context.SchemaRepository, depth: 0);
        }
    }

    static JsonNode? FromSchema(Known known, IOpenApiSchema? schema, string? owner, string? member, string mediaType, SchemaRepository repository, int depth)
    {
        if (member is not null && (owner is not null && known.Values.TryGetValue($"{owner}.{member}", out var value) || known.Values.TryGetValue(member, out value)))
            return JsonSerializer.SerializeToNode(value, Json);
        if (schema is OpenApiSchemaReference reference && reference.Reference.Id is { } id)
        {
            owner = id;
            schema = repository.Schemas.TryGetValue(id, out var target) ? target : null;
        }
        if (schema is null || depth > 6)
            return null;
        if (owner is not null && known.Bodies.FirstOrDefault(e => e.Key.Name == owner).Value is { } registered)
            return registered.DeepClone();
        if (schema.AllOf is { Count: > 0 } all)
            return FromSchema(known, all[0], owner, member, mediaType, repository, depth);
        if (schema.Enum is { Count: > 0 } values)
            return values[0]?.DeepClone();

        var type = schema.Type ?? 0;
        if (type.HasFlag(JsonSchemaType.Object) || schema.Properties is { Count: > 0 })
        {
            var result = new JsonObject();
            foreach (var (name, property) in schema.Properties ?? new Dictionary<string, IOpenApiSchema>())
                if (FromSchema(known, property, owner, name, mediaType, repository, depth + 1) is { } node)
                    result[name] = node;
            if (result.Count == 0 && schema.AdditionalProperties is { } additional && FromSchema(known, additional, owner, "database", mediaType, repository, depth + 1) is { } entry)
                result["database"] = entry; // a map: the health checks by name, the only one in the document
            return result;
        }
        if (type.HasFlag(JsonSchemaType.Array))
        {
            // A tree (sections) shows one level: an array of its own kind stays empty.
            var item = (schema.Items as OpenApiSchemaReference)?.Reference.Id != owner ? FromSchema(known, schema.Items, owner, member is null ? null : Singular(member), mediaType, repository, depth + 1) : null;
            return item is null ? new JsonArray() : new JsonArray(item);
        }
        if (type.HasFlag(JsonSchemaType.Integer) || type.HasFlag(JsonSchemaType.Number))
            return JsonValue.Create(int.TryParse(schema.Minimum, out var minimum) ? minimum : 1);
        if (type.HasFlag(JsonSchemaType.Boolean))
            return JsonValue.Create(false);
        if (type.HasFlag(JsonSchemaType.String))
            return JsonValue.Create(schema.Format is { } format && known.Formats.TryGetValue(format, out var formatted) ? formatted
                : member is null ? known.Documents.GetValueOrDefault(mediaType) ?? known.Documents.GetValueOrDefault("") ?? ""
                : "");
        return null;
    }

    static string Singular(string plural) => plural switch
    {
        "entries" => "entry", "children" => "child", "items" => "item", "checks" => "check",
        _ => plural.EndsWith('s') ? plural[..^1] : plural,
    };
}
