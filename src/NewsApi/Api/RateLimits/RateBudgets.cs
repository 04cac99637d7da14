using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace NewsApi.Api.RateLimits;

/// <summary>
/// Every budget as one partitioned limiter: a partition per budget, caller and window. Windows are aligned to the
/// clock (the window number is part of the partition), so the seconds until a budget comes back are known exactly
/// and can be told in Retry-After and RateLimit; a partition of a past window is idle and is dropped by the limiter.
/// </summary>
internal sealed class RateBudgets : IDisposable
{
    readonly RateLimitOptions _options;
    readonly TimeProvider _clock;

    public RateBudgets(IOptions<RateLimitOptions> options, TimeProvider clock)
    {
        (_options, _clock) = (options.Value, clock);
        Limiter = PartitionedRateLimiter.Create<HttpContext, Partition>(http =>
        {
            var standing = StandingOf(http);
            return RateLimitPartition.GetFixedWindowLimiter(new Partition(standing.Budget, CallerOf(http), standing.Window), _ =>
                new FixedWindowRateLimiterOptions { PermitLimit = standing.Size.PermitLimit, Window = standing.Size.Window, QueueLimit = 0 });
        });
    }

    public PartitionedRateLimiter<HttpContext> Limiter { get; }

    readonly record struct Partition(RateBudget Budget, string Caller, long Window);

    /// <summary>Which budget a request draws from, how large it is, which window it is in and when that ends.</summary>
    public readonly record struct Standing(RateBudget Budget, Budget Size, long Window, int SecondsLeft);

    public Standing StandingOf(HttpContext http)
    {
        var budget = BudgetOf(http);
        var size = _options.For(budget);
        var now = _clock.GetUtcNow().UtcTicks;
        var window = now / size.Window.Ticks;
        var left = (window + 1) * size.Window.Ticks - now;
        return new(budget, size, window, (int)Math.Max(1, (left + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond));
    }

    static RateBudget BudgetOf(HttpContext http)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<DrawsFrom>() is { } marked)
            return marked.Budget;
        if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
            return http.User.Identity?.IsAuthenticated == true ? RateBudget.KeyedReads : RateBudget.Reads;
        return RateBudget.Writes;
    }

    /// <summary>The key when there is one (authentication has run: a bad key never gets here), else the client's address.</summary>
    static string CallerOf(HttpContext http) =>
        http.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } key && http.User.Identity?.IsAuthenticated == true
            ? "key:" + key
            : "address:" + AddressOf(http.Connection.RemoteIpAddress);

    /// <summary>An IPv6 address counts by its /64: one subscriber usually holds a whole /64 and could otherwise use a new address per request.</summary>
    internal static string AddressOf(IPAddress? address)
    {
        if (address is null)
            return "unknown";
        if (address.IsIPv4MappedToIPv6)
            return address.MapToIPv4().ToString();
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    /// <summary>The draft-ietf-httpapi-ratelimit-headers fields: the budget drawn from, what is left of it and when it comes back.</summary>
    public static void Describe(IHeaderDictionary headers, Standing standing, long remaining)
    {
        var name = standing.Budget.Name();
        headers["RateLimit-Policy"] = string.Create(CultureInfo.InvariantCulture, $"\"{name}\";q={standing.Size.PermitLimit};w={(long)standing.Size.Window.TotalSeconds}");
        headers["RateLimit"] = string.Create(CultureInfo.InvariantCulture, $"\"{name}\";r={remaining};t={standing.SecondsLeft}");
    }

    /// <summary>What is left of the caller's budget, for answers only that caller sees.</summary>
    public void DescribeRemaining(HttpContext http) =>
        Describe(http.Response.Headers, StandingOf(http), Limiter.GetStatistics(http)?.CurrentAvailablePermits ?? 0);

    /// <summary>A 429 problem that says when to come back; never stored by a cache, which would refuse everyone.</summary>
    public async ValueTask Refuse(OnRejectedContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        var standing = StandingOf(http);
        var headers = http.Response.Headers;
        headers.RetryAfter = standing.SecondsLeft.ToString(CultureInfo.InvariantCulture);
        headers.CacheControl = "no-store";
        Describe(headers, standing, 0);
        await ProblemWriter.Write(http, new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Type = ProblemTypes.TooManyRequests,
            Title = "Too many requests",
            Detail = string.Create(CultureInfo.InvariantCulture,
                $"This caller has used its {standing.Size.PermitLimit} {standing.Budget.Name()} requests per {(long)standing.Size.Window.TotalSeconds} seconds; try again in {standing.SecondsLeft} seconds."),
        });
    }

    public void Dispose() => Limiter.Dispose();
}
