using NewsApi.Api;
using NewsApi.Api.Caching;
using NewsApi.Api.OpenApi;
using NewsApi.Api.RateLimits;
using NewsApi.Changes;
using NewsApi.Features.Articles;
using NewsApi.Search;

namespace NewsApi.Features.Search;

internal static class SearchEndpoints
{
    static readonly Dictionary<string, ParameterDoc> Parameters = new()
    {
        ["q"] = new("What to search for: terms separated by spaces, all of which must match (烏鎮, 互聯網大會, 5G智慧醫院). " +
                    "A term of one Chinese character (港, 滬, a surname 王) matches titles, subtitles, summaries and datelines only, " +
                    "never the body; a lone letter or digit is refused (Latin words match whole: type 5G, not 5). " +
                    "Simplified and Traditional, full- and half-width forms and case are folded.",
            Required: true, MaxLength: SearchQuery.MaxLength),
    };

    public static RouteGroupBuilder MapSearch(this RouteGroupBuilder api)
    {
        api.MapGet("/search", SearchArticles.Handle).WithName("searchArticles").WithTags("Search").WithValidation().WithScripts().PublicRead(CacheTags.Search)
            .WithParameterDocs(ArticleParameters.All).WithParameterDocs(Parameters)
            .DrawsFrom(RateBudget.Search).TakesSearchTurns().ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Search published articles")
            .WithDescription("Finds published articles containing every term of q (terms are separated by spaces), inside sentences " +
                             "too: 烏鎮 and 互聯網大會 match within running Chinese text. Simplified and Traditional characters, full-width " +
                             "and half-width forms, letter case and punctuation are folded, so 乌镇 finds 烏鎮. Each term needs at least two " +
                             "characters. Results are ranked by relevance (a title match above a summary match above a body match) with " +
                             "fresher articles first at equal relevance; each carries an HTML snippet with <mark> around the matches and " +
                             "the fields that matched. The same filters and cursor paging as listArticles; the newest " +
                             "100 matches of a query are ranked. With a previewer, editor or admin key, status= searches those statuses " +
                             "(draft, scheduled, published, unpublished, archived) instead of what the public sees. Search is " +
                             "near-real-time, not transactional: a change reaches the index a moment after it is saved (about half a " +
                             "second for an editor's save, a few seconds after a large import; /health/ready reports the lag), but " +
                             "what the public may see is checked as it is now, so an article unpublished, killed, embargoed or " +
                             "scheduled for later is never found once its change is saved.");
        return api;
    }
}
