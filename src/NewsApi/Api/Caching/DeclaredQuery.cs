using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace NewsApi.Api.Caching;

/// <summary>
/// The query parameters each public read declares, as its handler's binding says (route values, [AsParameters]
/// records and [FromQuery] names, all through ApiExplorer, which is what OpenAPI shows too): one source, so a new
/// parameter needs no list kept by hand. Read once, on the first public read, when every endpoint is known.
/// </summary>
internal sealed class DeclaredQuery(IApiDescriptionGroupCollectionProvider explorer)
{
    readonly Lazy<Dictionary<PublicRead, string[]>> _byRead = new(() => Read(explorer));

    /// <summary>The declared names, lower-case and sorted; null for a route ApiExplorer does not describe.</summary>
    public string[]? Of(PublicRead read) => _byRead.Value.GetValueOrDefault(read);

    static Dictionary<PublicRead, string[]> Read(IApiDescriptionGroupCollectionProvider explorer)
    {
        var byRead = new Dictionary<PublicRead, string[]>(ReferenceEqualityComparer.Instance);
        foreach (var description in explorer.ApiDescriptionGroups.Items.SelectMany(g => g.Items))
        {
            if (description.ActionDescriptor.EndpointMetadata.OfType<PublicRead>().FirstOrDefault() is not { } read)
                continue;
            var names = description.ParameterDescriptions
                .Where(p => p.Source == BindingSource.Query)
                .Select(p => p.Name.ToLowerInvariant())
                .Concat(description.ActionDescriptor.EndpointMetadata.OfType<QueryDeclared>().SelectMany(q => q.Names));
            byRead[read] = [.. names.Concat(byRead.GetValueOrDefault(read) ?? []).Distinct().Order(StringComparer.Ordinal)];
        }
        return byRead;
    }
}
