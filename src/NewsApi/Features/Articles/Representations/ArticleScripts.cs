using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;
using NewsApi.Api;
using NewsApi.Api.Caching;
using NewsApi.Content;
using NewsApi.Reads;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace NewsApi.Features.Articles.Representations;

/// <summary>
/// The single-article reads in Simplified or Traditional script, whichever the story was written in: <c>?script=</c>
/// (hans, hant, or hans-cn, hant-tw with the region's vocabulary) or, without it, Accept-Language (zh-Hans, zh-CN,
/// zh-SG / zh-Hant, zh-TW, zh-HK). The handler finds the article as before; this filter converts its text fields
/// (<see cref="ChineseConverter"/>), says so in Content-Language and the document's language, and lists the other
/// scripts' addresses under <c>alternates</c> (hreflang-ready). A stored answer keys on the script each request
/// negotiates, so the many Accept-Language strings that mean one script share one entry.
/// </summary>
internal static class ArticleScripts
{
    public const string Parameter = "script";

    // Members whose values are names, addresses, times or codes, never prose: left as they are.
    static readonly HashSet<string> Kept = new(StringComparer.Ordinal) { "id", "slug", "status", "language", "type", "format", "kind", "mimeType", "contentType", "provider" };

    public static RouteHandlerBuilder WithScripts(this RouteHandlerBuilder route) => route
        .AddEndpointFilter(Convert)
        .WithMetadata(new QueryDeclared(Parameter))
        .WithMetadata(new LanguageNegotiated(request => Negotiate(request)?.Name ?? "as-written"))
        .WithMetadata(new ScriptsMetadata());

    /// <summary>The script a request asks for: ?script= first, else Accept-Language; null for the story as written.</summary>
    static ChineseScript? Negotiate(HttpRequest request) =>
        request.Query.TryGetValue(Parameter, out var asked) ? ChineseScript.Named(asked[0]) : ChineseScript.FromAcceptLanguage(request.Headers.AcceptLanguage);

    static async ValueTask<object?> Convert(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var http = invocation.HttpContext;
        http.Response.Headers.Append(HeaderNames.Vary, HeaderNames.AcceptLanguage);
        if (http.Request.Query.TryGetValue(Parameter, out var asked) && (asked.Count != 1 || ChineseScript.Named(asked[0]) is null))
            return Problems.Invalid(Parameter, $"script must be one of {string.Join(", ", ChineseScript.All.Select(s => s.Name))}.");
        var script = Negotiate(http.Request);
        var result = await next(invocation);
        if (script is null)
            return result;
        var inner = result is INestedHttpResult nested ? nested.Result : result;
        var json = inner switch
        {
            RenderedJson.Document stored => stored.Json,
            Ok<ArticleResponse> { Value: { } full } => JsonSerializer.SerializeToUtf8Bytes(full,
                http.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions),
            _ => null,
        };
        if (json is null)
            return result; // not found, gone, redirects: the same in every script
        http.Response.Headers.ContentLanguage = script.Tag;
        return RenderedJson.Of(Converted(json, script, $"{http.Request.PathBase}{http.Request.Path}"));
    }

    /// <summary>An article document with its text in <paramref name="script"/>, its language set to the script's tag, and alternates added.</summary>
    internal static byte[] Converted(byte[] document, ChineseScript script, string path)
    {
        using var parsed = JsonDocument.Parse(document);
        var root = parsed.RootElement;
        var language = root.TryGetProperty("language", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString() : null;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(document.Length + 512);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            foreach (var member in root.EnumerateObject())
            {
                if (member.NameEquals("language"))
                {
                    writer.WriteString("language", script.Tag);
                    continue;
                }
                writer.WritePropertyName(member.Name);
                Write(writer, member.Value, member.Name, script, language);
            }
            writer.WriteStartArray("alternates");
            foreach (var (hreflang, query) in new[] { ("x-default", "") }.Concat(ChineseScript.All.Select(s => (s.Tag, $"?{Parameter}={s.Name}"))))
            {
                writer.WriteStartObject();
                writer.WriteString("hreflang", hreflang);
                writer.WriteString("href", path + query);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    static void Write(Utf8JsonWriter writer, JsonElement value, string name, ChineseScript script, string? language)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var member in value.EnumerateObject())
                {
                    writer.WritePropertyName(member.Name);
                    Write(writer, member.Value, member.Name, script, language);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                    Write(writer, item, name, script, language);
                writer.WriteEndArray();
                break;
            case JsonValueKind.String when !Kept.Contains(name) && !name.EndsWith("Url", StringComparison.Ordinal)
                                           && !name.EndsWith("At", StringComparison.Ordinal) && name is not ("url" or "href" or "src"):
                writer.WriteStringValue(ChineseConverter.Convert(value.GetString()!, script, language));
                break;
            default:
                value.WriteTo(writer);
                break;
        }
    }

    internal sealed class ScriptsMetadata;

    /// <summary>Documents the script parameter and Content-Language on the routes that convert.</summary>
    internal sealed class ScriptDocs : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            if (!context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<ScriptsMetadata>().Any())
                return;
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = Parameter, In = ParameterLocation.Query,
                Description = "The story's text in Simplified (hans) or Traditional (hant) script, converted with OpenCC's phrase " +
                              "dictionaries; hans-cn and hant-tw also use the mainland's or Taiwan's vocabulary (软件 / 軟體). " +
                              "Without it, Accept-Language decides: zh-Hans, zh-CN, zh-SG → hans; zh-Hant, zh-TW, zh-HK → hant; " +
                              "anything else, the story as written. A converted answer has Content-Language, its language member " +
                              "set to the script, and alternates (hreflang and href of each script).",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. ChineseScript.All.Select(s => (System.Text.Json.Nodes.JsonNode)s.Name)] },
            });
            if (operation.Responses?.TryGetValue("200", out var ok) == true && ok is OpenApiResponse response)
            {
                response.Headers ??= new Dictionary<string, IOpenApiHeader>();
                response.Headers["Content-Language"] = new OpenApiHeader
                {
                    Description = "The script the text was converted to (zh-Hans, zh-Hant, zh-Hans-CN, zh-Hant-TW); absent when as written.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                };
            }
        }
    }
}
