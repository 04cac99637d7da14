using Microsoft.Extensions.Options;

namespace NewsApi.Site;

/// <summary>Absolute addresses on the public website and stable identifiers, from <see cref="SiteOptions"/>.</summary>
internal sealed class SiteLinks(IOptions<SiteOptions> options)
{
    readonly SiteOptions _site = options.Value;

    public SiteOptions Site => _site;

    /// <summary>The site's address without a trailing slash, the {site} of the templates.</summary>
    public string Home => _site.PublicUrl.TrimEnd('/');

    public string Article(string slug, Guid id) => Fill(_site.ArticleUrlTemplate, slug).Replace("{id}", id.ToString());

    public string Section(string slug) => Fill(_site.SectionUrlTemplate, slug);

    public string Topic(string slug) => Fill(_site.TopicUrlTemplate, slug);

    /// <summary>A path such as /feeds/sections/domestic.rss on the public site (feeds and sitemaps are served there too).</summary>
    public string OnSite(string path) => Home + "/" + path.TrimStart('/');

    /// <summary>An address as stored (absolute, or relative to the site such as /media/a.jpg) made absolute.</summary>
    public string? Absolute(string? url) =>
        string.IsNullOrWhiteSpace(url) ? null
        : Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https" ? absolute.AbsoluteUri
        : Uri.TryCreate(new Uri(Home + "/"), url, out var resolved) ? resolved.AbsoluteUri
        : null;

    /// <summary>
    /// The article's identifier where a format wants a URI that never changes (Atom id, RSS guid, JSON Feed id, ninjs
    /// uri, JSON-LD identifier): its UUID, which survives slug changes and a move of the site to another domain.
    /// The urn:newsapi: namespace is the one problem types already use.
    /// </summary>
    public static string ArticleUri(Guid id) => $"urn:newsapi:article:{id}";

    string Fill(string template, string slug) => template.Replace("{site}", Home).Replace("{slug}", Uri.EscapeDataString(slug));
}
