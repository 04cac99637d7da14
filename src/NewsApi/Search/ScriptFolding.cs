using System.Globalization;
using System.Reflection;
using System.Text;
using NewsApi.Content;

namespace NewsApi.Search;

/// <summary>
/// Folds text for matching: compatibility forms to their plain form (full-width Ａ５ to A5, ㎏ to kg, compatibility
/// ideographs to the unified ones), accents off, lower case, Traditional to Simplified (OpenCC's character table),
/// and everything that is neither a letter nor a digit to a separator. Documents and queries go through the same
/// fold, so 烏鎮, 乌镇 and 烏鎭 meet in the middle.
/// </summary>
internal static class ScriptFolding
{
    /// <summary>A folded character that separates tokens (punctuation, symbols, spaces).</summary>
    public const char Separator = ' ';

    static readonly Dictionary<int, string> TraditionalToSimplified = LoadOpenCC();

    // Each Simplified character with every character folding to it (itself included), for Spellings.
    static readonly Lazy<Dictionary<string, string[]>> SimplifiedToAll = new(() =>
        TraditionalToSimplified.GroupBy(p => p.Value)
            .ToDictionary(g => g.Key, g => g.Select(p => char.ConvertFromUtf32(p.Key)).Prepend(g.Key).Distinct().ToArray()));
    static readonly string?[] Bmp = new string?[0x10000];

    /// <summary>The folded form of one code point: zero or more characters, separators as <see cref="Separator"/>.</summary>
    public static string FoldRune(Rune rune)
    {
        if (rune.IsBmp)
            return Bmp[rune.Value] ??= Compute(rune);
        return Compute(rune);
    }

    /// <summary>Folds a whole string (no offsets kept).</summary>
    public static string Fold(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
            sb.Append(FoldRune(rune));
        return sb.ToString();
    }

    /// <summary>
    /// Every way of writing the character that folds as <paramref name="rune"/> does in the Traditional-to-Simplified
    /// step (烏 and 乌 both give 乌, 烏), itself first; just itself when it has no other spelling. For matching where the
    /// fold cannot run on the stored side (a LIKE or a regular expression over a column).
    /// </summary>
    public static IReadOnlyList<string> Spellings(Rune rune)
    {
        var lower = Rune.ToLowerInvariant(rune);
        var simplified = TraditionalToSimplified.TryGetValue(lower.Value, out var s) ? s : lower.ToString();
        return SimplifiedToAll.Value.TryGetValue(simplified, out var all) ? [rune.ToString(), .. all.Where(a => a != rune.ToString())] : [rune.ToString()];
    }

    /// <summary>Han, kana and hangul: scripts written without spaces, indexed as overlapping character pairs.</summary>
    public static bool IsCjk(int codePoint) =>
        ChineseText.IsHan(codePoint) || codePoint is >= 0x3041 and <= 0x30FF or >= 0x31F0 and <= 0x31FF
            or >= 0xAC00 and <= 0xD7A3 or >= 0x1100 and <= 0x11FF or >= 0x3131 and <= 0x318E;

    static string Compute(Rune rune)
    {
        if (rune.Value < 0x80)
            return char.IsAsciiLetterOrDigit((char)rune.Value) ? char.ToLowerInvariant((char)rune.Value).ToString() : " ";
        var decomposed = rune.ToString().Normalize(NormalizationForm.FormKD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var r in decomposed.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(r);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format)
                continue; // accents and dakuten off, zero-width joiners gone
            if (!Rune.IsLetterOrDigit(r) && !ChineseText.IsHan(r.Value))
            {
                sb.Append(Separator);
                continue;
            }
            var lower = Rune.ToLowerInvariant(r);
            sb.Append(TraditionalToSimplified.TryGetValue(lower.Value, out var simplified) ? simplified : lower.ToString());
        }
        // Hangul syllables decompose to jamo under NFKD; compose them back so Korean stays one unit a syllable.
        var folded = sb.ToString();
        return folded.Length > 1 && !folded.IsNormalized(NormalizationForm.FormC) ? folded.Normalize(NormalizationForm.FormC) : folded;
    }

    static Dictionary<int, string> LoadOpenCC()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("NewsApi.Search.OpenCC.TSCharacters.txt")
                           ?? throw new InvalidOperationException("The OpenCC table is not embedded in the assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var map = new Dictionary<int, string>();
        while (reader.ReadLine() is { } line)
        {
            var tab = line.IndexOf('\t');
            if (tab <= 0 || Rune.DecodeFromUtf16(line.AsSpan(0, tab), out var from, out var used) != System.Buffers.OperationStatus.Done || used != tab)
                continue;
            // A few entries list several candidates separated by spaces; the first is OpenCC's default.
            var to = line[(tab + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
            map[from.Value] = to;
        }
        // Follow chains (A→B, B→C) so that folding is idempotent: folding a Simplified text changes nothing more.
        foreach (var key in map.Keys.ToList())
        {
            var value = map[key];
            for (var hop = 0; hop < 4 && value.EnumerateRunes().Count() == 1 && map.TryGetValue(Rune.GetRuneAt(value, 0).Value, out var next) && next != value; hop++)
                value = next;
            map[key] = value;
        }
        return map;
    }
}

/// <summary>Text folded by <see cref="ScriptFolding"/>, with the source range of every folded character, for highlighting.</summary>
internal sealed class FoldedText
{
    FoldedText(string compact, int[] starts, int[] ends)
    {
        Compact = compact;
        Starts = starts;
        Ends = ends;
    }

    /// <summary>The folded letters and digits with separators dropped, so a match may step over spaces and punctuation.</summary>
    public string Compact { get; }

    /// <summary>Where in the source the folded character at each index of <see cref="Compact"/> starts and ends.</summary>
    public int[] Starts { get; }
    public int[] Ends { get; }

    public static FoldedText Of(string source)
    {
        var sb = new StringBuilder(source.Length);
        var starts = new List<int>(source.Length);
        var ends = new List<int>(source.Length);
        var i = 0;
        foreach (var rune in source.EnumerateRunes())
        {
            foreach (var c in ScriptFolding.FoldRune(rune))
            {
                if (c == ScriptFolding.Separator)
                    continue;
                sb.Append(c);
                starts.Add(i);
                ends.Add(i + rune.Utf16SequenceLength);
            }
            i += rune.Utf16SequenceLength;
        }
        return new FoldedText(sb.ToString(), starts.ToArray(), ends.ToArray());
    }
}
