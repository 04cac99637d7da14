using Microsoft.AspNetCore.Http.HttpResults;

namespace NewsApi.Api;

/// <summary>ETags from row versions, and the If-Match rule that keeps two editors from overwriting each other.</summary>
internal static class Preconditions
{
    public static string ETag(uint version) => $"\"{version}\"";

    public static void SetETag(HttpContext http, uint version) => http.Response.Headers.ETag = ETag(version);

    /// <summary>
    /// The version the client read, from a required If-Match; null with the problem to answer otherwise.
    /// <c>*</c> is refused: it matches any version, which is exactly the lost update this rule prevents.
    /// </summary>
    public static (uint? Version, IResult? Problem) IfMatch(HttpContext http, uint current)
    {
        var header = http.Request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(header) || header.Trim() == "*")
            return (null, new PreconditionRequiredProblem(
                "Send If-Match with the ETag from your last read of this resource, so a colleague's change is never overwritten."));
        var tags = header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        // Strong comparison (RFC 9110): a weak tag never matches. A public read's ETag is "<version>.<hash of the
        // representation>"; its version part is what a write is checked against.
        return tags.Any(t => t == ETag(current) || t.StartsWith('"') && t.Split('.')[0] == "\"" + current)
            ? (current, null)
            : (null, new PreconditionFailedProblem(
                $"The resource has changed since you read it (it is now {ETag(current)}). Read it again, reapply your change, and retry."));
    }

    /// <summary>
    /// If-Match where it is optional (workflow steps and restores name their own intent): without it, or with
    /// <c>*</c> (any current version), the write goes ahead unchecked; with stale tags, the 412 to answer.
    /// </summary>
    public static (uint? Version, PreconditionFailedProblem? Stale) OptionalIfMatch(HttpContext http, uint current) =>
        IfMatch(http, current) switch
        {
            (_, PreconditionFailedProblem stale) => (null, stale),
            (uint version, _) => (version, null),
            _ => (null, null),
        };
}
