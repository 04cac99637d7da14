using System.Text.Json;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace NewsApi.Api.OpenApi;

/// <summary>
/// A member whose record parameter has a default may be left out: the document says so (not required, with its
/// default), as the service has always read it. Without this every non-nullable number was marked required.
/// </summary>
internal sealed class ConstructorDefaults : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema { Properties.Count: > 0 } s
            || context.Type.GetConstructors().MaxBy(c => c.GetParameters().Length) is not { } constructor)
            return;
        foreach (var parameter in constructor.GetParameters().Where(p => p.HasDefaultValue && p.Name is not null))
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(parameter.Name!);
            s.Required?.Remove(name);
            if (parameter.DefaultValue is not null && s.Properties.TryGetValue(name, out var member) && member is OpenApiSchema property)
                property.Default = JsonSerializer.SerializeToNode(parameter.DefaultValue);
        }
    }
}
