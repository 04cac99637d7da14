using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using NewsApi.Api;

namespace NewsApi.Media;

/// <summary>
/// A file the library will not take, naming the rule it broke (<c>rule</c>: file-type, svg, pixel-limit, unreadable,
/// empty, no-file) so an uploader's script can tell them apart. 415 for what the file is, 422 for what it holds.
/// </summary>
internal sealed class MediaRefusal(int status, string rule, string detail) : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    public const string Type = "urn:newsapi:problem:media-refused";

    public int? StatusCode => status;
    public string Rule => rule;
    public string Detail => detail;

    public static MediaRefusal FileType() => new(StatusCodes.Status415UnsupportedMediaType, "file-type",
        "The file is not an image this library takes: JPEG, PNG, WebP, AVIF or GIF, recognised by its bytes (not its name or Content-Type).");

    public static MediaRefusal Svg() => new(StatusCodes.Status415UnsupportedMediaType, "svg",
        "SVG is refused: it is a document that can carry script and links, not a picture. Upload a PNG or WebP export of it.");

    public static MediaRefusal PixelLimit(long pixels, long max) => new(StatusCodes.Status422UnprocessableEntity, "pixel-limit",
        $"The image declares {pixels} pixels; at most {max} are accepted (Media:MaxPixels).");

    public static MediaRefusal Unreadable() => new(StatusCodes.Status422UnprocessableEntity, "unreadable",
        "The file starts as an image but cannot be decoded: it is truncated or damaged.");

    public static MediaRefusal Empty() => new(StatusCodes.Status400BadRequest, "empty", "The upload holds no bytes.");

    public static MediaRefusal NoFile() => new(StatusCodes.Status400BadRequest, "no-file",
        "A multipart/form-data upload must carry the image as a file part (for example -F file=@photo.jpg).");

    public Task ExecuteAsync(HttpContext http) => ProblemWriter.Write(http, new ProblemDetails
    {
        Type = Type, Title = "The file was refused", Status = status, Detail = detail, Extensions = { ["rule"] = rule },
    });

    public static void PopulateMetadata(System.Reflection.MethodInfo method, EndpointBuilder builder)
    {
        foreach (var code in new[] { 400, 415, 422 })
            builder.Metadata.Add(new ProducesResponseTypeMetadata(code, typeof(ProblemDetails), ["application/problem+json"]));
    }
}
