using Microsoft.OpenApi;
using NewsApi.Api.Caching;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace NewsApi.Api.OpenApi;

/// <summary>
/// Public reads (routes marked PublicRead) answer with the caching headers of HttpCaching and may answer 304; saying so lets CDN
/// and client authors rely on them.
/// </summary>
internal sealed class CachingHeaders : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (!context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<PublicRead>().Any()
            || operation.Responses?.GetValueOrDefault("200") is not OpenApiResponse ok)
            return;
        ok.Headers ??= new Dictionary<string, IOpenApiHeader>();
        ok.Headers["ETag"] = Header("Strong validator of these exact bytes; for resources with a row version it starts with it (\"749.<hash>\") and also serves as If-Match for writes.");
        ok.Headers["Cache-Control"] = Header("Anonymous: public, max-age and stale-while-revalidate that never reach past the next scheduled change (publish, unpublish, embargo end, featured window). With a key: private, no-store.");
        ok.Headers["Last-Modified"] = Header("When this representation was generated; If-Modified-Since compares against it.");
        ok.Headers["Vary"] = Header("Accept, Authorization, Accept-Encoding.");
        ok.Headers["Access-Control-Allow-Origin"] = Header("* — any origin may read from the browser (CORS); keys travel in Authorization, never cookies.");
        operation.Responses["304"] = new OpenApiResponse
        {
            Description = "Not modified: If-None-Match named the current ETag (or If-Modified-Since is not older than Last-Modified). No body.",
        };
    }

    static OpenApiHeader Header(string description) =>
        new() { Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 200 } };
}
