using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace NewsApi.Api.OpenApi;

/// <summary>
/// Every operation draws from a budget (Api/RateLimits) and may answer 429 with Retry-After and the IETF RateLimit
/// fields; answers only the caller sees (with a key, or to a write) carry the fields too, public reads never do.
/// </summary>
internal sealed class RateLimitResponses : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        operation.Responses ??= [];
        var schema = context.SchemaGenerator.GenerateSchema(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), context.SchemaRepository);
        operation.Responses["429"] = new OpenApiResponse
        {
            Description = "Too many requests: this caller's budget for this kind of request is used up (type urn:newsapi:problem:too-many-requests). " +
                          "Retry after the seconds in Retry-After. Never cached.",
            Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = schema } },
            Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["Retry-After"] = new OpenApiHeader
                {
                    Description = "Seconds until the budget comes back.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
                },
            },
        };
        foreach (var (code, response) in operation.Responses)
        {
            if (response is not OpenApiResponse concrete)
                continue;
            if (code.StartsWith('2') || code.StartsWith('4'))
            {
                concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
                var sent = code == "429" ? "Always sent on a 429." : "Sent on answers to a key and to writes; never on anonymous reads, whose answers caches share.";
                concrete.Headers["RateLimit"] = Header(
                    $"The budget drawn from, what is left of it and the seconds until it comes back: \"writes\";r=17;t=42. {sent}");
                concrete.Headers["RateLimit-Policy"] = Header(
                    $"The budget drawn from, its size and window in seconds: \"writes\";q=300;w=60 (budgets: reads, keyed-reads, search, writes, imports). {sent}");
            }
            if (concrete.Headers is not { Count: > 0 })
                continue;
            // CORS runs before everything else, so every answer carries it, refusals included; a response that lists headers names it too.
            concrete.Headers.TryAdd("Access-Control-Allow-Origin", Header("* when the request carries Origin — any origin may read from the browser (CORS); keys travel in Authorization, never cookies."));
        }
    }

    static OpenApiHeader Header(string description) =>
        new() { Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 200 } };
}
