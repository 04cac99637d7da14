using NewsApi.Api.OpenApi;
using NewsApi.Content;
using NewsApi.Demo;

namespace NewsApi.Features;

/// <summary>The path parameters every resource's routes share, for the OpenAPI document.</summary>
internal static class ResourceParameters
{
    public static readonly IReadOnlyDictionary<string, ParameterDoc> All = new Dictionary<string, ParameterDoc>
    {
        ["id"] = new("The id (a UUID) the resource was created with."),
        ["slug"] = new($"The slug from the resource's address, such as {DemoStory.SectionSlug} or {DemoStory.Slug}.", MaxLength: Slugs.MaxLookupLength),
    };

    public static TBuilder WithResourceParameters<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithParameterDocs(All);
}
