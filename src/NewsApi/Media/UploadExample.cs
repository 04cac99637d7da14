using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace NewsApi.Media;

/// <summary>The upload's body is a file, not a bound record, so its examples are written here.</summary>
internal sealed class UploadExample : IOperationFilter
{
    public const string OperationId = "uploadAsset";

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.OperationId != OperationId || operation.RequestBody?.Content is not { } content)
            return;
        foreach (var (mediaType, media) in content)
            media.Example = mediaType == "multipart/form-data"
                ? new JsonObject { ["file"] = "(the photo, e.g. curl -F file=@wuzhen.jpg)" }
                : JsonValue.Create("(the photo's bytes, e.g. curl --data-binary @wuzhen.jpg)");
    }
}
