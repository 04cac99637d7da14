namespace NewsApi.Api.Caching;

/// <summary>
/// When the clock (not a write) next changes what a public read shows; no public response may be reused past it.
/// The caching mechanics ask; the capability that knows the content answers.
/// </summary>
internal interface INextScheduledChange
{
    /// <summary>A ValueTask: asked on every public read, and answered from memory all but once a second.</summary>
    ValueTask<DateTimeOffset?> GetAsync(CancellationToken ct);
}
