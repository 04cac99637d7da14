using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace NewsApi.Api;

/// <summary>
/// A request example for every operation that takes a body, taken from the demo story, so "Try it out" in
/// Swagger UI starts from something that works. Examples are keyed by the body's type; a new request type
/// registers its example with <see cref="For{T}"/>.
/// </summary>
public sealed class OpenApiExamples : IOperationFilter
{
    static readonly Dictionary<Type, JsonNode> Examples = [];
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static void For<T>(object example) => Examples[typeof(T)] = JsonSerializer.SerializeToNode(example, Json)!;

    public static bool Has(Type type) => Examples.ContainsKey(type);

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var body = context.ApiDescription.ParameterDescriptions.FirstOrDefault(p => p.Source.Id == "Body")?.Type;
        if (body is null || operation.RequestBody?.Content is not { } content || !Examples.TryGetValue(body, out var example))
            return;
        foreach (var media in content.Values)
            media.Example = example.DeepClone();
    }
}
