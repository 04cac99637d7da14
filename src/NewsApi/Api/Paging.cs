using System.Text.Json;
using Microsoft.AspNetCore.Http.Extensions;

namespace NewsApi.Api;

/// <summary>A page of a list: the items and, when there are more, the cursor of the next page.</summary>
internal sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>
/// The position after the last item of a page, for keyset paging. Clients treat it as opaque; it is signed (see
/// <see cref="CursorSigner"/>) together with the list it was made for, and carries its sort, so that it can be neither
/// forged nor replayed against another list or order.
/// </summary>
internal sealed record Cursor(string Sort, DateTimeOffset? At, int? Position, Guid Id)
{
    public string Encode(CursorSigner cursors, string list) => cursors.Seal(list, JsonSerializer.SerializeToUtf8Bytes(this, Json));

    /// <summary>False for a cursor not given out by <paramref name="list"/> in <paramref name="sort"/>; true and null for none.</summary>
    public static bool TryDecode(CursorSigner cursors, string? text, string list, string sort, out Cursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(text))
            return true;
        if (cursors.Open(list, text) is not { } payload)
            return false;
        try
        {
            var decoded = JsonSerializer.Deserialize<Cursor>(payload, Json);
            if (decoded is null || decoded.Sort != sort || decoded.Id == Guid.Empty)
                return false;
            cursor = decoded;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}

/// <summary>A cursor that is a number (an append-only sequence), signed like every other.</summary>
internal static class NumberCursor
{
    public static string Encode(CursorSigner cursors, string list, long value) =>
        cursors.Seal(list, System.Text.Encoding.ASCII.GetBytes(value.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public static bool TryDecode(CursorSigner cursors, string? text, string list, out long? value)
    {
        value = null;
        if (string.IsNullOrEmpty(text))
            return true;
        if (cursors.Open(list, text) is not { } payload
            || !long.TryParse(payload, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) || n <= 0)
            return false;
        value = n;
        return true;
    }
}

internal static class Paging
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    public static IServiceCollection AddPaging(this IServiceCollection services, IConfiguration config) => PagingOptions.Add(services, config);

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
