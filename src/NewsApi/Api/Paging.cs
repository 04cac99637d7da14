using System.Buffers.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Extensions;

namespace NewsApi.Api;

/// <summary>A page of a list: the items and, when there are more, the cursor of the next page.</summary>
internal sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>
/// The position after the last item of a page, for keyset paging. Clients treat it as opaque; it
/// carries the sort it was made for so that it cannot be replayed against another order.
/// </summary>
internal sealed record Cursor(string Sort, DateTimeOffset? At, int? Position, Guid Id)
{
    public string Encode() => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(this, Json));

    public static bool TryDecode(string? text, string sort, out Cursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(text))
            return true;
        try
        {
            var decoded = JsonSerializer.Deserialize<Cursor>(Base64Url.DecodeFromChars(text), Json);
            if (decoded is null || decoded.Sort != sort || decoded.Id == Guid.Empty)
                return false;
            cursor = decoded;
            return true;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return false;
        }
    }

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}

internal static class Paging
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    /// <summary>Adds <c>Link: &lt;…&gt;; rel="next"</c> pointing at the same request with the next cursor.</summary>
    public static void AddNextLink(HttpContext http, string? nextCursor)
    {
        if (nextCursor is null)
            return;
        var request = http.Request;
        var query = request.Query
            .Where(q => !q.Key.Equals("cursor", StringComparison.OrdinalIgnoreCase))
            .SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v)))
            .Append(KeyValuePair.Create("cursor", (string?)nextCursor));
        var url = UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, request.Path, QueryString.Create(query));
        http.Response.Headers.Append("Link", $"<{url}>; rel=\"next\"");
    }

    public static string Describe(string what) =>
        $"Opaque cursor from the previous page's nextCursor; omit it for the first page of {what}.";

}
