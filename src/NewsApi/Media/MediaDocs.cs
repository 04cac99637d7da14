using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using NewsApi.Data.Entities;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace NewsApi.Media;

/// <summary>
/// The media routes' bodies are files, not bound records: the document says so (a binary string, as long as the
/// upload limit allows) and the upload's examples are written here.
/// </summary>
internal sealed class MediaDocs(IOptions<MediaOptions> options) : IOperationFilter
{
    public const string UploadOperationId = "uploadAsset";
    public const string RenditionOperationId = "getRendition";

    public static OpenApiSchema File(MediaOptions options) =>
        new() { Type = JsonSchemaType.String, Format = "binary", MaxLength = UploadLength(options) };

    /// <summary>A binary string's length is its bytes: Media:MaxUploadBytes, as far as a schema can say it.</summary>
    public static int UploadLength(MediaOptions options) => (int)Math.Min(options.MaxUploadBytes, int.MaxValue);

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.OperationId == RenditionOperationId)
            foreach (var media in operation.Responses?.GetValueOrDefault("200")?.Content?.Values ?? [])
            {
                // The picture's bytes: no JSON example can show them.
                media.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" };
                media.Example = null;
            }
        if (operation.OperationId != UploadOperationId || operation.RequestBody?.Content is not { } content)
            return;
        foreach (var (mediaType, media) in content)
            if (mediaType == "multipart/form-data")
                media.Example = new JsonObject { ["file"] = "(the photo, e.g. curl -F file=@wuzhen.jpg)" };
            else
            {
                // The raw body is the file itself, not the form.
                media.Schema = File(options.Value);
                media.Example = JsonValue.Create("(the photo's bytes, e.g. curl --data-binary @wuzhen.jpg)");
            }
    }
}

/// <summary>
/// Bounds of the media schemas. Renditions are the service's own (filled in from the asset on save), so they are
/// read-only; their bounds are those of the configured presets and formats.
/// </summary>
internal sealed class MediaSchemaBounds(IOptions<MediaOptions> options) : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema { Properties: { } properties })
            return;
        var settings = options.Value;
        OpenApiSchema? Member(string name) => properties.TryGetValue(name, out var member) ? member as OpenApiSchema : null;
        if (context.Type == typeof(UploadForm) && Member("file") is OpenApiSchema file)
            file.MaxLength = MediaDocs.UploadLength(settings);
        // An image block carries the same renditions as an Image (filled in on save).
        if ((context.Type == typeof(Image) || context.Type == typeof(Content.Block)) && Member("renditions") is OpenApiSchema renditions)
        {
            renditions.ReadOnly = true;
            renditions.MaxItems = settings.Presets.Count * Renditions.Formats.Count;
        }
        if (context.Type != typeof(RenditionLink))
            return;
        if (Member("preset") is OpenApiSchema preset)
            preset.MaxLength = MediaOptions.MaxPresetNameLength;
        if (Member("format") is OpenApiSchema format)
            format.Enum = Renditions.Formats.Select(f => (JsonNode)JsonValue.Create(f.Extension)!).ToList();
        if (Member("url") is OpenApiSchema url)
            url.MaxLength = RenditionLinks.MaxUrlLength;
        // A width preset never enlarges, so a width is at most a preset's; a narrow original keeps its own height,
        // which its pixel limit bounds.
        if (Member("width") is OpenApiSchema width)
            (width.Minimum, width.Maximum) = ("1", MediaOptions.MaxPresetSide.ToString(CultureInfo.InvariantCulture));
        if (Member("height") is OpenApiSchema height)
            (height.Minimum, height.Maximum) = ("1", Math.Max(MediaOptions.MaxPresetSide, Math.Min(settings.MaxPixels, int.MaxValue)).ToString(CultureInfo.InvariantCulture));
    }
}

/// <summary>The multipart form of an upload, for the document; the raw body is the file itself.</summary>
/// <param name="File">The photo.</param>
internal sealed record UploadForm(IFormFile File);
