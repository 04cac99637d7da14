using System.Text.Json.Nodes;
using NewsApi.Content;
using NewsApi.Data.Entities;
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
        var images = Pictures(a).SelectMany(p => ImageObjects(p, links)).DistinctBy(i => (string?)i["url"]).ToList();
        if (images.Count > 0)
            o["image"] = new JsonArray(images.Select(i => (JsonNode)i).ToArray());
        var videos = a.Body.Where(b => b.Type == BlockTypes.Video && links.Absolute(b.Url) is not null)
            .Select(b => (JsonNode)Video(b, a, links)).ToArray();
        if (videos.Length > 0)
            o["video"] = new JsonArray(videos);
        return o;
    }

    /// <summary>The cover first, then the body's pictures (image blocks, gallery pictures) in order.</summary>
    static IEnumerable<Image> Pictures(ArticleResponse a) =>
        new[] { a.CoverImage }.Concat(a.Body.SelectMany<Block, Image>(b => b.Type switch
        {
            BlockTypes.Image => [new Image(b.Url ?? "", b.Caption, b.Credit, b.Alt, b.Width, b.Height, b.AssetId, b.Renditions)],
            BlockTypes.Gallery => b.Images ?? [],
            _ => Array.Empty<Image>(),
        })).OfType<Image>();

    /// <summary>
    /// A picture as ImageObjects with their sizes: one per shape its JPEG renditions come in (the largest of each, as
    /// search engines ask for 16:9, 4:3 and 1:1 crops of a story's image), or its own url when it has no renditions.
    /// </summary>
    static IEnumerable<JsonObject> ImageObjects(Image picture, SiteLinks links)
    {
        var sized = picture.Renditions is { Count: > 0 } renditions
            ? renditions.Where(r => r.Format == Media.Renditions.Jpeg.Extension)
                .GroupBy(r => Math.Round((double)r.Width / r.Height, 2))
                .Select(g => g.OrderByDescending(r => r.Url == picture.Url).ThenByDescending(r => r.Width).First())
                .OrderByDescending(r => r.Url == picture.Url).Select(r => (r.Url, (int?)r.Width, (int?)r.Height))
            : [(picture.Url, picture.Width, picture.Height)];
        foreach (var (url, width, height) in sized)
        {
            if (links.Absolute(url) is not { } absolute)
                continue;
            var image = new JsonObject { ["@type"] = "ImageObject", ["url"] = absolute };
            Set(image, "caption", picture.Caption);
            Set(image, "creditText", picture.Credit);
            if (width is { } w)
                image["width"] = w;
            if (height is { } h)
                image["height"] = h;
            yield return image;
        }
    }

    /// <summary>A video block as Google reads one: its file, its poster as thumbnail, a name, and when it went up.</summary>
    static JsonObject Video(Block b, ArticleResponse a, SiteLinks links)
    {
        var video = new JsonObject
        {
            ["@type"] = "VideoObject", ["contentUrl"] = links.Absolute(b.Url), ["name"] = b.Caption ?? a.Title,
            ["uploadDate"] = NinjsMapper.Time(a.FirstPublishedAt ?? a.PublishedAt ?? a.UpdatedAt),
        };
        Set(video, "caption", b.Caption);
        Set(video, "creditText", b.Credit);
        if (links.Absolute(b.Poster?.Url) is { } poster)
            video["thumbnailUrl"] = poster;
        return video;
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
