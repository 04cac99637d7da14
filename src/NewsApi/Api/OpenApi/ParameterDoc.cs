using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace NewsApi.Api.OpenApi;

/// <summary>
/// What a route parameter means, for the OpenAPI document: its description, a schema where the binding type (often a
/// string) says less than the service accepts, and the longest value that can be valid.
/// </summary>
/// <param name="Description">Replaces a query parameter's description; a path parameter keeps its XML comment when it has one.</param>
/// <param name="Schema">Replaces the generated schema.</param>
/// <param name="Required">Marks a query parameter required.</param>
/// <param name="MaxLength">The longest valid string, where no other bound applies.</param>
/// <param name="Values">The only values a path segment may take; the generated schema is kept.</param>
internal sealed record ParameterDoc(
    string? Description, Func<OpenApiSchema>? Schema = null, bool Required = false, int? MaxLength = null, IReadOnlyList<string>? Values = null)
{
    public static ParameterDoc Time(string description) =>
        new(description, () => new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time", MaxLength = InputBounds.MaxTimeLength });

    public static ParameterDoc OneOf(string description, IEnumerable<string> values, string @default) => new(description, () => new OpenApiSchema
    {
        Type = JsonSchemaType.String,
        Enum = values.Select(v => (JsonNode)JsonValue.Create(v)!).ToList(),
        Default = JsonValue.Create(@default),
    });

    /// <summary>
    /// A comma-separated subset of known names: its pattern and the length of all of them together. No example: Swagger
    /// UI would prefill it, and a newcomer's first "Try it out" would come back trimmed.
    /// </summary>
    public static ParameterDoc CommaList(string description, IReadOnlyCollection<string> names)
    {
        var one = "(" + string.Join("|", names) + ")";
        return new(description, () => new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Pattern = $"^{one}(,{one})*$",
            MaxLength = names.Sum(n => n.Length + 1),
        });
    }
}

/// <summary>Route metadata: the parameters' docs, by name; the innermost wins (endpoint over group).</summary>
internal sealed class ParameterDocs(IReadOnlyDictionary<string, ParameterDoc> docs)
{
    public IReadOnlyDictionary<string, ParameterDoc> Docs => docs;
}

internal static class ParameterDocsEndpoints
{
    public static TBuilder WithParameterDocs<TBuilder>(this TBuilder builder, IReadOnlyDictionary<string, ParameterDoc> docs)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new ParameterDocs(docs));
}
