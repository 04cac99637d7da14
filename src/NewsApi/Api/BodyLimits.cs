using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace NewsApi.Api;

/// <summary>Settings of the <c>Limits</c> section: the largest request bodies, by what they carry.</summary>
internal sealed class LimitsOptions
{
    public const string Section = "Limits";

    /// <summary>Bodies that carry article text (routes marked <see cref="BodyLimits.WithContentBodyLimit{T}"/>).</summary>
    public long MaxContentBytes { get; set; } = 2L * 1024 * 1024;

    /// <summary>Every other body.</summary>
    public long MaxBodyBytes { get; set; } = 64 * 1024;
}

/// <summary>
/// The limit a route puts on its request body: the setting's name (for the problem) and how to read its value. A route
/// without one gets <c>Limits:MaxBodyBytes</c>; route groups mark theirs, so this plumbing knows no feature.
/// <paramref name="Rule"/>: the <c>rule</c> the 413 problem names, for a route whose other refusals name theirs too.
/// </summary>
internal sealed record BodyLimit(string Setting, Func<IServiceProvider, long> Max, string? Rule = null)
{
    public static readonly BodyLimit Content = new($"{LimitsOptions.Section}:{nameof(LimitsOptions.MaxContentBytes)}",
        s => s.GetRequiredService<IOptions<LimitsOptions>>().Value.MaxContentBytes);

    public static readonly BodyLimit Default = new($"{LimitsOptions.Section}:{nameof(LimitsOptions.MaxBodyBytes)}",
        s => s.GetRequiredService<IOptions<LimitsOptions>>().Value.MaxBodyBytes);
}

/// <summary>
/// Puts each route's body limit on the request before anything reads it: a Content-Length above it is refused at once,
/// and Kestrel stops a body sent without one (chunked) once it passes the limit. Either way the answer is a 413 problem
/// naming the limit, not Kestrel's bare 413 nor the 400 a failed body read would otherwise become.
/// </summary>
internal static class BodyLimits
{
    public static IServiceCollection AddBodyLimits(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<LimitsOptions>().Bind(config.GetSection(LimitsOptions.Section))
            .Validate(o => o.MaxBodyBytes >= 1024 && o.MaxContentBytes >= o.MaxBodyBytes,
                "Limits:MaxBodyBytes must be at least 1024 and Limits:MaxContentBytes at least MaxBodyBytes.")
            .ValidateOnStart();
        services.ConfigureSwaggerGen(o => o.OperationFilter<TooLargeResponses>());
        return services;
    }

    /// <summary>Routes whose bodies carry article text: <c>Limits:MaxContentBytes</c>.</summary>
    public static TBuilder WithContentBodyLimit<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithBodyLimit(BodyLimit.Content);

    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, BodyLimit limit) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(limit);

    /// <summary>After routing (the limit is the endpoint's), before anything reads the body.</summary>
    public static WebApplication UseBodyLimits(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            if (http.GetEndpoint() is not { } endpoint || !HasBody(http.Request))
            {
                await next(http);
                return;
            }
            var limit = endpoint.Metadata.GetMetadata<BodyLimit>() ?? BodyLimit.Default;
            var max = limit.Max(http.RequestServices);
            if (http.Request.ContentLength > max)
            {
                await TooLarge(http, limit, max);
                return;
            }
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
                size.MaxRequestBodySize = max;
            http.Features.Set(new AppliedBodyLimit(limit, max));
            await next(http);
            // The minimal-API binder answers a body Kestrel stopped with a bare 413 of its own: give it the problem.
            if (!http.Response.HasStarted && http.Response.StatusCode == StatusCodes.Status413PayloadTooLarge)
                await TooLarge(http, limit, max);
        });
        return app;
    }

    static bool HasBody(HttpRequest request) => request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;

    /// <summary>The 413 problem for a body over the route's limit, whether its length was announced or counted.</summary>
    public static Task TooLarge(HttpContext http, BodyLimit limit, long max) =>
        ProblemWriter.Write(http, Problem(limit, max));

    internal static ProblemDetails Problem(BodyLimit limit, long max)
    {
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status413PayloadTooLarge, Type = ProblemTypes.PayloadTooLarge, Title = "Payload too large",
            Detail = $"The request body may be at most {max} bytes here ({limit.Setting}).",
            Extensions = { ["limit"] = limit.Setting, ["max"] = max },
        };
        if (limit.Rule is { } rule)
            problem.Extensions["rule"] = rule;
        return problem;
    }
}

/// <summary>The limit put on this request, for the 413 problem when Kestrel stops reading past it.</summary>
internal sealed record AppliedBodyLimit(BodyLimit Limit, long Max);

/// <summary>Every operation that takes a body may answer 413: the document says so where the handler does not.</summary>
internal sealed class TooLargeResponses : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.RequestBody is null)
            return;
        operation.Responses ??= [];
        if (operation.Responses.ContainsKey("413"))
            return;
        var schema = context.SchemaGenerator.GenerateSchema(typeof(ProblemDetails), context.SchemaRepository);
        operation.Responses["413"] = new OpenApiResponse
        {
            Description = "The body is larger than this operation accepts; the problem names the limit (limit, max).",
            Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = schema } },
        };
    }
}
