using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace NewsApi.Api.OpenApi;

/// <summary>Operations that need a key say so, with the scheme, and document the 401 and 403 they may answer.</summary>
internal sealed class KeyRequirements : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        var roles = metadata.OfType<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Select(a => a.Policy).OfType<string>().ToList();
        if (roles.Count == 0)
            return;
        operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(OpenApiSetup.BearerScheme, context.Document)] = [] }];
        var problem = context.SchemaGenerator.GenerateSchema(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), context.SchemaRepository);
        operation.Responses ??= [];
        operation.Responses["401"] = new OpenApiResponse
        {
            Description = "No key, or a key that is not valid or was revoked. WWW-Authenticate says which.",
            Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = problem } },
        };
        operation.Responses["403"] = new OpenApiResponse
        {
            Description = $"The key's role may not do this; it needs {string.Join(" or ", roles)}.",
            Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = problem } },
        };
        operation.Description = $"{operation.Description} Needs a key with role {roles[^1]}.".Trim();
    }
}
