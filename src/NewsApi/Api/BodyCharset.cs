using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace NewsApi.Api;

/// <summary>
/// Request bodies are UTF-8: JSON is by RFC 8259, and the import reads every format as UTF-8. A Content-Type that
/// names another charset (or spells utf-8 in quotes) is a 415 problem before any endpoint reads the body. Without this the framework's JSON
/// reader threw on a charset it does not know (ebcdic, utf-7: a 500), and the import read UTF-16 or Latin-1 as UTF-8.
/// </summary>
internal static class BodyCharset
{
    public static WebApplication UseUtf8Bodies(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            if (Foreign(http.Request.ContentType) is { } charset)
            {
                await ProblemWriter.Write(http, new ProblemDetails
                {
                    Status = StatusCodes.Status415UnsupportedMediaType, Type = ProblemTypes.UnsupportedMediaType,
                    Title = "Unsupported media type",
                    Detail = $"Request bodies are UTF-8; charset '{Printable(charset)}' is not accepted. Send charset=utf-8 or no charset.",
                });
                return;
            }
            await next(http);
        });
        return app;
    }

    /// <summary>The charset the Content-Type names when it is not UTF-8 (an empty one included), else null.</summary>
    internal static string? Foreign(string? contentType)
    {
        if (contentType is null || !MediaTypeHeaderValue.TryParse(contentType, out var media))
            return null;
        var named = media.Parameters.FirstOrDefault(p => p.Name.Equals("charset", StringComparison.OrdinalIgnoreCase));
        if (named is null)
            return null;
        // Quoted, even "utf-8" is refused: the framework's JSON reader looks the quotes up as part of the name, and throws.
        var charset = named.Value.ToString();
        return charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase) ? null : charset;
    }

    static string Printable(string charset)
    {
        var shown = new string(charset.Where(c => c is >= ' ' and < '\u007f').Take(40).ToArray());
        return shown.Length == 0 ? "(empty)" : shown;
    }
}
