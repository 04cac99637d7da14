using NewsApi.Api.OpenApi;
using NewsApi.Content;

namespace NewsApi.Features.Articles;

/// <summary>The parameters of article lists (and of search, which shares their filters), for the OpenAPI document.</summary>
internal static class ArticleParameters
{
    public static readonly IReadOnlyDictionary<string, ParameterDoc> All = new Dictionary<string, ParameterDoc>
    {
        ["number"] = new("The revision's number, from 1 for the article's creation."),
        ["from"] = ParameterDoc.Time("Only articles published at or after this time: ISO 8601 with an offset (2023-11-11T00:00:00Z) or a date (2023-11-11, UTC)."),
        ["to"] = ParameterDoc.Time("Only articles published before this time; same format as from, and later than it."),
        ["sort"] = ParameterDoc.OneOf("Order of the list: newest first (-publishedAt, the default), oldest first (publishedAt) or most recently updated first (-updatedAt).",
            ListArticles.Sorts, "-publishedAt"),
        ["section"] = new("Slug of a section, such as domestic; its sub-sections are included.", MaxLength: Slugs.MaxLookupLength),
        ["topic"] = new("Slug of a topic page.", MaxLength: Slugs.MaxLookupLength),
        ["tag"] = new("Slug of a tag.", MaxLength: Slugs.MaxLookupLength),
        ["author"] = new("Slug of an author.", MaxLength: Slugs.MaxLookupLength),
        ["fields"] = ParameterDoc.CommaList("Comma-separated members each item keeps (id always stays); body and bodyHtml, never in a list " +
                                            "by default, give a page of whole stories in one call: " + string.Join(", ", ListArticles.Fields) + ".",
            ListArticles.Fields),
        ["at"] = ParameterDoc.Time(ScheduledPreview.Description),
        ["status"] = new("Needs a key of any role. Comma-separated statuses to list or search instead of the public view: " +
                         string.Join(", ", ListArticles.Statuses) + "; a list is then sorted by -updatedAt, a search stays ranked."),
        ["include"] = ParameterDoc.CommaList("Comma-separated related resources to embed in each item: " + string.Join(", ", ListArticles.Includes) + ".",
            ListArticles.Includes),
    };
}
