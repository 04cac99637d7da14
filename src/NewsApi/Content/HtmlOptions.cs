using Microsoft.Extensions.Options;

namespace NewsApi.Content;

/// <summary>Settings of the <c>Html</c> section: what an article's <c>html</c> block may embed.</summary>
internal sealed class HtmlOptions
{
    public const string Section = "Html";

    /// <summary>
    /// Hosts whose pages an <c>iframe</c> may show, such as a video player's: an iframe from any other host is removed
    /// from an html block when it is written, and an embed block naming any other host is refused. Null (unset) means <see cref="DefaultIframeHosts"/>; blank entries are ignored, so one
    /// blank entry allows no iframe (configuration cannot express an empty list). Not defaulted in the list itself
    /// because configuration binding adds to a list rather than replacing it.
    /// </summary>
    public List<string>? IframeHosts { get; set; }

    public static readonly IReadOnlyList<string> DefaultIframeHosts =
        // YouTube, Vimeo, Bilibili, Weibo's video player, X's embedded posts, Instagram's embedded posts.
        ["www.youtube.com", "www.youtube-nocookie.com", "player.vimeo.com", "player.bilibili.com", "video.weibo.com",
         "platform.twitter.com", "www.instagram.com"];

    public IReadOnlyList<string> Hosts => IframeHosts?.Where(h => !string.IsNullOrWhiteSpace(h)).ToList() ?? DefaultIframeHosts;

    public static IServiceCollection Add(IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<HtmlOptions>().Bind(config.GetSection(Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HtmlOptions>, Validator>();
        services.AddSingleton<NewsHtml>();
        return services;
    }

    internal sealed class Validator : IValidateOptions<HtmlOptions>
    {
        public ValidateOptionsResult Validate(string? name, HtmlOptions o)
        {
            // A bare DNS name: a scheme, path, port or wildcard would never equal an iframe's host, so it is a mistake.
            var bad = o.Hosts.Where(h => Uri.CheckHostName(h) != UriHostNameType.Dns || h.Contains('*')).ToList();
            return bad.Count == 0
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail($"{Section}:IframeHosts must list host names such as player.vimeo.com (no scheme, port or path); "
                                             + $"these are not: {string.Join(", ", bad.Select(h => $"'{h}'"))}.");
        }
    }
}

internal static class HtmlSetup
{
    public static IServiceCollection AddNewsHtml(this IServiceCollection services, IConfiguration config) => HtmlOptions.Add(services, config);
}
