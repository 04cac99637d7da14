using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace NewsApi.Api.OpenApi;

/// <summary>
/// Declares If-Match on every write that checks it (one that can answer 412): required where its absence is a 428
/// (edits and deletes, see Preconditions.IfMatch), optional elsewhere (workflow steps, restores). A generated client
/// then offers the header instead of leaving its authors to read the prose.
/// </summary>
internal sealed class IfMatchHeader : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.Responses is not { } responses || !responses.TryGetValue("412", out var stale))
            return;
        var required = responses.ContainsKey("428");
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = "If-Match",
            In = ParameterLocation.Header,
            Required = required,
            Description = required
                ? "The ETag from your last read of this resource (a public read's \"749.<hash>\" works too): without it 428, when someone changed it since 412."
                : "Optional: the ETag from your last read of this resource; when sent and someone changed it since, 412 and nothing changes. Without it (or with *), the step goes ahead.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 200 },
        });
        if (stale is OpenApiResponse response)
            response.Description = "The resource has changed since the ETag in If-Match was read: read it again and retry.";
    }
}
