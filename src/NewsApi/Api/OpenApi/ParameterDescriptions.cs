using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using NewsApi.Content;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace NewsApi.Api.OpenApi;

/// <summary>
/// Describes each path and query parameter from the <see cref="ParameterDocs"/> its route carries, plus the paging
/// parameters every list shares, with their bounds and formats.
/// </summary>
internal sealed class ParameterDescriptions : IOperationFilter
{
    /// <summary>A string parameter nothing else bounds: a slug in an address or a filter, no longer than the widest slug column.</summary>
    const int UnlistedMaxLength = Slugs.MaxLookupLength;

    static readonly Dictionary<string, ParameterDoc> Paging = new()
    {
        ["limit"] = new($"How many items a page holds, 1 to {Api.Paging.MaxLimit}; default {Api.Paging.DefaultLimit}.", () => new OpenApiSchema
        {
            Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = Api.Paging.MaxLimit.ToString(CultureInfo.InvariantCulture),
            Default = JsonValue.Create(Api.Paging.DefaultLimit),
        }),
        // An encoded keyset position is about 150 characters.
        ["cursor"] = new("Opaque cursor from the previous page's nextCursor (or its Link: rel=\"next\"); omit it for the first page.", MaxLength: 300),
    };

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var docs = new Dictionary<string, ParameterDoc>(Paging);
        foreach (var metadata in context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<ParameterDocs>())
            foreach (var (name, doc) in metadata.Docs)
                docs[name] = doc;
        foreach (var p in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (p.Name is null || p.In is not (ParameterLocation.Path or ParameterLocation.Query))
                continue;
            // Query records use C# names; the wire (and binding, which ignores case) uses camelCase.
            if (p.In == ParameterLocation.Query)
                p.Name = JsonNamingPolicy.CamelCase.ConvertName(p.Name);
            var doc = docs.GetValueOrDefault(p.Name);
            if (doc is not null && p.In == ParameterLocation.Path)
                p.Description ??= doc.Description;
            else if (doc is not null)
            {
                if (doc.Description is not null)
                    p.Description = doc.Description;
                if (doc.Schema is not null)
                    p.Schema = doc.Schema();
                if (doc.Required)
                    p.Required = true;
            }
            Bound(p, doc);
        }
    }

    /// <summary>The longest a valid value can be; anything longer answers 400 or 404, so clients may check first.</summary>
    static void Bound(OpenApiParameter p, ParameterDoc? doc)
    {
        if (p.Schema is not OpenApiSchema schema)
            return;
        if (schema.Type?.HasFlag(JsonSchemaType.String) == true && schema.Enum is null)
            schema.MaxLength ??= doc?.MaxLength ?? UnlistedMaxLength;
        if (schema.Type?.HasFlag(JsonSchemaType.Integer) == true)
        {
            schema.Minimum ??= "1";
            schema.Maximum ??= int.MaxValue.ToString(CultureInfo.InvariantCulture);
        }
        if (p.In == ParameterLocation.Path && doc?.Values is { } values)
            schema.Enum = values.Select(v => (JsonNode)JsonValue.Create(v)!).ToList();
    }
}
