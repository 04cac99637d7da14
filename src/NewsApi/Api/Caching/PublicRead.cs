namespace NewsApi.Api.Caching;

/// <summary>
/// Endpoint metadata that makes a route a public read: anonymous GETs answer with a strong ETag, 304 and a public
/// lifetime, and this service keeps a copy tagged with what the response shows, so that a change evicts exactly those
/// (<see cref="HttpCaching"/>). Routes without it are never cached publicly.
/// </summary>
internal sealed class PublicRead(Func<RouteValueDictionary, IEnumerable<string>> tags, bool ownSchedule = false)
{
    /// <summary>
    /// Whether the read shows one resource whose handler says when the clock next changes it
    /// (<see cref="ResourceScheduleExtensions.NextChangeAt"/>): its lifetime is capped by that alone, not by the next change of
    /// everything public, so one answer tells nothing of another resource's schedule.
    /// </summary>
    public bool OwnSchedule => ownSchedule;

    /// <summary>The tag every cached response carries as well as its own.</summary>
    public const string EverythingTag = "all";

    public IEnumerable<string> Tags(RouteValueDictionary route) => tags(route);
}

internal static class PublicReadEndpoints
{
    // HEAD is GET without the body (RFC 9110 §9.3.2): monitors and CDNs ask it, and a stored answer serves both.
    static readonly HttpMethodMetadata GetOrHead = new([HttpMethods.Get, HttpMethods.Head]);

    /// <summary>A public read whose responses are tagged with these names.</summary>
    public static RouteHandlerBuilder PublicRead(this RouteHandlerBuilder builder, params string[] tags) =>
        builder.WithMetadata(new PublicRead(_ => tags), GetOrHead);

    /// <summary>A public read tagged by the resource its route values name.</summary>
    public static RouteHandlerBuilder PublicRead(this RouteHandlerBuilder builder, Func<RouteValueDictionary, string> tag) =>
        builder.WithMetadata(new PublicRead(route => [tag(route)]), GetOrHead);

    /// <summary>A public read tagged by several names, some from the route values.</summary>
    public static RouteHandlerBuilder PublicRead(this RouteHandlerBuilder builder, Func<RouteValueDictionary, IEnumerable<string>> tags) =>
        builder.WithMetadata(new PublicRead(tags), GetOrHead);

    /// <summary>A public read of one resource, tagged by the route values that name it, whose lifetime is its own (see <see cref="Caching.PublicRead.OwnSchedule"/>).</summary>
    public static RouteHandlerBuilder PublicResource(this RouteHandlerBuilder builder, Func<RouteValueDictionary, string> tag) =>
        builder.WithMetadata(new PublicRead(route => [tag(route)], ownSchedule: true), GetOrHead);

    public static PublicRead? PublicRead(this HttpContext http) => http.GetEndpoint()?.Metadata.GetMetadata<PublicRead>();
}
