using System.Globalization;
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

    /// <summary>
    /// The slug itself when free, else the first free slug-2, slug-3…: free of the slugs in <paramref name="taken"/>
    /// and of <paramref name="reserved"/> (slugs a batch has given out but not stored yet).
    /// </summary>
    public static async Task<string> Free(IQueryable<string> taken, string slug, CancellationToken ct, IReadOnlySet<string>? reserved = null)
    {
        var used = (await taken.Where(s => s == slug || s.StartsWith(slug + "-")).ToListAsync(ct)).ToHashSet();
        if (reserved is not null)
            used.UnionWith(reserved);
        if (!used.Contains(slug))
            return slug;
        for (var n = 2; ; n++)
            if (!used.Contains(WithSuffix(slug, n)))
                return WithSuffix(slug, n);
    }

    public static string WithSuffix(string slug, int n) =>
        (slug.Length + 1 + n.ToString(CultureInfo.InvariantCulture).Length > MaxLength ? slug[..(MaxLength - 8)].Trim('-') : slug) + "-" + n;

    [GeneratedRegex("-{2,}", RegexOptions.NonBacktracking)]
    private static partial Regex Hyphens();
}
