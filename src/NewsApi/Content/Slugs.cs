using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using AnyAscii;
using Microsoft.EntityFrameworkCore;

namespace NewsApi.Content;

/// <summary>URL slugs: lowercase ASCII words joined by hyphens; Chinese titles become pinyin syllables.</summary>
internal static partial class Slugs
{
    /// <summary>The longest slug the service makes or accepts in a write, and the longest a reference to one may be.</summary>
    public const int MaxLength = 80;

    /// <summary>
    /// The longest slug a lookup accepts (an address, a filter), and the width of the widest slug columns (articles,
    /// their old slugs, topics), so rows written under an older, looser rule stay reachable. Longer answers 400 or 404
    /// without a query.
    /// </summary>
    public const int MaxLookupLength = 200;

    [GeneratedRegex("^[a-z0-9]+(?:-[a-z0-9]+)*$", RegexOptions.NonBacktracking)]
    public static partial Regex Valid();

    /// <summary>
    /// 心向“網”之:為何是烏鎮? → xin-xiang-wang-zhi-wei-he-shi-wu-zhen. Each Han character is transliterated
    /// on its own (AnyAscii's Mandarin readings) so syllables stay apart; never empty, cut at a hyphen.
    /// </summary>
    public static string From(string title, string fallback)
    {
        var words = new StringBuilder();
        foreach (var rune in title.Normalize(NormalizationForm.FormKC).EnumerateRunes())
        {
            var ascii = rune.ToString().Transliterate();
            var han = ChineseText.IsHan(rune.Value);
            if (han)
                words.Append('-');
            foreach (var c in ascii.ToLowerInvariant())
                words.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
            if (han)
                words.Append('-');
        }
        var slug = Hyphens().Replace(words.ToString(), "-").Trim('-');
        if (slug.Length > MaxLength)
        {
            // Cut at the last word break that fits; one word longer than the limit (no break at all) is cut inside it.
            var cut = slug.LastIndexOf('-', MaxLength);
            slug = slug[..(cut > 0 ? cut : MaxLength)].Trim('-');
        }
        return slug.Length == 0 ? fallback : slug;
    }

    /// <summary>How many numbered forms (slug-2 … slug-9) are tried before a random suffix.</summary>
    const int Numbered = 9;

    /// <summary>
    /// The slug itself when free, else the first free of slug-2 … slug-9, else slug and a random suffix: free of the
    /// slugs in <paramref name="taken"/> and of <paramref name="reserved"/> (slugs a batch has given out but not stored
    /// yet). One lookup of exact slugs through the unique index, whatever the number of articles or of earlier uses of
    /// the title: scanning for the highest number (a prefix match no index serves) cost more with every use and missed
    /// the shortened forms a long slug is numbered with.
    /// </summary>
    public static async Task<string> Free(IQueryable<string> taken, string slug, CancellationToken ct, IReadOnlySet<string>? reserved = null)
    {
        var candidates = Enumerable.Range(1, Numbered).Select(n => n == 1 ? slug : WithSuffix(slug, n)).ToList();
        var used = (await taken.Where(s => candidates.Contains(s)).ToListAsync(ct)).ToHashSet();
        if (reserved is not null)
            used.UnionWith(reserved);
        // 40 random bits: two writers picking the same one is as unlikely as it gets; the unique index has the last word.
        return candidates.FirstOrDefault(c => !used.Contains(c))
            ?? WithSuffix(slug, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5)));
    }

    static string WithSuffix(string slug, int n) => WithSuffix(slug, n.ToString(CultureInfo.InvariantCulture));

    static string WithSuffix(string slug, string suffix) =>
        (slug.Length + 1 + suffix.Length > MaxLength ? slug[..(MaxLength - 1 - suffix.Length)].Trim('-') : slug) + "-" + suffix;

    [GeneratedRegex("-{2,}", RegexOptions.NonBacktracking)]
    private static partial Regex Hyphens();
}
