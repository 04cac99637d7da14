using NewsApi.Api;
using NewsApi.Features.Articles.Representations;

namespace NewsApi.Features.Articles;

public static class ArticleEndpoints
{
    public static RouteGroupBuilder MapArticles(this RouteGroupBuilder api)
    {
        var articles = api.MapGroup("/articles").WithTags("Articles");

        articles.MapGet("/", ListArticles.Handle).WithName("listArticles").WithValidation()
            .WithSummary("List published articles")
            .WithDescription("Newest first by default. Filter by section (sub-sections included), topic, tag, author and publication time; " +
                             "page with the opaque cursor from nextCursor (also sent as Link: rel=\"next\"); trim items with fields; " +
                             "expand related resources with include.");
        articles.MapGet("/{id:guid}", GetArticle.ById).WithName("getArticle").WithArticleRepresentations()
            .WithSummary("Get a published article by id")
            .WithDescription("The whole article with its body blocks, structured dateline, table of contents, HTML and plain-text renderings.");
        articles.MapGet("/slug/{slug}", GetArticle.BySlug).WithName("getArticleBySlug").WithArticleRepresentations()
            .WithSummary("Get a published article by slug")
            .WithDescription("As getArticle. A slug the article used to have answers 301 with the current address in Location.")
            .Produces(StatusCodes.Status301MovedPermanently);
        return api;
    }
}
