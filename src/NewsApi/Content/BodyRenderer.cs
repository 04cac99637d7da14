using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace NewsApi.Content;

/// <summary>An entry of an article's table of contents, pointing at a heading's anchor in bodyHtml.</summary>
internal sealed record TocEntry(string Id, string Text, int Level);

/// <summary>Derives the read-only renderings of a body: HTML, plain text and the table of contents.</summary>
internal static class BodyRenderer
{
    // Linear in the length: with backtracking, an html block of "<a" repeated scanned the rest from every "<".
    static readonly System.Text.RegularExpressions.Regex AnyTag = new("<[^>]*>", System.Text.RegularExpressions.RegexOptions.NonBacktracking);

    /// <param name="body">The blocks.</param>
    /// <param name="paywallFrom">The first block of the paywalled part, wrapped in <c>div.paywall</c>; null when the article is free.</param>
    public static string Html(IEnumerable<Block> body, int? paywallFrom = null)
    {
        var html = new StringBuilder();
        var headings = 0;
        var index = 0;
        foreach (var b in body)
        {
            if (index++ == paywallFrom)
                html.Append("<div class=\"paywall\">\n");
            switch (b.Type)
            {
                case BlockTypes.Paragraph:
                    html.Append("<p>").Append(Encode(b.Text)).Append("</p>\n");
                    break;
                case BlockTypes.Heading:
                    var level = HeadingLevel(b);
                    html.Append(CultureInfo.InvariantCulture, $"<h{level} id=\"{AnchorId(++headings)}\">").Append(Encode(b.Text))
                        .Append(CultureInfo.InvariantCulture, $"</h{level}>\n");
                    break;
                case BlockTypes.Quote:
                    html.Append("<blockquote><p>").Append(Encode(b.Text)).Append("</p>");
                    if (!string.IsNullOrEmpty(b.Cite))
                        html.Append("<cite>").Append(Encode(b.Cite)).Append("</cite>");
                    html.Append("</blockquote>\n");
                    break;
                case BlockTypes.Image:
                    html.Append("<figure>");
                    Picture(html, b.Url, b.Alt ?? b.Caption, b.Width, b.Height);
                    Caption(html, b.Caption, b.Credit);
                    html.Append("</figure>\n");
                    break;
                case BlockTypes.Gallery:
                    html.Append("<figure><ul>");
                    foreach (var image in b.Images ?? [])
                    {
                        html.Append("<li><figure>");
                        Picture(html, image.Url, image.Alt ?? image.Caption, image.Width, image.Height);
                        Caption(html, image.Caption, image.Credit);
                        html.Append("</figure></li>");
                    }
                    html.Append("</ul></figure>\n");
                    break;
                case BlockTypes.Video:
                    // Validated on write as the sanitiser judges a video (an https video file), so it renders as written.
                    html.Append("<figure><video src=\"").Append(Encode(b.Url)).Append('"');
                    if (b.Poster is { Url: { Length: > 0 } poster })
                        html.Append(" poster=\"").Append(Encode(poster)).Append('"');
                    html.Append(" controls=\"\" preload=\"metadata\" playsinline=\"\"></video>");
                    Caption(html, b.Caption, b.Credit);
                    html.Append("</figure>\n");
                    break;
                case BlockTypes.Embed:
                    // Validated on write as the sanitiser judges an iframe (https, a host of Html:IframeHosts).
                    html.Append("<figure><iframe src=\"").Append(Encode(b.Url)).Append('"');
                    if (!string.IsNullOrEmpty(b.Caption))
                        html.Append(" title=\"").Append(Encode(b.Caption)).Append('"');
                    html.Append(" loading=\"lazy\" allowfullscreen=\"\" referrerpolicy=\"strict-origin-when-cross-origin\"></iframe>");
                    Caption(html, b.Caption, null);
                    html.Append("</figure>\n");
                    break;
                case BlockTypes.List:
                    var tag = b.Ordered == true ? "ol" : "ul";
                    html.Append('<').Append(tag).Append('>');
                    foreach (var item in b.Items ?? [])
                        html.Append("<li>").Append(Encode(item)).Append("</li>");
                    html.Append("</").Append(tag).Append(">\n");
                    break;
                case BlockTypes.Html:
                    // Sanitised when written; stored HTML is trusted here.
                    html.Append(b.Html).Append('\n');
                    break;
            }
        }
        if (paywallFrom is { } from && from <= index)
        {
            if (from == index)
                html.Append("<div class=\"paywall\">\n");
            html.Append("</div>\n");
        }
        return html.ToString();
    }

    static void Picture(StringBuilder html, string? url, string? alt, int? width, int? height)
    {
        html.Append("<img src=\"").Append(Encode(url)).Append("\" alt=\"").Append(Encode(alt)).Append('"');
        if (width is { } w && height is { } h)
            html.Append(CultureInfo.InvariantCulture, $" width=\"{w}\" height=\"{h}\"");
        html.Append('>');
    }

    static void Caption(StringBuilder html, string? caption, string? credit)
    {
        if (!string.IsNullOrEmpty(caption) || !string.IsNullOrEmpty(credit))
            html.Append("<figcaption>").Append(Encode(string.Join(" ", new[] { caption, credit }.Where(s => !string.IsNullOrEmpty(s))))).Append("</figcaption>");
    }

    public static string Text(IEnumerable<Block> body) => string.Join("\n\n", body.Select(BlockText).Where(t => t.Length > 0));

    public static IReadOnlyList<TocEntry> Toc(IEnumerable<Block> body) => body
        .Where(b => b.Type == BlockTypes.Heading)
        .Select((b, i) => new TocEntry(AnchorId(i + 1), b.Text ?? "", HeadingLevel(b)))
        .ToList();

    static string BlockText(Block b) => b.Type switch
    {
        BlockTypes.Paragraph or BlockTypes.Heading => b.Text ?? "",
        BlockTypes.Quote => string.IsNullOrEmpty(b.Cite) ? b.Text ?? "" : $"{b.Text} —— {b.Cite}",
        BlockTypes.Image or BlockTypes.Video or BlockTypes.Embed => b.Caption ?? "",
        BlockTypes.Gallery => string.Join("\n", (b.Images ?? []).Select(i => i.Caption).Where(c => !string.IsNullOrEmpty(c))),
        BlockTypes.List => string.Join("\n", b.Items ?? []),
        BlockTypes.Html => HtmlToText(b.Html),
        _ => "",
    };

    static string HtmlToText(string? html) => string.IsNullOrEmpty(html)
        ? ""
        : System.Net.WebUtility.HtmlDecode(AnyTag.Replace(html, " ")).Trim();

    static int HeadingLevel(Block b) => Math.Clamp(b.Level ?? 2, 2, 4);

    // Numbered anchors rather than text-derived ones: Chinese headings make poor URL fragments.
    static string AnchorId(int n) => $"section-{n}";

    // Chinese stays as characters; only markup-significant characters are escaped.
    static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    static string Encode(string? s) => Encoder.Encode(s ?? "");
}
