using System.ServiceModel.Syndication;

namespace NewsApi.Feeds;

/// <summary>Atom 1.0 (RFC 4287) through System.ServiceModel.Syndication; xml:lang carries the BCP 47 tag as it is.</summary>
internal static class AtomFeedWriter
{
    public static byte[] Write(Feed feed, string publication, string publicationUrl)
    {
        var atom = new SyndicationFeed
        {
            Id = feed.Id,
            Title = new TextSyndicationContent(feed.Title),
            Language = feed.Language,
            LastUpdatedTime = feed.Updated,
            Generator = "NewsApi",
        };
        if (feed.Description is not null)
            atom.Description = new TextSyndicationContent(feed.Description);
        atom.Links.Add(SyndicationLink.CreateAlternateLink(new Uri(feed.HomePageUrl), "text/html"));
        atom.Links.Add(SyndicationLink.CreateSelfLink(new Uri(feed.SelfUrl), FeedFormats.AtomType));
        if (feed.ImageUrl is not null)
            atom.ImageUrl = new Uri(feed.ImageUrl);
        // Atom requires an author on every entry; the publication stands in for entries without a named writer.
        atom.Authors.Add(new SyndicationPerson { Name = publication, Uri = publicationUrl });

        atom.Items = feed.Items.Select(i =>
        {
            var entry = new SyndicationItem
            {
                Id = i.Id,
                Title = new TextSyndicationContent(i.Title),
                PublishDate = i.Published,
                LastUpdatedTime = i.Updated,
                Content = SyndicationContent.CreateHtmlContent(i.ContentHtml),
            };
            if (i.Summary is not null)
                entry.Summary = new TextSyndicationContent(i.Summary);
            entry.Links.Add(SyndicationLink.CreateAlternateLink(new Uri(i.Url), "text/html"));
            if (i.Image is not null)
                entry.Links.Add(new SyndicationLink(new Uri(i.Image.Url), "enclosure", i.Image.Caption, Media.ImageFormats.ByAddress(i.Image.Url)?.ContentType, 0));
            foreach (var author in i.Authors)
                entry.Authors.Add(new SyndicationPerson { Name = author });
            if (i.Section is not null)
                entry.Categories.Add(new SyndicationCategory(i.Section));
            foreach (var tag in i.Tags)
                entry.Categories.Add(new SyndicationCategory(tag));
            return entry;
        }).ToList();

        return Xml.Write(w => new Atom10FeedFormatter(atom).WriteTo(w));
    }
}
