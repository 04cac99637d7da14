using System.Globalization;
using System.Text.Json.Nodes;
using NewsApi.Reads;
using NewsApi.Content;
using NewsApi.Data.Entities;
using NewsApi.Site;

namespace NewsApi.Features.Articles.Representations;

/// <summary>
/// An article as IPTC ninjs (News in JSON) 3.1, or 2.2 for older consumers: 2.x has the same structure with
/// all-lower-case member names, so 2.2 is derived from 3.1 rather than mapped twice.
/// </summary>
internal static class NinjsMapper
{
    public const string Version3 = "3.1";
    public const string Version2 = "2.2";

    public static JsonObject Map(ArticleResponse a, SiteLinks links, bool version2 = false)
    {
        var ninjs = Map3(a, links);
        return version2 ? To2(ninjs) : ninjs;
    }

    static JsonObject Map3(ArticleResponse a, SiteLinks links)
    {
        var o = new JsonObject
        {
            ["uri"] = SiteLinks.ArticleUri(a.Id),
            ["standard"] = Standard(Version3),
            ["type"] = "text",
            ["representationType"] = "full",
            ["pubStatus"] = "usable",
            ["language"] = a.Language,
            ["slugline"] = a.Slug,
            ["firstCreated"] = Time(a.FirstPublishedAt ?? a.PublishedAt ?? a.UpdatedAt),
            ["versionCreated"] = Time(a.UpdatedAt),
            ["headlines"] = Array(Text("main", a.Title), a.Subtitle is { Length: > 0 } sub ? Text("sub", sub) : null),
        };

        var descriptions = Array([
            a.Summary is { Length: > 0 } summary ? Text("summary", summary) : null,
            // ninjs has no dateline member; the wire's own dateline text travels as a description, its place as located.
            a.Dateline is { Text.Length: > 0 } dateline ? Text("dateline", dateline.Text) : null,
            // nor notices: each travels as a description in the role of its type (the rich text body carries them too).
            .. a.Notices.Select(n => Text(n.Type, n.Text))]);
        if (descriptions.Count > 0)
            o["descriptions"] = descriptions;

        // charCount counts as Chinese readers do (Han characters one each, Latin words one each), without captions.
        var withoutCaptions = ChineseText.CountCharacters(BodyRenderer.Text(a.Body.Where(b => !BlockTypes.Media.Contains(b.Type))));
        o["bodies"] = new JsonArray(
            new JsonObject { ["role"] = "main", ["contentType"] = "text/plain", ["charCount"] = withoutCaptions, ["value"] = a.BodyText },
            new JsonObject { ["role"] = "richtext", ["contentType"] = "text/html", ["charCount"] = withoutCaptions, ["value"] = a.BodyHtml });

        // The genre as readers are told it (sponsored content by its label, 贊助內容), and its code as a literal.
        o["genres"] = new JsonArray(new JsonObject { ["name"] = a.Label ?? a.Genre, ["literal"] = a.Genre });
        if (a.Urgency is { } urgency)
            o["urgency"] = urgency;

        var by = a.Byline is { Length: > 0 } byline ? byline : a.Authors.Count > 0 ? string.Join("、", a.Authors.Select(x => x.Name)) : null;
        if (by is not null)
            o["by"] = by;
        if (a.Dateline?.Place is { Length: > 0 } place)
            o["located"] = place;
        if (a.Authors.Count > 0)
            o["people"] = new JsonArray(a.Authors.Select(x => (JsonNode)new JsonObject { ["name"] = x.Name, ["rel"] = "author", ["literal"] = x.Slug }).ToArray());

        var subjects = new JsonArray();
        if (a.Section is { } section)
            subjects.Add(new JsonObject { ["name"] = section.Name, ["rel"] = "section", ["literal"] = section.Slug, ["uri"] = links.Section(section.Slug) });
        foreach (var tag in a.Tags)
            subjects.Add(new JsonObject { ["name"] = tag.Name, ["rel"] = "tag", ["literal"] = tag.Slug });
        foreach (var topic in a.Topics)
            subjects.Add(new JsonObject { ["name"] = topic.Title, ["rel"] = "topic", ["literal"] = topic.Slug, ["uri"] = links.Topic(topic.Slug) });
        if (subjects.Count > 0)
            o["subjects"] = subjects;

        var sources = Array(
            a.Source is { Length: > 0 } source ? new JsonObject { ["name"] = source, ["role"] = "source" } : null,
            a.Dateline?.Agency is { Length: > 0 } agency && agency != a.Source ? new JsonObject { ["name"] = agency, ["role"] = "agency" } : null);
        if (sources.Count > 0)
            o["infoSources"] = sources;

        o["altIds"] = Array(
            new JsonObject { ["role"] = "id", ["value"] = a.Id.ToString() },
            new JsonObject { ["role"] = "slug", ["value"] = a.Slug },
            a.ExternalId is { Length: > 0 } external ? new JsonObject { ["role"] = "externalId", ["value"] = external } : null);
        // The web page is a rendition of the same text.
        o["renditions"] = new JsonArray(new JsonObject { ["name"] = "web", ["href"] = links.Article(a.Slug, a.Id), ["contentType"] = "text/html" });

        var associations = Array(Associations(a, links).ToArray());
        if (associations.Count > 0)
            o["associations"] = associations;
        return o;
    }

    /// <summary>
    /// The story's pictures and videos: the cover (featureimage), then the body's in order (image blocks and gallery
    /// pictures as image-n, videos as video-n with their posters as video-n-poster). A picture from the media library
    /// lists its renditions; one given by url, that url.
    /// </summary>
    static IEnumerable<JsonObject?> Associations(ArticleResponse a, SiteLinks links)
    {
        yield return Picture("featureimage", "featureimage", a.CoverImage, links);
        var (images, videos) = (0, 0);
        foreach (var b in a.Body)
            switch (b.Type)
            {
                case BlockTypes.Image:
                    yield return Picture($"image-{++images}", "inline", new Image(b.Url ?? "", b.Caption, b.Credit, b.Alt, b.Width, b.Height, b.AssetId, b.Renditions), links);
                    break;
                case BlockTypes.Gallery:
                    foreach (var picture in b.Images ?? [])
                        yield return Picture($"image-{++images}", "gallery", picture, links);
                    break;
                case BlockTypes.Video when links.Absolute(b.Url) is { } href:
                    var name = $"video-{++videos}";
                    var video = new JsonObject
                    {
                        ["name"] = name, ["rel"] = "inline", ["uri"] = href, ["type"] = "video",
                        ["renditions"] = new JsonArray(new JsonObject { ["name"] = "original", ["href"] = href, ["contentType"] = NewsHtml.VideoType(b.Url) }),
                    };
                    if (b.Caption is { Length: > 0 })
                        video["descriptions"] = new JsonArray(Text("caption", b.Caption));
                    if (b.Credit is { Length: > 0 })
                        video["by"] = b.Credit;
                    yield return video;
                    yield return Picture($"{name}-poster", "poster", b.Poster, links);
                    break;
            }
    }

    static JsonObject? Picture(string name, string rel, Image? image, SiteLinks links)
    {
        if (image is null || links.Absolute(image.Url) is not { } href)
            return null;
        var renditions = image.Renditions is { Count: > 0 } made
            ? made.Select(r => (JsonNode)Rendition($"{r.Preset}.{r.Format}", links.Absolute(r.Url)!, Media.Renditions.Format(r.Format)?.ContentType, r.Width, r.Height))
            : [Rendition("original", href, null, image.Width, image.Height)];
        var picture = new JsonObject { ["name"] = name, ["rel"] = rel, ["uri"] = href, ["type"] = "picture", ["renditions"] = new JsonArray(renditions.ToArray()) };
        var descriptions = Array(image.Caption is { Length: > 0 } caption ? Text("caption", caption) : null,
            image.Alt is { Length: > 0 } alt ? Text("alt", alt) : null);
        if (descriptions.Count > 0)
            picture["descriptions"] = descriptions;
        if (image.Credit is { Length: > 0 })
            picture["by"] = image.Credit;
        return picture;
    }

    static JsonObject Rendition(string name, string href, string? contentType, int? width, int? height)
    {
        var rendition = new JsonObject { ["name"] = name, ["href"] = href };
        if (contentType is not null)
            rendition["contentType"] = contentType;
        if (width is { } w)
            rendition["width"] = w;
        if (height is { } h)
            rendition["height"] = h;
        return rendition;
    }

    /// <summary>ninjs 2.x: the 3.x names lower-cased, without the association rel that 2.x lacks.</summary>
    static JsonObject To2(JsonObject three)
    {
        var two = (JsonObject)Lower(three)!;
        two["standard"] = Standard(Version2);
        foreach (var association in two["associations"]?.AsArray() ?? [])
            association!.AsObject().Remove("rel");
        return two;
    }

    static JsonNode? Lower(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key.ToLowerInvariant(), Lower(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Lower).ToArray()),
        _ => node?.DeepClone(),
    };

    static JsonObject Standard(string version) => new()
    {
        ["name"] = "ninjs",
        ["version"] = version,
        ["schema"] = $"http://www.iptc.org/std/ninjs/ninjs-schema_{version}.json#",
    };

    static JsonObject Text(string role, string value) => new() { ["role"] = role, ["value"] = value };

    static JsonArray Array(params JsonObject?[] items) => new(items.Where(i => i is not null).Select(i => (JsonNode)i!).ToArray());

    internal static string Time(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
