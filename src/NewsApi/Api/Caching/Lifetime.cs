namespace NewsApi.Api.Caching;

/// <summary>
/// How long a public answer may be reused, and then served stale while a cache fetches a fresh one: the configured
/// ages, cut so that neither runs past the next change the clock will make.
/// </summary>
internal readonly record struct Lifetime(TimeSpan MaxAge, TimeSpan StaleWhileRevalidate)
{
    public static Lifetime Until(DateTimeOffset now, DateTimeOffset? nextChange, CachingOptions options)
    {
        var until = nextChange is { } change ? change - now : TimeSpan.MaxValue;
        if (until < TimeSpan.Zero)
            until = TimeSpan.Zero;
        var maxAge = Min(options.MaxAge, until);
        return new(maxAge, Min(options.StaleWhileRevalidate, until - maxAge));
    }

    public string Header => Format(Seconds(MaxAge), Seconds(StaleWhileRevalidate));

    public static string Format(long maxAge, long staleWhileRevalidate) =>
        $"public, max-age={maxAge}, stale-while-revalidate={staleWhileRevalidate}";

    /// <summary>Whole seconds, rounded down: a cache told a second less errs on the fresh side.</summary>
    public static long Seconds(TimeSpan t) => t <= TimeSpan.Zero ? 0 : (long)Math.Floor(t.TotalSeconds);

    static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b < TimeSpan.Zero ? TimeSpan.Zero : b;
}
