using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace NewsApi.Content.Mojibake;

/// <summary>
/// What the rest of a text says about how a damaged run should read: its script, the characters and pairs of
/// characters it uses, and the characters its pinyin glosses name.
/// </summary>
internal sealed class TextEvidence
{
    private enum Script { Mixed, Traditional, Simplified }

    private readonly Script script;
    private readonly HashSet<long> pairsSeen = [];
    private readonly Dictionary<char, int> charCounts = [];
    private readonly Dictionary<string, HashSet<string>> charsByPinyin = new(StringComparer.Ordinal);

    public TextEvidence(string text)
    {
        script = ScriptOf(text);
        foreach (var c in text)
            charCounts[c] = charCounts.GetValueOrDefault(c) + 1;
        foreach (Match match in TextCleaner.PinyinAnnotation().Matches(text))
        {
            if (!ChineseText.IsHanBefore(text, match.Index))
                continue;
            var gloss = match.Groups["pinyin"].Value.Trim();
            if (gloss.Contains(' '))
                continue;
            var start = match.Index - 1;
            if (char.IsLowSurrogate(text[start]) && start > 0)
                start--;
            var han = text[start..match.Index];
            if (!charsByPinyin.TryGetValue(gloss, out var set))
                charsByPinyin[gloss] = set = [];
            set.Add(han);
        }

        var plain = TextCleaner.StripPinyin(text);
        for (var i = 0; i + 1 < plain.Length; i++)
        {
            if (ChineseText.IsHan(plain[i]) && ChineseText.IsHan(plain[i + 1]))
                pairsSeen.Add(PairKey(plain[i], plain[i + 1]));
        }
    }

    /// <summary>
    /// Traditional when characters only Big5 has clearly outnumber those only GB2312 has, and the other way round.
    /// Garbage from a wrong decoding mixes both, so a repair must come out in the text's own script.
    /// </summary>
    private static Script ScriptOf(string text)
    {
        int traditional = 0, simplified = 0;
        foreach (var line in text.Split('\n'))
        {
            // Characters inside suspect runs are left out: they are the garbage being judged.
            var from = 0;
            while (true)
            {
                var found = Damage.FindRun(line, from, out var start, out var end);
                Count(line.AsSpan(from, (found ? start : line.Length) - from));
                if (!found)
                    break;
                from = end;
            }
        }

        return traditional > 2 * simplified ? Script.Traditional
            : simplified > 2 * traditional ? Script.Simplified
            : Script.Mixed;

        void Count(ReadOnlySpan<char> span)
        {
            foreach (var c in span)
            {
                if (!ChineseText.IsHan(c))
                    continue;
                var big5 = Gbk.Instance.InBig5(c);
                var gb2312 = Gbk.Instance.InGb2312(c);
                if (big5 && !gb2312)
                    traditional++;
                else if (gb2312 && !big5)
                    simplified++;
            }
        }
    }

    /// <summary>Whether the text holds the two characters side by side.</summary>
    public bool HasPair(char first, char second) => pairsSeen.Contains(PairKey(first, second));

    /// <summary>The characters the text glosses with this pinyin.</summary>
    public bool TryGlossed(string pinyin, [MaybeNullWhen(false)] out HashSet<string> characters) =>
        charsByPinyin.TryGetValue(pinyin, out characters);

    /// <summary>Whether the character occurs in the text outside the run.</summary>
    public bool IsSeenOutside(char c, string line, int start, int end)
    {
        var inRun = line.AsSpan(start, end - start).Count(c);
        return charCounts.GetValueOrDefault(c) > inRun;
    }

    /// <summary>An everyday character in the script the rest of the text is written in, or punctuation.</summary>
    public bool IsAcceptable(string text)
    {
        if (text.Length != 1)
            return false;
        var c = text[0];
        if (c is '!' or ',' or ':' or ';' || Gbk.SentencePunctuation.Contains(c))
            return true;
        return Gbk.Instance.IsEveryday(c) && script switch
        {
            Script.Traditional => Gbk.Instance.InBig5(c),
            Script.Simplified => Gbk.Instance.InGb2312(c),
            _ => true,
        };
    }

    private static long PairKey(char a, char b) => (long)a << 16 | b;
}
