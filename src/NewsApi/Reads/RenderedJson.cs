using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace NewsApi.Reads;

/// <summary>
/// Writes responses that hold stored documents: the service's JSON options, plus a converter that writes a stand-in
/// <see cref="ArticleSummary"/> (<see cref="ArticleSummary.Of"/>) as its stored bytes. Envelopes (a page, a topic, a
/// featured list) keep their one definition as records, and only the articles inside them come ready-made.
/// </summary>
internal sealed class RenderedJson
{
    public const string ContentType = "application/json; charset=utf-8";

    public RenderedJson(IOptions<JsonOptions> json)
    {
        var plain = json.Value.SerializerOptions;
        Options = new JsonSerializerOptions(plain);
        Options.Converters.Add(new SummaryConverter(plain));
    }

    public JsonSerializerOptions Options { get; }

    /// <summary>200 with a stored document, as is.</summary>
    public static Document Of(byte[] json) => new(json);

    /// <summary>200 with a response whose article summaries may be stored items.</summary>
    public static Envelope Of<T>(T value) where T : class => new(value, typeof(T));

    internal sealed class Document(byte[] json) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => StatusCodes.Status200OK;

        /// <summary>The stored bytes, for answers made from them (another script).</summary>
        public byte[] Json => json;

        /// <summary>The document read back, for representations made from it (ninjs, JSON-LD).</summary>
        public T Read<T>(JsonSerializerOptions options) => JsonSerializer.Deserialize<T>(json, options)!;

        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = StatusCodes.Status200OK;
            http.Response.ContentType = ContentType;
            http.Response.ContentLength = json.Length;
            return http.Response.Body.WriteAsync(json, http.RequestAborted).AsTask();
        }
    }

    internal sealed class Envelope(object value, Type type) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => StatusCodes.Status200OK;

        public Task ExecuteAsync(HttpContext http) =>
            http.Response.WriteAsJsonAsync(value, type, http.RequestServices.GetRequiredService<RenderedJson>().Options, ContentType, http.RequestAborted);
    }

    sealed class SummaryConverter(JsonSerializerOptions plain) : JsonConverter<ArticleSummary>
    {
        public override ArticleSummary? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            JsonSerializer.Deserialize<ArticleSummary>(ref reader, plain);

        public override void Write(Utf8JsonWriter writer, ArticleSummary value, JsonSerializerOptions options)
        {
            if (value.Rendered is { } rendered)
                rendered.Shape.Write(writer, rendered.Json, rendered.Bodies);
            else
                JsonSerializer.Serialize(writer, value, plain);
        }
    }
}
