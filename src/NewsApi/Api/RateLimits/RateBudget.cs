namespace NewsApi.Api.RateLimits;

/// <summary>Which budget a request draws from. Reads and writes follow from the method; a route says when it is search or import.</summary>
internal enum RateBudget
{
    Reads,
    KeyedReads,
    Search,
    Writes,
    Imports,
}

/// <summary>Endpoint metadata: this route draws from its own budget rather than the one its method implies.</summary>
internal sealed record DrawsFrom(RateBudget Budget);

internal static class RateBudgetEndpoints
{
    public static TBuilder DrawsFrom<TBuilder>(this TBuilder builder, RateBudget budget) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new DrawsFrom(budget));

    /// <summary>The name a budget goes by in the RateLimit and RateLimit-Policy headers.</summary>
    public static string Name(this RateBudget budget) => budget switch
    {
        RateBudget.Reads => "reads",
        RateBudget.KeyedReads => "keyed-reads",
        RateBudget.Search => "search",
        RateBudget.Writes => "writes",
        _ => "imports",
    };
}
