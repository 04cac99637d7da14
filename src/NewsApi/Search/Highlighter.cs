using System.Text;

namespace NewsApi.Search;

/// <summary>
/// Finds a query's terms in an article's text the way the index does (in folded space, so 乌镇 finds 烏鎮 and ５Ｇ
/// finds 5G) and writes HTML: the text escaped first, then <c>&lt;mark&gt;</c> around each match.
/// </summary>
internal static class Highlighter
{
    public const int SnippetLength = 120;
    const int Lead = 30;

    /// <summary>Source ranges (start, end) of every match of any term, merged and in order.</summary>
    public static List<(int Start, int End)> Matches(string text, IEnumerable<SearchTerm> terms)
    {
        var folded = FoldedText.Of(text);
        var ranges = new List<(int Start, int End)>();
        foreach (var term in terms)
        {
            for (var at = folded.Compact.IndexOf(term.Compact, StringComparison.Ordinal); at >= 0;
                 at = folded.Compact.IndexOf(term.Compact, at + 1, StringComparison.Ordinal))
                ranges.Add((folded.Starts[at], folded.Ends[at + term.Compact.Length - 1]));
        }
        ranges.Sort();
        var merged = new List<(int Start, int End)>(ranges.Count);
        foreach (var r in ranges)
        {
            if (merged.Count > 0 && r.Start <= merged[^1].End)
                merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, r.End));
            else
                merged.Add(r);
        }
        return merged;
    }

    /// <summary>The whole text as HTML with its matches marked.</summary>
    public static string Mark(string text, IReadOnlyList<(int Start, int End)> matches) => Mark(text, matches, 0, text.Length);

    /// <summary>
    /// About <see cref="SnippetLength"/> characters of the text around its first match (the start of the text when
    /// nothing matches), as HTML with matches marked and … where the excerpt cuts the text.
    /// </summary>
    public static string Snippet(string text, IReadOnlyList<(int Start, int End)> matches)
    {
        var start = matches.Count == 0 ? 0 : Math.Max(0, matches[0].Start - Lead);
        var end = Math.Min(text.Length, start + SnippetLength);
        start = Math.Max(0, Math.Min(start, end - SnippetLength));
        if (start > 0 && char.IsLowSurrogate(text[start]))
            start--;
        if (end < text.Length && char.IsLowSurrogate(text[end]))
            end++;
        return (start > 0 ? "…" : "") + Mark(text, matches, start, end).Trim() + (end < text.Length ? "…" : "");
    }

    static string Mark(string text, IReadOnlyList<(int Start, int End)> matches, int from, int to)
    {
        var html = new StringBuilder(to - from + 32);
        var at = from;
        foreach (var (start, end) in matches)
        {
            if (end <= from || start >= to)
                continue;
            var s = Math.Max(start, from);
            var e = Math.Min(end, to);
            Escape(html, text, at, s);
            html.Append("<mark>");
            Escape(html, text, s, e);
            html.Append("</mark>");
            at = e;
        }
        Escape(html, text, at, to);
        return html.ToString();
    }

    static void Escape(StringBuilder html, string text, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            switch (text[i])
            {
                case '&': html.Append("&amp;"); break;
                case '<': html.Append("&lt;"); break;
                case '>': html.Append("&gt;"); break;
                case '"': html.Append("&quot;"); break;
                case '\'': html.Append("&#39;"); break;
                case '\n' or '\r' or '\t': html.Append(' '); break;
                default: html.Append(text[i]); break;
            }
        }
    }
}
