using Microsoft.Extensions.Options;

namespace NewsApi.Site;

/// <summary>
/// Settings of the <c>Site</c> section: the public website the API's content appears on. Feeds, sitemaps and the
/// other article representations build their absolute links from these, never from the request's host, because
/// the API usually sits behind a CDN or a frontend whose address the API cannot see.
/// </summary>
internal sealed class SiteOptions
{
    public const string Section = "Site";

    /// <summary>Absolute address of the public website, such as https://news.example.com.</summary>
    public string PublicUrl { get; set; } = "http://localhost:5080";

    /// <summary>The publication's name, as readers and Google News know it (feeds' author, news:publication/name, JSON-LD publisher).</summary>
    public string Name { get; set; } = "NewsApi";

    /// <summary>Language of the publication (BCP 47) for feeds that have no articles to take it from.</summary>
    public string Language { get; set; } = "zh-Hant";

    /// <summary>Where the website shows an article: {site} is PublicUrl, {slug} and {id} the article's.</summary>
    public string ArticleUrlTemplate { get; set; } = "{site}/articles/{slug}";

    /// <summary>Where the website shows a section's page: {site} and {slug}.</summary>
    public string SectionUrlTemplate { get; set; } = "{site}/sections/{slug}";

    /// <summary>Where the website shows a topic page (專題): {site} and {slug}.</summary>
    public string TopicUrlTemplate { get; set; } = "{site}/topics/{slug}";

    /// <summary>How many articles a feed carries, newest first.</summary>
    public int FeedItems { get; set; } = 50;

    /// <summary>URLs per sitemap file; beyond this /sitemap.xml becomes an index of /sitemap-{n}.xml. The protocol allows 50,000.</summary>
    public int SitemapPageSize { get; set; } = MaxSitemapPageSize;

    /// <summary>The sitemaps protocol's limit of URLs per file.</summary>
    public const int MaxSitemapPageSize = 50_000;

    public static IServiceCollection Add(IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<SiteOptions>().Bind(config.GetSection(Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SiteOptions>, Validator>();
        services.AddSingleton<SiteLinks>();
        return services;
    }

    internal sealed class Validator : IValidateOptions<SiteOptions>
    {
        public ValidateOptionsResult Validate(string? name, SiteOptions o)
        {
            var errors = new List<string>();
            if (!Uri.TryCreate(o.PublicUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")
                || !string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment))
                errors.Add($"{Section}:PublicUrl must be an absolute http(s) address without query or fragment, such as https://news.example.com; it is '{o.PublicUrl}'.");
            if (string.IsNullOrWhiteSpace(o.Name))
                errors.Add($"{Section}:Name must name the publication.");
            if (!LanguageTags.IsWellFormed(o.Language))
                errors.Add($"{Section}:Language must be a BCP 47 language tag such as zh-Hant; it is '{o.Language}'.");
            if (!o.ArticleUrlTemplate.Contains("{slug}") && !o.ArticleUrlTemplate.Contains("{id}"))
                errors.Add($"{Section}:ArticleUrlTemplate must contain {{slug}} or {{id}}.");
            foreach (var (key, template) in new[] { ("SectionUrlTemplate", o.SectionUrlTemplate), ("TopicUrlTemplate", o.TopicUrlTemplate) })
                if (!template.Contains("{slug}"))
                    errors.Add($"{Section}:{key} must contain {{slug}}.");
            foreach (var (key, template) in new[] { ("ArticleUrlTemplate", o.ArticleUrlTemplate), ("SectionUrlTemplate", o.SectionUrlTemplate), ("TopicUrlTemplate", o.TopicUrlTemplate) })
                if (!Uri.TryCreate(template.Replace("{site}", "http://localhost").Replace("{slug}", "x").Replace("{id}", "x"), UriKind.Absolute, out var filled)
                    || filled.Scheme is not ("http" or "https"))
                    errors.Add($"{Section}:{key} must give an absolute address, such as {{site}}/articles/{{slug}}.");
            if (o.FeedItems is < 1 or > 500)
                errors.Add($"{Section}:FeedItems must be from 1 to 500.");
            if (o.SitemapPageSize is < 1 or > MaxSitemapPageSize)
                errors.Add($"{Section}:SitemapPageSize must be from 1 to {MaxSitemapPageSize}, the protocol's limit.");
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}

internal static class SiteSetup
{
    public static IServiceCollection AddSite(this IServiceCollection services, IConfiguration config) => SiteOptions.Add(services, config);
}
