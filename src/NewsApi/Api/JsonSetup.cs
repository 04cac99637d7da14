using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;

namespace NewsApi.Api;

internal static class JsonSetup
{
    public static IServiceCollection AddNewsJson(this IServiceCollection services)
    {
        // Body binding failures reach BadRequestExceptionHandler, which names the member at fault.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services.ConfigureHttpJsonOptions(o => Configure(o.SerializerOptions));
    }

    public static void Configure(JsonSerializerOptions json)
    {
        // Chinese as characters, not \uXXXX: half the bytes, and readable in curl.
        json.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All);
        json.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        // A member the API does not know, or one sent twice, is a client mistake to report, not to guess at:
        // silently dropping "status" or taking the last of two "title"s hides bugs in editors' scripts.
        json.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        json.AllowDuplicateProperties = false;
        json.Converters.Add(new StrictJsonObjectConverter());
    }
}
