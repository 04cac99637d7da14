using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace NewsApi.Api.Caching;

/// <summary>RFC 9110 §13.1: If-None-Match (weak comparison) decides when present; otherwise If-Modified-Since.</summary>
internal static class NotModified
{
    public static bool Applies(HttpRequest request, string etag, DateTimeOffset? lastModified)
    {
        var ifNoneMatch = request.Headers.IfNoneMatch;
        if (!StringValues.IsNullOrEmpty(ifNoneMatch))
        {
            var any = false;
            foreach (var value in ifNoneMatch)
            {
                if (string.IsNullOrWhiteSpace(value))
                    continue;
                any = true;
                if (Names(value, etag))
                    return true;
            }
            if (any)
                return false;
        }
        return lastModified is { } modified
               && HeaderUtilities.TryParseDate(request.Headers.IfModifiedSince.ToString(), out var since)
               && modified <= since;
    }

    /// <summary>Whether a comma-separated list of entity tags names this one (or is "*"), W/ ignored; no allocation.</summary>
    static bool Names(ReadOnlySpan<char> list, ReadOnlySpan<char> etag)
    {
        foreach (var range in list.Split(','))
        {
            var tag = list[range].Trim();
            if (tag.StartsWith("W/", StringComparison.Ordinal))
                tag = tag[2..];
            if (tag is "*" || tag.SequenceEqual(etag))
                return true;
        }
        return false;
    }
}
