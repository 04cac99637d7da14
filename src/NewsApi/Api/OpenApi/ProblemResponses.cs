using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace NewsApi.Api.OpenApi;

/// <summary>
/// Problem responses are served as application/problem+json; the typed results only know application/json.
/// Every operation may also answer 500 with a problem, and 503 while the database cannot be reached (Api/DatabaseOutage).
/// </summary>
internal sealed class ProblemResponses : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        operation.Responses ??= [];
        foreach (var (code, response) in operation.Responses)
        {
            if (!code.StartsWith('4') && !code.StartsWith('5') || response.Content is null)
                continue;
            if (response.Content.Remove("application/json", out var media))
                response.Content["application/problem+json"] = media;
            if (code == "503")
                response.Description = "Busy: too many requests are waiting their turn. Retry after the seconds in Retry-After.";
        }
        var schema = context.SchemaGenerator.GenerateSchema(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), context.SchemaRepository);
        if (!operation.Responses.ContainsKey("500"))
        {
            operation.Responses["500"] = new OpenApiResponse
            {
                Description = "Something failed on the server; the problem carries no internal detail.",
                Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = schema } },
            };
        }
        const string unavailable = "The database cannot be reached (type urn:newsapi:problem:unavailable); retry after the seconds in Retry-After.";
        // One 503 for every operation: an operation's own (search when busy) keeps its words and gains the outage's.
        if (!operation.Responses.TryGetValue("503", out var declared))
            operation.Responses["503"] = declared = new OpenApiResponse
            {
                Description = unavailable,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = schema } },
            };
        else
            declared.Description = $"{declared.Description} Also: {unavailable}";
        if (declared is OpenApiResponse outage)
        {
            outage.Headers ??= new Dictionary<string, IOpenApiHeader>();
            outage.Headers.TryAdd("Retry-After", new OpenApiHeader
            {
                Description = "Seconds to wait before trying again (Database:RetryAfter for an outage; 1 when search is busy).",
                Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
            });
        }
    }
}
