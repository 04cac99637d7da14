using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using NewsApi.Api;
using NewsApi.Api.Caching;
using NewsApi.Api.OpenApi;
using NewsApi.Changes;

namespace NewsApi.Features.Related;

internal static class RelatedEndpoints
{
    static readonly Dictionary<string, ParameterDoc> Parameters = new()
    {
        ["limit"] = new($"How many stories, 1 to {GetRelated.MaxLimit}; default {GetRelated.DefaultLimit}.", () => new OpenApiSchema
        {
            Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = GetRelated.MaxLimit.ToString(CultureInfo.InvariantCulture),
            Default = JsonValue.Create(GetRelated.DefaultLimit),
        }),
    };

    public static RouteGroupBuilder MapRelated(this RouteGroupBuilder api)
    {
        // Suggestions come from every public article, its topics and tags: any article or topic change may move them.
        api.MapGet("/articles/{id:guid}/related", GetRelated.Handle).WithName("listRelatedArticles").WithScripts().WithTags("Articles")
            .WithResourceParameters().WithParameterDocs(Parameters).WithValidation()
            .PublicRead(route => [CacheTags.Article(Guid.Parse((string)route["id"]!)), CacheTags.ArticleLists, CacheTags.Topics])
            .Produces<Page<Reads.ArticleSummary>>()
            .WithSummary("List an article's related stories")
            .WithDescription("The related stories the editors chose (the article's related member), in their order, then suggestions: " +
                             "public articles sharing a topic page with it, sharing its tags, or like it in title and summary (by the " +
                             "search index), the closest first and, among equals, the freshest. Public articles only, never the article " +
                             "itself nor a killed, embargoed or unpublished one; no page follows (nextCursor is always null). The article " +
                             "itself must be public: 404 otherwise, 410 once killed.");
        return api;
    }
}
