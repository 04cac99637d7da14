using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace NewsApi.Api;

/// <summary>
/// 200 with a page whose items keep only the members named by <c>fields</c> (and <c>id</c>, so clients can
/// key their caches). OpenAPI still sees the full <see cref="Page{T}"/> schema: a sparse item is a subset of it.
/// </summary>
internal sealed class SparsePage<T>(Page<T> page, IReadOnlyList<string> fields) : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult
{
    public Page<T> Page => page;
    public int? StatusCode => StatusCodes.Status200OK;

    public async Task ExecuteAsync(HttpContext http)
    {
        var json = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        if (fields.Count == 0)
        {
            await http.Response.WriteAsJsonAsync(page, json);
            return;
        }
        var node = JsonSerializer.SerializeToNode(page, json)!.AsObject();
        foreach (var item in node["items"]!.AsArray())
        {
            var obj = item!.AsObject();
            foreach (var key in obj.Select(p => p.Key).ToList())
                if (key != "id" && !fields.Contains(key))
                    obj.Remove(key);
        }
        await http.Response.WriteAsJsonAsync(node, json);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(Page<T>), ["application/json"]));
}
