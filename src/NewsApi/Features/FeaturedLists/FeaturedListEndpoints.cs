using NewsApi.Api;

namespace NewsApi.Features.FeaturedLists;

public static class FeaturedListEndpoints
{
    public static RouteGroupBuilder MapFeaturedLists(this RouteGroupBuilder api)
    {
        api.MapGroup("/featured-lists").WithTags("Featured lists")
            .MapGet("/{slug}", GetFeaturedList.Handle).WithName("getFeaturedList").WithValidation()
            .WithSummary("Get a featured list")
            .WithDescription("The entries visible now, pinned first, then by position, at most maxItems; when the list names a section " +
                             "and has fewer entries, the section's newest articles fill it (backfill: true). " +
                             "With at=<timestamp>, the list as it stood at that time.");
        return api;
    }
}
