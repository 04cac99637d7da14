using System.Text.Json.Nodes;
using NewsApi.Reads;
using NewsApi.Site;

namespace NewsApi.Features.Articles.Representations;

/// <summary>An article as a schema.org NewsArticle in JSON-LD, what search engines read from a story's page.</summary>
internal static class JsonLdMapper
{
    public static JsonObject Map(ArticleResponse a, SiteLinks links)
    {
        var url = links.Article(a.Slug, a.Id);
        var o = new JsonObject
        {
            ["@context"] = "https://schema.org",
            ["@type"] = "NewsArticle",
            ["@id"] = SiteLinks.ArticleUri(a.Id),
            ["identifier"] = SiteLinks.ArticleUri(a.Id),
            ["url"] = url,
            ["mainEntityOfPage"] = new JsonObject { ["@type"] = "WebPage", ["@id"] = url },
            ["headline"] = a.Title,
        };
        Set(o, "alternativeHeadline", a.Subtitle);
        Set(o, "description", a.Summary);
        o["articleBody"] = a.BodyText;
        Set(o, "dateline", a.Dateline?.Text);
        if (a.Dateline?.Place is { Length: > 0 } place)
            o["locationCreated"] = new JsonObject { ["@type"] = "Place", ["name"] = place };

        var authors = a.Authors.Select(x => x.Name).ToList();
        if (authors.Count == 0 && a.Byline is { Length: > 0 } byline)
            authors.Add(byline);
        if (authors.Count > 0)
            o["author"] = new JsonArray(authors.Select(n => (JsonNode)new JsonObject { ["@type"] = "Person", ["name"] = n }).ToArray());

        Set(o, "articleSection", a.Section?.Name);
        if (a.Tags.Count > 0)
            o["keywords"] = new JsonArray(a.Tags.Select(t => (JsonNode)JsonValue.Create(t.Name)!).ToArray());
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

    static void Set(JsonObject o, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
            o[name] = value;
    }
}
