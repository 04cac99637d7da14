using NewsApi.Api;
using NewsApi.Api.Auth;
using NewsApi.Api.Caching;
using NewsApi.Api.OpenApi;
using NewsApi.Features.Articles;
using NewsApi.Changes;
using NewsApi.Data.Entities;
using NewsApi.Features.Revisions;
using Microsoft.EntityFrameworkCore;

namespace NewsApi.Features.Topics;

internal static class TopicEndpoints
{
    const string Group = "/topics";

    static readonly Dictionary<string, ParameterDoc> Parameters = new()
    {
        ["articleId"] = new("The id (a UUID) of an article in the topic."),
        ["at"] = ParameterDoc.Time(ScheduledPreview.Description),
        ["fields"] = ParameterDoc.CommaList("Comma-separated members each of the topic's articles keeps (id always stays), as on the " +
                                            "article list; body and bodyHtml bring whole stories: " + string.Join(", ", ListArticles.Fields) + ".",
            ListArticles.Fields),
    };

    /// <summary>The topic's address, for Location headers.</summary>
    public static string Path(string slug) => $"{ApiRoutes.Prefix}{Group}/{slug}";

    public static readonly Revised Revised = new(ResourceKinds.Topic, "topic", "Topic",
        (db, slug, ct) => db.Topics.Where(t => t.Slug == slug).Select(t => (Guid?)t.Id).FirstOrDefaultAsync(ct));

    public static RouteGroupBuilder MapTopics(this RouteGroupBuilder api)
    {
        var topics = api.MapGroup(Group).WithTags("Topics")
            .WithResourceParameters().WithParameterDocs(Parameters);
        topics.MapGet("/", ListTopics.Handle).WithName("listTopics").WithValidation().WithScripts().PublicRead(CacheTags.Topics)
            .WithSummary("List topic pages")
            .WithDescription("Published topic pages (專題), newest first, paged with the opaque cursor from nextCursor.");
        topics.MapGet("/{slug}", GetTopic.Handle).WithName("getTopic").WithValidation().WithScripts().PublicRead(CacheTags.Topics)
            .WithSummary("Get a topic page with its articles")
            .WithDescription("The topic, its ETag and a page of its published articles in the editors' order; further pages with " +
                             "articles.nextCursor passed as cursor. With a key of any role (preview), draft and archived topics are " +
                             "readable too and the page also holds draft, scheduled and embargoed articles (never killed ones), " +
                             "each marked by its status; with at, the page as the public will see it then. fields trims the articles as on the article list; fields naming body or " +
                             "bodyHtml gives a page of whole stories in one call. A slug the topic used to have answers 301 with the " +
                             "current address in Location.")
            .Produces(StatusCodes.Status301MovedPermanently);

        var writes = topics.MapGroup("").RequireAuthorization(Policies.Editor).WithContentBodyLimit();
        writes.MapPost("/", WriteTopic.Create).WithName("createTopic").WithValidation()
            .WithSummary("Create a topic page")
            .WithDescription("A draft unless status says otherwise. The slug is generated from the title (pinyin for Chinese) unless " +
                             "given; a slug already taken is a 409. Add articles with PUT or POST on /topics/{slug}/articles.");
        writes.MapPut("/{slug}", WriteTopic.Replace).WithName("replaceTopic").WithValidation()
            .WithSummary("Replace a topic page's fields")
            .WithDescription("Requires If-Match with the ETag you read (428 without it, 412 when stale). Members left out are cleared, " +
                             "except slug and status, which stay. A new slug must be free; the old one keeps answering 301. Membership is not touched. " +
                             "Stores a revision.");
        writes.MapPatch("/{slug}", WriteTopic.Patch).WithName("patchTopic")
            .Accepts<System.Text.Json.Nodes.JsonObject>("application/merge-patch+json", "application/json")
            .WithSummary("Change part of a topic page (JSON Merge Patch)")
            .WithDescription("RFC 7396: members sent replace, null removes, others stay. If-Match is required as for PUT.");
        writes.MapDelete("/{slug}", WriteTopic.Delete).WithName("deleteTopic")
            .WithSummary("Delete a topic page")
            .WithDescription("Requires If-Match. The articles stay; they only leave the topic.");

        writes.MapPut("/{slug}/articles", TopicMembership.Replace).WithName("replaceTopicArticles").WithValidation()
            .WithSummary("Set a topic page's articles and their order")
            .WithDescription($"Replaces the membership with the ids given, in that order (at most {TopicMembership.MaxArticles}). " +
                             "Unknown or killed articles are a 400. Requires If-Match with the topic's ETag; answers with the new one.");
        writes.MapPost("/{slug}/articles", TopicMembership.Add).WithName("addTopicArticle").WithValidation()
            .WithSummary("Add one article to a topic page")
            .WithDescription("At position (from 1; the rest move down) or last. An article already in the topic is a 409. " +
                             "Requires If-Match with the topic's ETag; answers with the new one.");
        writes.MapDelete("/{slug}/articles/{articleId:guid}", TopicMembership.Remove).WithName("removeTopicArticle")
            .WithSummary("Take one article off a topic page")
            .WithDescription("The article itself does not change. Requires If-Match with the topic's ETag; the new one is in the response's ETag.");
        topics.MapRevisions(Revised, WriteTopic.Restore);
        return api;
    }
}
