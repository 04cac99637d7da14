namespace NewsApi.Api.Caching;

/// <summary>
/// What a read of one resource tells the caching: when the clock will next change that resource (for an article,
/// its scheduled unpublish). The answer's lifetime is capped there and nowhere else.
/// </summary>
internal sealed record ResourceSchedule(DateTimeOffset? NextChange)
{
    public static DateTimeOffset? Of(HttpContext http) => http.Features.Get<ResourceSchedule>()?.NextChange;
}

internal static class ResourceScheduleExtensions
{
    /// <summary>Says when the clock next changes the resource this public read shows; null when it never will.</summary>
    public static void NextChangeAt(this HttpContext http, DateTimeOffset? at) => http.Features.Set(new ResourceSchedule(at));
}
