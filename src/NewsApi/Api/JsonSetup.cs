using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;

namespace NewsApi.Api;

public static class JsonSetup
{
    public static IServiceCollection AddNewsJson(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(o => Configure(o.SerializerOptions));

    public static void Configure(JsonSerializerOptions json)
    {
        // Chinese as characters, not \uXXXX: half the bytes, and readable in curl.
        json.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All);
        json.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
    }
}
