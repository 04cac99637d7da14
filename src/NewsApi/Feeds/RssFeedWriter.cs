using System.ServiceModel.Syndication;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using NewsApi.Site;

namespace NewsApi.Feeds;

/// <summary>RSS 2.0 through System.ServiceModel.Syndication, with the extensions readers expect for full text and names.</summary>
internal static class RssFeedWriter
{
    static readonly XNamespace Dc = "http://purl.org/dc/elements/1.1/";
    static readonly XNamespace ContentNs = "http://purl.org/rss/1.0/modules/content/";

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
            return item;
        }).ToList();

        return Xml.Write(w => new Rss20FeedFormatter(rss, serializeExtensionsAsAtom: true).WriteTo(w));
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
