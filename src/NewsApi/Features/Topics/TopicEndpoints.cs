using NewsApi.Api;

namespace NewsApi.Features.Topics;

public static class TopicEndpoints
{
    public static RouteGroupBuilder MapTopics(this RouteGroupBuilder api)
    {
        var topics = api.MapGroup("/topics").WithTags("Topics");
        topics.MapGet("/", ListTopics.Handle).WithName("listTopics").WithValidation()
            .WithSummary("List topic pages")
            .WithDescription("Published topic pages (專題), newest first, paged with the opaque cursor from nextCursor.");
        topics.MapGet("/{slug}", GetTopic.Handle).WithName("getTopic").WithValidation()
            .WithSummary("Get a topic page with its articles")
            .WithDescription("The topic and a page of its published articles in the editors' order; " +
                             "further pages with articles.nextCursor passed as cursor.");
        return api;
    }
}
