using System.Text.RegularExpressions;

namespace NewsApi.Site;

/// <summary>
/// Articles carry BCP 47 tags (zh-Hant, zh-Hans, en). Atom's xml:lang, JSON Feed, ninjs and JSON-LD take them as they
/// are; RSS 2.0 and Google News predate script subtags and want the older language-region codes.
/// </summary>
internal static partial class LanguageTags
{
    public static bool IsWellFormed(string? tag) => tag is not null && Tag().IsMatch(tag);

    /// <summary>
    /// RSS &lt;language&gt; (RFC 1766 language-country codes): zh-Hant → zh-tw and zh-Hans → zh-cn, the codes feed
    /// readers and the W3C feed validator know; a region wins over a script (zh-Hant-HK → zh-hk); others keep
    /// language and region, lower-cased (en-GB → en-gb).
    /// </summary>
    public static string ForRss(string tag)
    {
        var (language, script, region) = Split(tag);
        if (region is not null)
            return $"{language}-{region}";
        if (language == "zh" && script is not null)
            return script == "hant" ? "zh-tw" : "zh-cn";
        return language;
    }

    /// <summary>
    /// Google News' news:language: an ISO 639 code, except Chinese, which must be zh-cn (Simplified) or zh-tw
    /// (Traditional) — so zh-Hant-HK is zh-tw too. Chinese with neither script nor region is taken as Simplified,
    /// as zh is read elsewhere; Traditional regions (TW, HK, MO) count as Traditional.
    /// </summary>
    public static string ForGoogleNews(string tag)
    {
        var (language, script, region) = Split(tag);
        if (language != "zh")
            return language;
        var traditional = script == "hant" || (script is null && region is "tw" or "hk" or "mo");
        return traditional ? "zh-tw" : "zh-cn";
    }

    static (string Language, string? Script, string? Region) Split(string tag)
    {
        var parts = tag.ToLowerInvariant().Split('-');
        string? script = null, region = null;
        foreach (var part in parts.Skip(1))
        {
            if (part.Length == 4 && script is null && region is null && part.All(char.IsAsciiLetter))
                script = part;
            else if ((part.Length == 2 && part.All(char.IsAsciiLetter)) || (part.Length == 3 && part.All(char.IsAsciiDigit)))
                region ??= part;
            else
                break; // variants and extensions carry nothing these older formats can say
        }
        return (parts[0], script, region);
    }

    // language[-script][-region][-variant…], enough to refuse obvious mistakes in configuration.
    [GeneratedRegex("^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$", RegexOptions.NonBacktracking)]
    private static partial Regex Tag();
}
