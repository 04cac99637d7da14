using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using NewsApi.Data.Entities;

namespace NewsApi.Content;

/// <summary>
/// An article's bodyHtml: the body's HTML (<see cref="BodyRenderer"/>) with what readers must see around it, marked
/// so a frontend can style or move it: the sponsored label and editor's notes first, the paywalled part wrapped
/// (<c>div.paywall</c>, which JSON-LD's hasPart names), and the corrections, clarifications and updates last.
/// </summary>
internal static class ArticleHtml
{
    /// <summary>The CSS selector of the paywalled part, as JSON-LD's hasPart gives it to search engines.</summary>
    public const string PaywallSelector = ".paywall";

    public static string Of(Article a) => Of(a.Body, a.Notices, a.Genre, a.Language, a.IsAccessibleForFree, a.PaywallAfter);

    public static string Of(IReadOnlyList<Block> body, IReadOnlyList<Notice> notices, string? genre, string? language, bool free, int? paywallAfter)
    {
        var html = new StringBuilder();
        if (EditorialLabels.Sponsored(genre, language) is { } label)
            html.Append("<p class=\"label label-sponsored\" data-label=\"sponsored\">").Append(Encode(label)).Append("</p>\n");
        var first = notices.Where(n => n.Type == NoticeTypes.EditorsNote).ToList();
        if (first.Count > 0)
            Notices(html, first, language);
        html.Append(BodyRenderer.Html(body, free ? null : Math.Clamp(paywallAfter ?? 0, 0, body.Count)));
        var last = notices.Where(n => n.Type != NoticeTypes.EditorsNote).ToList();
        if (last.Count > 0)
            Notices(html, last, language);
        return html.ToString();
    }

    static void Notices(StringBuilder html, List<Notice> notices, string? language)
    {
        html.Append("<aside class=\"notices\">");
        foreach (var n in notices)
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"notice notice-{Kebab(n.Type)}\" data-notice=\"{n.Type}\"><strong>")
                .Append(Encode(EditorialLabels.Notice(n.Type, language))).Append("</strong> <time datetime=\"")
                .Append(n.At.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append("\">")
                .Append(n.At.ToUniversalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append("</time> ")
                .Append(Encode(n.Text)).Append("</p>");
        html.Append("</aside>\n");
    }

    static string Kebab(string type) => type == NoticeTypes.EditorsNote ? "editors-note" : type;

    static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    static string Encode(string s) => Encoder.Encode(s);
}
