namespace NewsApi.Api.RateLimits;

/// <summary>Settings of the <c>RateLimits</c> section: one budget per kind of request (see Decisions/0013-rate-limits.md).</summary>
internal sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>The budgets' names in configuration (RateLimits:{name}:PermitLimit…), for hosts that set them all.</summary>
    public static readonly string[] Budgets = [nameof(AnonymousReads), nameof(KeyedReads), nameof(Search), nameof(Writes), nameof(Imports)];

    /// <summary>Reads without a key, per client address (an IPv6 address counts by its /64).</summary>
    public Budget AnonymousReads { get; set; } = new(200, TimeSpan.FromSeconds(10));

    /// <summary>Reads with a key, per key.</summary>
    public Budget KeyedReads { get; set; } = new(1000, TimeSpan.FromSeconds(10));

    /// <summary>Searches, per key or, without one, per client address.</summary>
    public Budget Search { get; set; } = new(60, TimeSpan.FromSeconds(10));

    /// <summary>Writes (every method but GET and HEAD), per key.</summary>
    public Budget Writes { get; set; } = new(300, TimeSpan.FromMinutes(1));

    /// <summary>Import requests, per key.</summary>
    public Budget Imports { get; set; } = new(60, TimeSpan.FromMinutes(1));

    public Budget For(RateBudget budget) => budget switch
    {
        RateBudget.Reads => AnonymousReads,
        RateBudget.KeyedReads => KeyedReads,
        RateBudget.Search => Search,
        RateBudget.Writes => Writes,
        _ => Imports,
    };

    public bool IsValid() => new[] { AnonymousReads, KeyedReads, Search, Writes, Imports }.All(b => b.IsValid());
}

/// <summary>So many requests per window; windows are aligned to the clock, so every caller's resets at the same instant.</summary>
internal sealed class Budget
{
    public Budget() { }

    public Budget(int permitLimit, TimeSpan window) => (PermitLimit, Window) = (permitLimit, window);

    public int PermitLimit { get; set; }
    public TimeSpan Window { get; set; }

    public bool IsValid() => PermitLimit >= 1 && Window >= TimeSpan.FromSeconds(1) && Window <= TimeSpan.FromDays(1) && Window.Ticks % TimeSpan.TicksPerSecond == 0;
}
