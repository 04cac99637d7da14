using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;
using NewsApi.Api.Caching;
using NewsApi.Content;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace NewsApi.Api;

/// <summary>
/// Public JSON reads in Simplified or Traditional script, whichever the text was written in: <c>?script=</c> (hans,
/// hant, or hans-cn, hant-tw with the region's vocabulary) or, without it, Accept-Language (zh-Hans, zh-CN, zh-SG /
/// zh-Hant, zh-TW, zh-HK). The one place any read converts: the handler answers as before, this filter writes that
/// answer once and converts the JSON (<see cref="ScriptedJson"/>), so an article, a page of them, a topic, a featured
/// list, the sections, tags and authors all read the same story in the same script. Content-Language names it. A
/// stored answer keys on the script each request negotiates, so the many Accept-Language strings that mean one
/// script share one entry.
/// </summary>
internal static class Scripts
{
    public const string Parameter = "script";

    public static RouteHandlerBuilder WithScripts(this RouteHandlerBuilder route) => route
        .AddEndpointFilter(Convert)
        .WithMetadata(new QueryDeclared(Parameter))
        .WithMetadata(new LanguageNegotiated(request => Negotiate(request)?.Name ?? "as-written"))
        .WithMetadata(new ScriptsMetadata());

    /// <summary>The script a request asks for: ?script= first, else Accept-Language; null for the text as written.</summary>
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
        if (script is null || result is null)
            return result;
        var inner = result is INestedHttpResult nested ? nested.Result : result;
        if (inner is IResult and not IStatusCodeHttpResult { StatusCode: StatusCodes.Status200OK })
            return result; // not found, gone, redirects, problems: the same in every script
        var (body, contentType) = result is IResult answer ? await Written(http, answer) : (Plain(http, result), RenderedType);
        if (!contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            return new DocumentResult(body, contentType); // another representation: as it was written
        http.Response.Headers.ContentLanguage = script.Tag;
        return new DocumentResult(ScriptedJson.Convert(body, script, Alternates(http.Request)), RenderedType);
    }

    const string RenderedType = "application/json; charset=utf-8";

    /// <summary>This answer's address as written (x-default) and in each script, with the rest of its query kept.</summary>
    static IEnumerable<(string, string)> Alternates(HttpRequest request)
    {
        var path = $"{request.PathBase}{request.Path}";
        var query = QueryString.Create(request.Query.Where(q => q.Key != Parameter)
            .SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v))));
        return [("x-default", path + query), .. ChineseScript.All.Select(s => (s.Tag, path + query.Add(Parameter, s.Name)))];
    }

    /// <summary>Runs the handler's result into a buffer: whatever writes it (a stored document, a record, a page), the bytes are what it would have sent.</summary>
    static async Task<(byte[], string)> Written(HttpContext http, IResult answer)
    {
        var body = http.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        using var buffer = new MemoryStream();
        var capture = new StreamResponseBodyFeature(buffer, body);
        http.Features.Set<IHttpResponseBodyFeature>(capture);
        try
        {
            await answer.ExecuteAsync(http);
            await capture.CompleteAsync();
        }
        finally
        {
            http.Features.Set(body);
        }
        http.Response.ContentLength = null;
        return (buffer.ToArray(), http.Response.ContentType ?? "application/octet-stream");
    }

    static byte[] Plain(HttpContext http, object value) => JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(),
        http.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions);

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
                Description = "The text in Simplified (hans) or Traditional (hant) script, converted with OpenCC's phrase " +
                              "dictionaries; hans-cn and hant-tw also use the mainland's or Taiwan's vocabulary (软件 / 軟體). " +
                              "Without it, Accept-Language decides: zh-Hans, zh-CN, zh-SG → hans; zh-Hant, zh-TW, zh-HK → hant; " +
                              "anything else, the text as written. A converted answer has Content-Language, every language member " +
                              "set to the script, and alternates (hreflang and href of this answer in each script).",
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
