using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;
using NewsApi.Reads;
using NewsApi.Api;
using NewsApi.Api.Caching;
using NewsApi.Site;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace NewsApi.Features.Articles.Representations;

/// <summary>
/// Content negotiation for the single-article reads, added around the handlers rather than inside them: the handler
/// finds the article (or not) as before, and this filter decides how it is written. Unacceptable Accept headers are
/// refused before the database is asked.
/// </summary>
internal static class ArticleRepresentations
{
    public static RouteHandlerBuilder WithArticleRepresentations(this RouteHandlerBuilder route) => route
        .AddEndpointFilter(Negotiate)
        .WithMetadata(new RepresentationsMetadata())
        .WithMetadata(new Negotiated(accept => ArticleNegotiation.Choose(accept)?.ToString()))
        .WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status406NotAcceptable, typeof(ProblemDetails), ["application/problem+json"]));

    public static IServiceCollection AddArticleRepresentations(this IServiceCollection services)
    {
        services.ConfigureSwaggerGen(o => o.OperationFilter<RepresentationDocs>());
        return services;
    }

    static async ValueTask<object?> Negotiate(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var http = invocation.HttpContext;
        // Caches must key on Accept, whatever the answer.
        http.Response.Headers.Append(HeaderNames.Vary, HeaderNames.Accept);
        if (ArticleNegotiation.Choose(http.Request.Headers.Accept) is not { } format)
            return new NotAcceptableProblem(ArticleNegotiation.Available);

        var result = await next(invocation);
        if (format == ArticleFormat.Json)
            return result;
        var inner = result is INestedHttpResult nested ? nested.Result : result;
        var json = http.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var article = inner switch
        {
            Ok<ArticleResponse> { Value: { } full } => full,
            RenderedJson.Document stored => stored.Read<ArticleResponse>(json),
            DocumentResult converted => System.Text.Json.JsonSerializer.Deserialize<ArticleResponse>(converted.Body, json),
            _ => null,
        };
        if (article is null)
            return result; // not found, redirects: the same in every representation
        var links = http.RequestServices.GetRequiredService<SiteLinks>();
        var document = format == ArticleFormat.JsonLd
            ? JsonLdMapper.Map(article, links)
            : NinjsMapper.Map(article, links, version2: format == ArticleFormat.Ninjs2);
        return new JsonDocumentResult(document, format.ContentType());
    }

    internal sealed class RepresentationsMetadata;

    sealed class JsonDocumentResult(JsonObject document, string contentType) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            var json = http.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
            return http.Response.WriteAsJsonAsync(document, json, contentType, http.RequestAborted);
        }
    }

    /// <summary>Names the other media types of a negotiated 200 in OpenAPI, next to the plain JSON the handler's type gives.</summary>
    internal sealed class RepresentationDocs : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            if (!context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<RepresentationsMetadata>().Any()
                || operation.Responses?.TryGetValue("200", out var ok) != true || ok!.Content is null)
                return;
            ok.Content[ArticleNegotiation.Ninjs] = new OpenApiMediaType
            {
                Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = $"The article as IPTC ninjs {NinjsMapper.Version3} (http://www.iptc.org/std/ninjs/ninjs-schema_{NinjsMapper.Version3}.json); " +
                                  $"with the parameter version=2, ninjs {NinjsMapper.Version2}.",
                },
            };
            ok.Content[ArticleNegotiation.JsonLd] = new OpenApiMediaType
            {
                Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "The article as a schema.org NewsArticle in JSON-LD; wordCount holds the CJK-aware character count.",
                },
            };
            operation.Description += " Other representations by Accept (q-values respected, Vary: Accept): application/ninjs+json " +
                                     "(IPTC ninjs 3.1; version=2 for 2.2) and application/ld+json (schema.org NewsArticle); " +
                                     "an Accept none of them satisfies is 406.";
        }
    }
}

/// <summary>406 as problem+json, naming the media types that would have been acceptable.</summary>
internal sealed class NotAcceptableProblem(IReadOnlyList<string> available) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => StatusCodes.Status406NotAcceptable;

    public Task ExecuteAsync(HttpContext http) => ProblemWriter.Write(http, new ProblemDetails
    {
        Type = ProblemTypes.NotAcceptable,
        Title = "Not acceptable",
        Status = StatusCodes.Status406NotAcceptable,
        Detail = $"This resource is available as {string.Join(", ", available)}; the Accept header allows none of them.",
        Extensions = { ["available"] = available },
    });
}
