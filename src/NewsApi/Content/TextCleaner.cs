using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;
using NewsApi.Content.Mojibake;

namespace NewsApi.Content;

/// <summary>
/// Cleans plain text taken from Chinese wire copy: mis-decoded runs, stray HTML tags, pinyin glosses,
/// line endings and padding. Punctuation is left as the source has it.
/// </summary>
internal static partial class TextCleaner
{
    private const string ToneVowels = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ";
    private static readonly SearchValues<char> ToneVowelSet = SearchValues.Create(ToneVowels);
    private const string PinyinLetter = "[a-zü" + ToneVowels + "]";
    private const string PinyinAnnotationPattern =
        "[(（][ \t]*(?<pinyin>" + PinyinLetter + "+(?:[ \t'’]+" + PinyinLetter + "+)*)[ \t]*[)）]";

    private const string HtmlElements =
        "p|br|div|span|a|b|i|u|em|strong|font|img|h[1-6]|li|ul|ol|table|tbody|thead|tr|td|th|section|article|figure|figcaption|blockquote|sup|sub|small|center|hr";

    /// <summary>Runs every step: line endings, mis-decoding repair, stray markup, pinyin, line trimming.</summary>
    public static string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        var cleaned = NormaliseLineEndings(text.TrimStart('\uFEFF'));
        // Repair comes before pinyin stripping: a gloss after a lost character tells the repair what was lost.
        cleaned = RepairMojibake(cleaned);
        cleaned = StripStrayMarkup(cleaned);
        cleaned = StripPinyin(cleaned);
        return TrimLines(cleaned);
    }

    /// <summary>Turns CRLF, CR and the Unicode line and paragraph separators into LF.</summary>
    public static string NormaliseLineEndings(string text) => text.ReplaceLineEndings("\n");

    /// <summary>Trims every line (including the ideographic space) and drops leading and trailing blank lines; inner blank lines stay.</summary>
    public static string TrimLines(string text)
    {
        var lines = NormaliseLineEndings(text).Split('\n').Select(line => line.Trim());
        return string.Join('\n', lines).Trim('\n');
    }

    /// <summary>
    /// Removes pinyin glosses written after a Han character, as in 「網(wǎng)」 or 「會(huì )」.
    /// The parentheses must hold lowercase pinyin only; the gloss is taken as pinyin when it carries a tone mark,
    /// or when every syllable is a well-formed toneless syllable of two letters or more. Anything else stays:
    /// 「(張煜歡)」, 「(AI)」, 「(5G)」, 「(internet)」.
    /// </summary>
    public static string StripPinyin(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return PinyinAnnotation().Replace(text, match =>
            ChineseText.IsHanBefore(text, match.Index) && IsPinyin(match.Groups["pinyin"].Value) ? "" : match.Value);
    }

    /// <summary>
    /// Removes HTML tags left in plain text (「…來。”&lt;/p&gt;」), including a closing tag whose 「&lt;」 was lost.
    /// Only known element names count, so 「a&lt;b」 and 《書名》 are left alone.
    /// </summary>
    public static string StripStrayMarkup(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var stripped = HtmlTag().Replace(text, "");
        return OrphanClosingTag().Replace(stripped, "");
    }

    /// <summary>
    /// Repairs runs of GBK mis-decoding, such as 「技術?!拔覀兤诖?zhù)向」 → 「技術。“我們期著向」 (待 lost a byte
    /// that nothing pins down; 著 comes back from its gloss, whose 「(」 the '?' had swallowed).
    /// Text with no sign of damage is returned unchanged. See <see cref="MojibakeRepair"/> for the method.
    /// </summary>
    public static string RepairMojibake(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return MojibakeRepair.Repair(text);
    }

    internal static bool IsPinyin(string gloss)
    {
        if (gloss.AsSpan().IndexOfAny(ToneVowelSet) >= 0)
            return true;

        var syllables = gloss.Split([' ', '\t', '\'', '’'], StringSplitOptions.RemoveEmptyEntries);
        // One-letter glosses are more often list markers, 「附件(a)」, than pinyin.
        return syllables.Length > 0 && syllables.All(s => s.Length >= 2 && TonelessSyllable().IsMatch(s));
    }

    /// <summary>Finds a pinyin gloss, without checking what precedes it.</summary>
    [GeneratedRegex(PinyinAnnotationPattern, RegexOptions.NonBacktracking)]
    internal static partial Regex PinyinAnnotation();

    /// <summary>A pinyin gloss starting exactly where the search starts.</summary>
    [GeneratedRegex(@"\G" + PinyinAnnotationPattern)]
    internal static partial Regex PinyinAnnotationHere();

    /// <summary>A pinyin gloss whose opening bracket was lost, starting exactly where the search starts.</summary>
    [GeneratedRegex(@"\G[ \t]*(?<pinyin>" + PinyinLetter + "+(?:[ \t'’]+" + PinyinLetter + "+)*)[ \t]*[)）]")]
    internal static partial Regex PinyinGlossWithoutOpening();

    // Initial + final; it admits a few combinations Mandarin lacks, which is harmless for telling pinyin from English.
    [GeneratedRegex("^(?:[zcs]h|[bpmfdtnlgkhjqxrzcsyw])?(?:a(?:i|o|ng?)?|o(?:u|ng)?|e(?:i|ng?|r)?|i(?:a(?:o|ng?)?|e|u|ng?|ong)?|u(?:a(?:i|ng?)?|[oein])?|[üv](?:e|an|n)?)$", RegexOptions.NonBacktracking)]
    private static partial Regex TonelessSyllable();

    [GeneratedRegex(@"<!--.*?-->|</?(?:" + HtmlElements + @")(?:\s+[a-z_:][-\w:.]*(?:\s*=\s*(?:""[^""<>]*""|'[^'<>]*'|[^\s""'=<>`]+))?)*\s*/?>", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.NonBacktracking)]
    private static partial Regex HtmlTag();

    [GeneratedRegex(@"(?<![A-Za-z0-9</])/(?:" + HtmlElements + ")>", RegexOptions.IgnoreCase)]
    private static partial Regex OrphanClosingTag();
}
