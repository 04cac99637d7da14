using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;

namespace NewsApi.Api.Caching;

/// <summary>
/// What this service caches itself: anonymous GETs of the routes marked <see cref="PublicRead"/>, keyed by path, query
/// and Accept, tagged by what the route says they show so a change evicts exactly those (plus "all", for changes that
/// show up everywhere).
/// </summary>
internal sealed class PublicReadPolicy : IOutputCachePolicy
{
    public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken ct)
    {
        var request = context.HttpContext.Request;
        var cacheable = (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
                        && request.Headers.Authorization.Count == 0
                        && context.HttpContext.RequestServices.GetRequiredService<IOptions<CachingOptions>>().Value.ServerCache
                        && context.HttpContext.PublicRead() is not null;
        context.EnableOutputCaching = cacheable;
        context.AllowCacheLookup = cacheable;
        context.AllowCacheStorage = cacheable;
        context.AllowLocking = true;
        if (!cacheable)
            return ValueTask.CompletedTask;
        context.CacheVaryByRules.QueryKeys = "*";
        context.CacheVaryByRules.HeaderNames = new("Accept");
        // Responses made before and after a scheduled change never share an entry: the key names the epoch.
        var next = context.HttpContext.Items[HttpCaching.NextChangeKey] as DateTimeOffset?;
        var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        context.CacheVaryByRules.VaryByValues["next-change"] = next is null ? "none" : (next <= now ? "due:" : "") + next.Value.UtcTicks;
        context.Tags.Add(PublicRead.EverythingTag);
        foreach (var tag in context.HttpContext.PublicRead()!.Tags(request.RouteValues))
            context.Tags.Add(tag);
        return ValueTask.CompletedTask;
    }

    public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken ct) => ValueTask.CompletedTask;

    public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken ct)
    {
        var response = context.HttpContext.Response;
        if (response.StatusCode != StatusCodes.Status200OK || response.Headers.SetCookie.Count > 0)
        {
            context.AllowCacheStorage = false;
            return ValueTask.CompletedTask;
        }
        // Never keep a response past the next change the clock will make, nor past the configured age.
        var lifetime = context.HttpContext.Items[HttpCaching.LifetimeKey] as TimeSpan?;
        context.ResponseExpirationTimeSpan = lifetime is { } l && l > TimeSpan.Zero ? l : TimeSpan.FromTicks(1);
        if (lifetime is { } none && none <= TimeSpan.Zero)
            context.AllowCacheStorage = false;
        return ValueTask.CompletedTask;
    }
}
