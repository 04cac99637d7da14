using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace NewsApi.Api;

/// <summary>
/// The bounds on a request's line and headers. Kestrel refuses a request past its own with an empty 414 or 431 before
/// the app runs, so Kestrel's are set a few times above these and the service holds requests to these itself: one in
/// between is answered as every other refusal is, with a problem naming the bound. Only a request past Kestrel's
/// still gets its bare answer; a proxy in front refuses those earlier (deploy/README.md, "Refusals before the service").
/// </summary>
internal static class RequestHeadLimits
{
    public const int MaxRequestLineBytes = 8 * 1024;
    public const int MaxHeaderBytes = 32 * 1024;
    public const int MaxHeaderCount = 100;

    /// <summary>How far above these Kestrel's own limits sit: what it buffers before refusing, per connection.</summary>
    const int ServerMargin = 4;

    public static IServiceCollection AddRequestHeadLimits(this IServiceCollection services) =>
        services.Configure<KestrelServerOptions>(o =>
        {
            o.Limits.MaxRequestLineSize = MaxRequestLineBytes * ServerMargin;
            o.Limits.MaxRequestHeadersTotalSize = MaxHeaderBytes * ServerMargin;
            o.Limits.MaxRequestHeaderCount = MaxHeaderCount * ServerMargin;
        });

    /// <summary>Before anything that costs: only the proxy and security headers run for a request refused here.</summary>
    public static WebApplication UseRequestHeadLimits(this WebApplication app)
    {
        app.Use((http, next) => Refusal(http) is { } problem ? ProblemWriter.Write(http, problem) : next(http));
        return app;
    }

    static ProblemDetails? Refusal(HttpContext http)
    {
        var request = http.Request;
        // As Kestrel counts them: method, target and version with their separators and the line's CRLF.
        var target = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        var line = request.Method.Length + 1 + target.Length + 1 + request.Protocol.Length + 2;
        if (line > MaxRequestLineBytes)
            return Problem(StatusCodes.Status414UriTooLong, "URI too long", MaxRequestLineBytes,
                $"The request line may be at most {MaxRequestLineBytes} bytes; this one has {line}.");
        int count = 0, bytes = 0;
        foreach (var (name, values) in request.Headers)
            foreach (var value in values)
            {
                count++;
                bytes += name.Length + 2 + Encoding.UTF8.GetByteCount(value ?? "") + 2;
            }
        if (count > MaxHeaderCount)
            return Problem(StatusCodes.Status431RequestHeaderFieldsTooLarge, "Request header fields too large", MaxHeaderCount,
                $"A request may carry at most {MaxHeaderCount} header lines; this one has {count}.");
        return bytes > MaxHeaderBytes
            ? Problem(StatusCodes.Status431RequestHeaderFieldsTooLarge, "Request header fields too large", MaxHeaderBytes,
                $"A request's headers may take at most {MaxHeaderBytes} bytes; these take {bytes}.")
            : null;
    }

    static ProblemDetails Problem(int status, string title, int max, string detail) => new()
    {
        Status = status, Type = ProblemTypes.ForStatus(status), Title = title, Detail = detail, Extensions = { ["max"] = max },
    };
}
