namespace NewsApi.Api.OpenApi;

/// <summary>
/// Examples for the OpenAPI document, registered by whoever knows the content. The document reads them all together,
/// so a schema shared by several routes shows the same example everywhere.
/// </summary>
internal sealed class Examples
{
    /// <summary>Whole examples by the type of a request (or response) body.</summary>
    public IReadOnlyDictionary<Type, object> Bodies { get; init; } = new Dictionary<Type, object>();

    /// <summary>Values of members by "Schema.member", then by "member", for examples built from a schema.</summary>
    public IReadOnlyDictionary<string, object> Values { get; init; } = new Dictionary<string, object>();

    /// <summary>Values of strings by their format (date-time, date, uuid, uri).</summary>
    public IReadOnlyDictionary<string, string> Formats { get; init; } = new Dictionary<string, string>();

    /// <summary>A whole document as the body (feeds, sitemaps), by media type; "" for any other.</summary>
    public IReadOnlyDictionary<string, string> Documents { get; init; } = new Dictionary<string, string>();
}

internal static class ExamplesRegistration
{
    public static IServiceCollection AddExamples(this IServiceCollection services, Examples examples) =>
        services.AddSingleton(examples);
}
