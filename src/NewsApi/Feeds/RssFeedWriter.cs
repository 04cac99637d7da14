using System.ServiceModel.Syndication;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using NewsApi.Data.Entities;
using NewsApi.Media;
using NewsApi.Site;

namespace NewsApi.Feeds;

/// <summary>RSS 2.0 through System.ServiceModel.Syndication, with the extensions readers expect for full text and names.</summary>
internal static class RssFeedWriter
{
    static readonly XNamespace Dc = "http://purl.org/dc/elements/1.1/";
    static readonly XNamespace ContentNs = "http://purl.org/rss/1.0/modules/content/";
    static readonly XNamespace MediaNs = "http://search.yahoo.com/mrss/";

    public static byte[] Write(Feed feed)
    {
        var rss = new SyndicationFeed(feed.Title, feed.Description ?? feed.Title, new Uri(feed.HomePageUrl))
        {
            // RSS wants the older language-region codes: zh-Hant → zh-tw (see LanguageTags).
            Language = LanguageTags.ForRss(feed.Language),
            LastUpdatedTime = feed.Updated,
            Generator = "NewsApi",
        };
        rss.Links.Add(SyndicationLink.CreateSelfLink(new Uri(feed.SelfUrl), FeedFormats.RssType));
        if (feed.ImageUrl is not null)
            rss.ImageUrl = new Uri(feed.ImageUrl);
        rss.AttributeExtensions.Add(new XmlQualifiedName("dc", XNamespace.Xmlns.NamespaceName), Dc.NamespaceName);
        rss.AttributeExtensions.Add(new XmlQualifiedName("content", XNamespace.Xmlns.NamespaceName), ContentNs.NamespaceName);
        rss.AttributeExtensions.Add(new XmlQualifiedName("media", XNamespace.Xmlns.NamespaceName), MediaNs.NamespaceName);

        rss.Items = feed.Items.Select(i =>
        {
            var item = new SyndicationItem
            {
                Id = i.Id,
                Title = new TextSyndicationContent(i.Title),
                Summary = new TextSyndicationContent(i.Summary ?? i.Subtitle ?? i.Title),
                PublishDate = i.Published,
            };
            item.Links.Add(SyndicationLink.CreateAlternateLink(new Uri(i.Url)));
            if (i.Section is not null)
                item.Categories.Add(new SyndicationCategory(i.Section));
            foreach (var tag in i.Tags)
                item.Categories.Add(new SyndicationCategory(tag));
            // RSS's own <author> must be an e-mail address; newsrooms name their writers with dc:creator.
            foreach (var author in i.Authors)
                item.ElementExtensions.Add(Prefixed(Dc + "creator", "dc", author));
            item.ElementExtensions.Add(Prefixed(ContentNs + "encoded", "content", i.ContentHtml));
            if (i.Image is { } image)
                Cover(item, image);
            return item;
        }).ToList();

        return Xml.Write(w => new Rss20FeedFormatter(rss, serializeExtensionsAsAtom: true).WriteTo(w));
    }

    /// <summary>
    /// The cover image twice, as readers differ: an enclosure (RSS's own; its length is unknown for a rendition made on
    /// demand, which RSS allows as 0) when its type is known, and Media RSS's media:content with size, caption and credit.
    /// </summary>
    static void Cover(SyndicationItem item, Image image)
    {
        var type = ImageFormats.ByAddress(image.Url)?.ContentType;
        // Written by hand: the formatter leaves out a length of 0, which RSS requires.
        if (type is not null)
            item.ElementExtensions.Add(new XElement("enclosure", new XAttribute("url", image.Url), new XAttribute("length", 0), new XAttribute("type", type)).CreateReader());
        var content = new XElement(MediaNs + "content", new XAttribute(XNamespace.Xmlns + "media", MediaNs.NamespaceName),
            new XAttribute("url", image.Url), new XAttribute("medium", "image"));
        if (type is not null)
            content.Add(new XAttribute("type", type));
        if (image.Width is { } w && image.Height is { } h)
            content.Add(new XAttribute("width", w), new XAttribute("height", h));
        if (image.Caption is { Length: > 0 } caption)
            content.Add(new XElement(MediaNs + "description", new XAttribute("type", "plain"), caption));
        if (image.Credit is { Length: > 0 } credit)
            content.Add(new XElement(MediaNs + "credit", credit));
        item.ElementExtensions.Add(content.CreateReader());
    }

    // Declaring the prefix on the element makes the writer use it (the channel already declares it, so it is not repeated).
    static XmlReader Prefixed(XName name, string prefix, string value) =>
        new XElement(name, new XAttribute(XNamespace.Xmlns + prefix, name.NamespaceName), value).CreateReader();
}

/// <summary>XML documents as UTF-8 bytes without a byte order mark, indented for people reading them in curl.</summary>
internal static class Xml
{
    public static byte[] Write(Action<XmlWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new StrippingXmlWriter(XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true })))
            write(writer);
        return stream.ToArray();
    }
}
