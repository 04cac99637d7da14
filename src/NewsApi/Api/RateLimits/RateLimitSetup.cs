using Microsoft.AspNetCore.RateLimiting;

namespace NewsApi.Api.RateLimits;

/// <summary>Rate limits with ASP.NET Core's rate limiter: one global limiter holding every budget (<see cref="RateBudgets"/>).</summary>
internal static class RateLimitSetup
{
    public static IServiceCollection AddRateLimits(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<RateLimitOptions>().Bind(config.GetSection(RateLimitOptions.Section))
            .Validate(o => o.IsValid(), "Each RateLimits budget needs a PermitLimit of at least 1 and a Window of whole seconds from 1 second to 1 day.")
            .ValidateOnStart();
        services.AddSingleton<RateBudgets>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<RateBudgets>((limiter, budgets) =>
        {
            limiter.GlobalLimiter = budgets.Limiter;
            limiter.OnRejected = budgets.Refuse;
        });
        return services;
    }

    /// <summary>
    /// After authentication (the key is the partition) and before the caches: a cached answer still counts. Answers
    /// only the caller sees (with a key, or a write) say what is left; public ones, which a CDN shares, do not.
    /// </summary>
    public static WebApplication UseRateLimits(this WebApplication app)
    {
        app.UseRateLimiter();
        var budgets = app.Services.GetRequiredService<RateBudgets>();
        app.Use((http, next) =>
        {
            if (http.User.Identity?.IsAuthenticated == true || !(HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)))
                http.Response.OnStarting(() =>
                {
                    budgets.DescribeRemaining(http);
                    return Task.CompletedTask;
                });
            return next(http);
        });
        return app;
    }
}
