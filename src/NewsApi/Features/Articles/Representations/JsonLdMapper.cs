using System.Text.Json.Nodes;
using NewsApi.Content;
using NewsApi.Reads;
using NewsApi.Site;

namespace NewsApi.Features.Articles.Representations;

/// <summary>
/// An article as schema.org JSON-LD, what search engines read from a story's page: a NewsArticle, or the subtype its
/// genre names (AnalysisNewsArticle, OpinionNewsArticle, ReviewNewsArticle; sponsored content is an
/// AdvertiserContentArticle), with its corrections as CorrectionComments and its paywalled part as hasPart.
/// </summary>
internal static class JsonLdMapper
{
    public static JsonObject Map(ArticleResponse a, SiteLinks links)
    {
        var url = links.Article(a.Slug, a.Id);
        var o = new JsonObject
        {
            ["@context"] = "https://schema.org",
            ["@type"] = Genres.SchemaOrgType(a.Genre),
            ["@id"] = SiteLinks.ArticleUri(a.Id),
            ["identifier"] = SiteLinks.ArticleUri(a.Id),
            ["url"] = url,
            ["mainEntityOfPage"] = new JsonObject { ["@type"] = "WebPage", ["@id"] = url },
            ["headline"] = a.Title,
        };
        Set(o, "alternativeHeadline", a.Subtitle);
        Set(o, "description", a.MetaDescription ?? a.Summary);
        o["genre"] = a.Genre;
        o["articleBody"] = a.BodyText;
        // dateline is a NewsArticle's; advertiser content is not news and has none.
        if (a.Genre != Genres.Sponsored)
            Set(o, "dateline", a.Dateline?.Text);
        if (a.Dateline?.Place is { Length: > 0 } place)
            o["locationCreated"] = new JsonObject { ["@type"] = "Place", ["name"] = place };

        var authors = a.Authors.Select(x => x.Name).ToList();
        if (authors.Count == 0 && a.Byline is { Length: > 0 } byline)
            authors.Add(byline);
        if (authors.Count > 0)
            o["author"] = new JsonArray(authors.Select(n => (JsonNode)new JsonObject { ["@type"] = "Person", ["name"] = n }).ToArray());

        Set(o, "articleSection", a.Section?.Name);
        if (a.Keywords.Concat(a.Tags.Select(t => t.Name)).Distinct().ToList() is { Count: > 0 } keywords)
            o["keywords"] = new JsonArray(keywords.Select(k => (JsonNode)JsonValue.Create(k)!).ToArray());
        o["datePublished"] = NinjsMapper.Time(a.FirstPublishedAt ?? a.PublishedAt ?? a.UpdatedAt);
        o["dateModified"] = NinjsMapper.Time(a.UpdatedAt);
        // schema.org has no character count; Chinese text is measured in characters (字數), which is what readers and
        // editors call its length, so wordCount carries charCount (Han characters one each, Latin words one each).
        o["wordCount"] = a.CharCount;
        o["inLanguage"] = a.Language;
        if (a.Topics.Count > 0)
            o["isPartOf"] = new JsonArray(a.Topics.Select(t => (JsonNode)new JsonObject
            {
                ["@type"] = "CreativeWorkSeries", ["name"] = t.Title, ["url"] = links.Topic(t.Slug),
            }).ToArray());
        o["isAccessibleForFree"] = a.IsAccessibleForFree;
        if (!a.IsAccessibleForFree)
            o["hasPart"] = new JsonObject
            {
                ["@type"] = "WebPageElement", ["isAccessibleForFree"] = false, ["cssSelector"] = ArticleHtml.PaywallSelector,
            };
        // Corrections and clarifications say what was wrong; updates and editor's notes are comments on the story.
        var corrections = a.Notices.Where(n => n.Type is NoticeTypes.Correction or NoticeTypes.Clarification).ToList();
        if (corrections.Count > 0)
            o["correction"] = new JsonArray(corrections.Select(n => (JsonNode)Comment("CorrectionComment", n)).ToArray());
        var comments = a.Notices.Except(corrections).ToList();
        if (comments.Count > 0)
            o["comment"] = new JsonArray(comments.Select(n => (JsonNode)Comment("Comment", n)).ToArray());
        // Syndicated copy names the original it reproduces.
        if (a.CanonicalUrl is { } canonical && canonical != url)
            o["isBasedOn"] = canonical;
        o["publisher"] = new JsonObject { ["@type"] = "Organization", ["name"] = links.Site.Name, ["url"] = links.Home };
        if (a.Source is { Length: > 0 } source && source != links.Site.Name)
            o["sourceOrganization"] = new JsonObject { ["@type"] = "Organization", ["name"] = source };
        if (a.CoverImage is { } cover && links.Absolute(cover.Url) is { } image)
        {
            var picture = new JsonObject { ["@type"] = "ImageObject", ["url"] = image };
            Set(picture, "caption", cover.Caption);
            Set(picture, "creditText", cover.Credit);
            if (cover.Width is { } w)
                picture["width"] = w;
            if (cover.Height is { } h)
                picture["height"] = h;
            o["image"] = picture;
        }
        return o;
    }

    static JsonObject Comment(string type, Notice n) => new()
    {
        ["@type"] = type, ["text"] = n.Text, ["datePublished"] = NinjsMapper.Time(n.At),
    };

    static void Set(JsonObject o, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
            o[name] = value;
    }
}
