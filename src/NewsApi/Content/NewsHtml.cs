using AngleSharp.Dom;
using Ganss.Xss;
using Microsoft.Extensions.Options;

namespace NewsApi.Content;

/// <summary>
/// The one sanitiser of an article's <c>html</c> blocks: an explicit allowlist of what a news story's embedded HTML
/// needs (text markup, links, images, tables, ruby for Chinese, video players) and nothing else. No form elements
/// (a story cannot ask a reader for a password), no <c>class</c> or <c>id</c> (they would borrow the frontend's
/// styles or clobber its anchors), and inline styles only for text: layout, positioning and floats belong to the
/// frontend, so a block can never lay itself over the page. Every link gets <c>rel="noopener nofollow"</c>; an
/// iframe survives only when its https address is on a host of <see cref="HtmlOptions.IframeHosts"/>, a video only when
/// its https address names a video file (<see cref="VideoType"/>). The video and embed blocks follow the same rules,
/// so what they render is what this sanitiser would keep.
/// </summary>
internal sealed class NewsHtml
{
    static readonly string[] Tags =
    [
        "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "div", "span",
        "strong", "b", "em", "i", "u", "s", "del", "ins", "sub", "sup", "small", "mark", "abbr", "time",
        "blockquote", "q", "cite", "code", "pre", "ruby", "rt", "rp",
        "a", "ul", "ol", "li", "dl", "dt", "dd", "figure", "figcaption", "img",
        "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
        "iframe", "video",
    ];

    static readonly string[] Attributes =
    [
        "href", "rel", "target", "title", "lang", "dir", "style",
        "src", "alt", "width", "height", "loading",
        "cite", "datetime", "colspan", "rowspan", "scope", "start", "reversed",
        "allowfullscreen", "referrerpolicy", "controls", "preload", "playsinline", "poster",
    ];

    /// <summary>The video files a page can play, by the extension of their address, and their media types.</summary>
    static readonly Dictionary<string, string> VideoTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".mp4"] = "video/mp4", [".m4v"] = "video/mp4", [".webm"] = "video/webm", [".ogv"] = "video/ogg", [".mov"] = "video/quicktime",
    };

    /// <summary>The extensions of <see cref="VideoTypes"/>, for messages.</summary>
    public static IEnumerable<string> VideoExtensions => VideoTypes.Keys;

    static readonly string[] CssProperties = ["color", "background-color", "font-weight", "font-style", "text-decoration", "text-align"];

    /// <summary>Link types an editor may keep; <c>opener</c> (and anything unknown) is dropped.</summary>
    static readonly HashSet<string> KeptRel = new(StringComparer.OrdinalIgnoreCase)
        { "noreferrer", "external", "ugc", "sponsored", "author", "license", "help", "tag" };

    /// <summary>What every link says: no handle on this page for the opened one, no endorsement for search engines.</summary>
    static readonly string[] AddedRel = ["noopener", "nofollow"];

    readonly HtmlSanitizer _sanitizer;
    readonly HashSet<string> _iframeHosts;

    public NewsHtml(IOptions<HtmlOptions> options)
    {
        _iframeHosts = new(options.Value.Hosts, StringComparer.OrdinalIgnoreCase);
        var allow = HtmlSanitizerOptions.Empty();
        allow.AllowedTags.UnionWith(Tags);
        allow.AllowedAttributes.UnionWith(Attributes);
        allow.AllowedCssProperties.UnionWith(CssProperties);
        allow.AllowedSchemes.UnionWith(["http", "https", "mailto"]);
        allow.UriAttributes.UnionWith(["href", "src", "cite", "poster"]);
        _sanitizer = new HtmlSanitizer(allow);
        _sanitizer.PostProcessDom += (_, e) => Finish(e.Document.Body);
    }

    public string Sanitize(string html) => _sanitizer.Sanitize(html);

    /// <summary>The hosts an iframe (and an embed block) may show, as configured.</summary>
    public IReadOnlyCollection<string> IframeHosts => _iframeHosts;

    void Finish(IElement? body)
    {
        if (body is null)
            return;
        foreach (var frame in body.QuerySelectorAll("iframe").Where(f => !Embeddable(f.GetAttribute("src"))).ToList())
            frame.Remove();
        foreach (var video in body.QuerySelectorAll("video").Where(v => VideoType(v.GetAttribute("src")) is null).ToList())
            video.Remove();
        foreach (var video in body.QuerySelectorAll("video[poster]").Where(v => !Secure(v.GetAttribute("poster"), out _)).ToList())
            video.RemoveAttribute("poster");
        foreach (var link in body.QuerySelectorAll("a"))
        {
            var kept = (link.GetAttribute("rel") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(KeptRel.Contains).Select(r => r.ToLowerInvariant()).Distinct();
            link.SetAttribute("rel", string.Join(' ', AddedRel.Concat(kept)));
            // A link may open a new tab (safe with noopener); it may not aim at the frontend's own frames.
            if (link.GetAttribute("target") is { } target && target != "_blank")
                link.RemoveAttribute("target");
        }
    }

    /// <summary>Whether an iframe may show this address: https, on a configured host.</summary>
    public bool Embeddable(string? src) => Secure(src, out var url) && _iframeHosts.Contains(url.Host);

    /// <summary>The media type of the video file at this https address; null when it is not one a page may play.</summary>
    public static string? VideoType(string? src) =>
        Secure(src, out var url) && VideoTypes.TryGetValue(Path.GetExtension(url.AbsolutePath), out var type) ? type : null;

    /// <summary>An absolute https address on the default port, without credentials.</summary>
    static bool Secure(string? src, out Uri url) =>
        Uri.TryCreate(src, UriKind.Absolute, out url!) && url.Scheme == Uri.UriSchemeHttps && url.IsDefaultPort && string.IsNullOrEmpty(url.UserInfo);
}
