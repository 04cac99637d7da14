using NewsApi.Api;
using NewsApi.Api.Auth;
using NewsApi.Api.Caching;
using NewsApi.Api.OpenApi;
using NewsApi.Changes;
using NewsApi.Features.Articles.Representations;

namespace NewsApi.Features.Articles;

internal static class ArticleEndpoints
{
    const string Group = "/articles";

    /// <summary>The article's address, for Location headers and links.</summary>
    public static string Path(Guid id) => $"{ApiRoutes.Prefix}{Group}/{id}";

    /// <summary>The article's address by slug, for redirects from an old slug.</summary>
    public static string SlugPath(string slug) => $"{ApiRoutes.Prefix}{Group}/slug/{Uri.EscapeDataString(slug)}";

    public static RouteGroupBuilder MapArticles(this RouteGroupBuilder api)
    {
        var articles = api.MapGroup(Group).WithTags("Articles")
            .WithResourceParameters().WithParameterDocs(ArticleParameters.All);

        articles.MapGet("/", ListArticles.Handle).WithName("listArticles").WithValidation().WithScripts().PublicRead(CacheTags.ArticleLists)
            .WithSummary("List articles")
            .WithDescription("Published articles, newest first by default. Filter by section (sub-sections included), topic, tag, author and " +
                             "publication time; page with the opaque cursor from nextCursor (also sent as Link: rel=\"next\"); trim items with " +
                             "fields; expand related resources with include. With a previewer, editor or admin key, status= lists drafts, " +
                             "scheduled, unpublished or archived articles instead.");
        articles.MapGet("/{id:guid}", GetArticle.ById).WithName("getArticle").WithArticleRepresentations().WithScripts()
            .PublicResource(route => CacheTags.Article(Guid.Parse((string)route["id"]!)))
            .WithSummary("Get an article by id")
            .WithDescription("The whole article with its body blocks, structured dateline, table of contents, HTML and plain-text renderings, " +
                             "and its ETag. The public see published articles only; a key with any role sees every status. " +
                             "A killed article answers 410 with the reason.");
        articles.MapGet("/slug/{slug}", GetArticle.BySlug).WithName("getArticleBySlug").WithArticleRepresentations().WithScripts()
            .PublicResource(route => CacheTags.ArticleSlug((string)route["slug"]!))
            .WithSummary("Get an article by slug")
            .WithDescription("As getArticle. A slug the article used to have answers 301 with the current address in Location.")
            .Produces(StatusCodes.Status301MovedPermanently);

        var writes = articles.MapGroup("").RequireAuthorization(Policies.Editor).WithContentBodyLimit();
        writes.MapPost("/", WriteArticle.Create).WithName("createArticle").WithValidation()
            .WithSummary("Create an article (as a draft)")
            .WithDescription("Creates a draft from the content: status, times and ids are the service's to set. The slug is generated from " +
                             "the title (pinyin for Chinese) unless given; a slug or externalId already taken is a 409.");
        writes.MapPut("/{id:guid}", WriteArticle.Replace).WithName("replaceArticle").WithValidation()
            .WithSummary("Replace an article's content")
            .WithDescription("Requires If-Match with the ETag you read (428 without it, 412 when someone changed the article since). " +
                             "Members left out are cleared; a changed slug keeps the old one answering 301. Stores a revision.");
        writes.MapPatch("/{id:guid}", WriteArticle.Patch).WithName("patchArticle")
            .Accepts<System.Text.Json.Nodes.JsonObject>("application/merge-patch+json", "application/json")
            .WithSummary("Change part of an article (JSON Merge Patch)")
            .WithDescription("RFC 7396: members sent replace, null removes, others stay. If-Match is required as for PUT. The merged result " +
                             "is validated like a full write. Stores a revision.");
        writes.MapDelete("/{id:guid}", WriteArticle.Delete).WithName("deleteArticle")
            .WithSummary("Delete an article")
            .WithDescription("Requires If-Match. Published and scheduled articles cannot be deleted: unpublish, archive or kill them.");

        writes.MapPost("/{id:guid}/publish", ArticleWorkflow.Publish).WithName("publishArticle").WithValidation()
            .WithSummary("Publish an article, now or at publishAt")
            .WithDescription("Without a body, or with a past publishAt, the article goes live now; with a future publishAt it is scheduled " +
                             "and goes live at that time by itself. If-Match is checked when sent.");
        writes.MapPost("/{id:guid}/unpublish", ArticleWorkflow.Unpublish).WithName("unpublishArticle").WithValidation()
            .WithSummary("Unpublish an article, now or at unpublishAt")
            .WithDescription("The article disappears from public reads (404) but is kept; publish brings it back. If-Match is checked when sent.");
        writes.MapPost("/{id:guid}/archive", ArticleWorkflow.Archive).WithName("archiveArticle")
            .WithSummary("Archive an article")
            .WithDescription("Hidden from the public and from editors' default lists; publish brings it back. If-Match is checked when sent.");
        writes.MapPost("/{id:guid}/kill", ArticleWorkflow.Kill).WithName("killArticle").WithValidation()
            .WithSummary("Kill an article, for good")
            .WithDescription("For legal or factual withdrawals: the article answers 410 Gone with the reason to everyone, leaves every " +
                             "topic and featured list, and can no longer change. If-Match is checked when sent.");

        writes.MapPost("/{id:guid}/notices", ArticleNotices.Add).WithName("addArticleNotice").WithValidation()
            .WithSummary("Add a notice: a correction, clarification, update or editor's note")
            .WithDescription("Appends {type, text, at} to the article's notices, as a revision of its own. The notice shows in the JSON " +
                             "(notices; corrections keeps the old shape), in bodyHtml (editor's notes before the body, the rest after it), " +
                             "JSON-LD (correction as CorrectionComment), ninjs and feeds, whose item's updated time moves. A live article's " +
                             "webhooks receive article.corrected. Changing or removing a notice later goes through PUT or PATCH of notices " +
                             "and gets an audit entry of its own (editArticleNotice). If-Match is checked when sent.");

        var revisions = articles.MapGroup("/{id:guid}/revisions").WithTags("Revisions");
        revisions.MapGet("/", ArticleRevisions.List).WithName("listArticleRevisions").RequireAuthorization(Policies.Previewer)
            .WithSummary("List an article's revisions")
            .WithDescription("Newest first: who changed what (field names) and when, including the scheduler's changes. A deleted " +
                             "article's revisions stay readable by its id, its deletion last (action deleted); it is not restored.");
        revisions.MapGet("/{number:int}", ArticleRevisions.Get).WithName("getArticleRevision").RequireAuthorization(Policies.Previewer)
            .WithSummary("Read one revision")
            .WithDescription("The article's content as it stood after that change. A killed article's revisions answer previewers 410 " +
                             "with the reason; editors and admins still read them.");
        revisions.MapPost("/{number:int}/restore", ArticleRevisions.Restore).WithName("restoreArticleRevision").RequireAuthorization(Policies.Editor)
            .WithSummary("Restore a revision's content")
            .WithDescription("Puts that revision's content back as a new revision; the status does not change. If-Match is checked when sent.");
        return api;
    }
}
