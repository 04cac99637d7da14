using System.Text;
using System.Text.RegularExpressions;

namespace NewsApi.Content;

/// <summary>
/// Cleans plain text taken from Chinese wire copy: mis-decoded runs, stray HTML tags, pinyin glosses,
/// line endings and padding. Punctuation is left as the source has it.
/// </summary>
public static partial class TextCleaner
{
    private const string ToneVowels = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ";
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
    /// Text with no sign of damage is returned unchanged. See <see cref="Mojibake"/> for the method.
    /// </summary>
    public static string RepairMojibake(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Mojibake.Repair(text);
    }

    internal static bool IsPinyin(string gloss)
    {
        if (gloss.AsSpan().IndexOfAny(ToneVowels) >= 0)
            return true;

        var syllables = gloss.Split([' ', '\t', '\'', '’'], StringSplitOptions.RemoveEmptyEntries);
        // One-letter glosses are more often list markers, 「附件(a)」, than pinyin.
        return syllables.Length > 0 && syllables.All(s => s.Length >= 2 && TonelessSyllable().IsMatch(s));
    }

    /// <summary>Finds a pinyin gloss, without checking what precedes it.</summary>
    [GeneratedRegex(PinyinAnnotationPattern)]
    internal static partial Regex PinyinAnnotation();

    /// <summary>A pinyin gloss starting exactly where the search starts.</summary>
    [GeneratedRegex(@"\G" + PinyinAnnotationPattern)]
    internal static partial Regex PinyinAnnotationHere();

    /// <summary>A pinyin gloss whose opening bracket was lost, starting exactly where the search starts.</summary>
    [GeneratedRegex(@"\G[ \t]*(?<pinyin>" + PinyinLetter + "+(?:[ \t'’]+" + PinyinLetter + "+)*)[ \t]*[)）]")]
    internal static partial Regex PinyinGlossWithoutOpening();

    // Initial + final; it admits a few combinations Mandarin lacks, which is harmless for telling pinyin from English.
    [GeneratedRegex("^(?:[zcs]h|[bpmfdtnlgkhjqxrzcsyw])?(?:a(?:i|o|ng?)?|o(?:u|ng)?|e(?:i|ng?|r)?|i(?:a(?:o|ng?)?|e|u|ng?|ong)?|u(?:a(?:i|ng?)?|[oein])?|[üv](?:e|an|n)?)$")]
    private static partial Regex TonelessSyllable();

    [GeneratedRegex(@"<!--.*?-->|</?(?:" + HtmlElements + @")(?:\s+[a-z_:][-\w:.]*(?:\s*=\s*(?:""[^""<>]*""|'[^'<>]*'|[^\s""'=<>`]+))?)*\s*/?>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex HtmlTag();

    [GeneratedRegex(@"(?<![A-Za-z0-9</])/(?:" + HtmlElements + ")>", RegexOptions.IgnoreCase)]
    private static partial Regex OrphanClosingTag();
}

/// <summary>
/// Repairs text that went through a wrong GBK (GB18030 two-byte) decoding and lost bytes on the way ('?' or U+FFFD).
/// <para>
/// Two kinds of damage are recognised. (1) GBK text decoded one byte out of step: each shown character is the trail
/// byte of one real character plus the lead byte of the next, so re-encoding the run and pairing its bytes again from
/// the second byte gives the text back. This is what the Wuzhen sample shows: 「?!笔澜缁ヂ?lián)網」 is
/// 「。”世界互聯網」, where the closing '?' also swallowed the 「(」 of the gloss. (2) UTF-8 decoded as GBK, e.g.
/// 「鎴戜滑」 for 「我们」: re-encoding the run as GBK gives the UTF-8 bytes. A '?' may stand for one or two lost
/// bytes, and the source folds full-width punctuation to ASCII, so 「!」「,」「:」「;」 in a run are tried as 「！」 etc.
/// </para>
/// <para>
/// Where to look: runs with two or more signs of damage (lost-byte marks, or characters outside everyday use, i.e.
/// outside GB2312 level 1 and Big5 level 1, kana included) at most six characters apart. When to believe a reading:
/// every character it yields must be everyday, in the script of the rest of the text, or sentence punctuation, and it
/// must yield at least eight certain Han characters, or at least three of which three quarters also occur elsewhere in
/// the text. Garbage passes the first test about one character in four, real text almost always; ordinary text, whose
/// re-reading is garbage, therefore stays as it is. A run of marks and punctuation alone (「?!?」) is only read on a line
/// where a stronger run was repaired.
/// </para>
/// <para>
/// A character that lost a byte is restored only when one candidate is left after, in turn: a pinyin gloss after it
/// that the text uses elsewhere for exactly one character; the only sentence punctuation that fits, or the closer an
/// open quote or bracket of the line still needs; the only candidate that forms with a neighbour a pair of characters
/// seen elsewhere in the text. Otherwise the character is dropped.
/// </para>
/// </summary>
internal sealed class Mojibake
{
    private const int MaxSignGap = 6;
    private const int MaxExtension = 3;
    private const int Utf8LeftExtension = 2;
    private const int AllWidthsUpToMarks = 4;
    private const int MinimumKnown = 3;
    private const int ConvincingLength = 8;

    private static readonly Dictionary<char, char> Closers = new()
    {
        ['“'] = '”', ['‘'] = '’', ['「'] = '」', ['『'] = '』', ['（'] = '）', ['('] = ')',
        ['《'] = '》', ['〈'] = '〉', ['【'] = '】', ['〔'] = '〕',
    };

    private enum Script { Mixed, Traditional, Simplified }

    private readonly Script script;
    private readonly HashSet<long> pairsSeen = [];
    private readonly Dictionary<char, int> charCounts = [];
    private readonly Dictionary<string, HashSet<string>> charsByPinyin = new(StringComparer.Ordinal);

    private Mojibake(string text)
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
                var found = FindRun(line, from, out var start, out var end);
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

    public static string Repair(string text)
    {
        if (text.All(char.IsAscii))
            return text;

        var repair = new Mojibake(text);
        return string.Join('\n', text.Split('\n').Select(repair.RepairLine));
    }

    private enum Kind { Other, Gbk, Folded, Lost }

    private static Kind KindOf(char c) => c switch
    {
        '?' or '\uFFFD' => Kind.Lost,
        '!' or ',' or ':' or ';' => Kind.Folded,
        _ when c >= 0x80 && Gbk.Instance.TryEncode(c, out _, out _) => Kind.Gbk,
        _ => Kind.Other,
    };

    private static bool IsSign(char c) => KindOf(c) switch
    {
        Kind.Lost => true,
        Kind.Gbk => !Gbk.Instance.IsEveryday(c),
        _ => false,
    };

    private string RepairLine(string line)
    {
        // A run of lost-byte marks and punctuation alone (「?!?」) could be a writer's own 「?!?」, so it is
        // only repaired once a run with unusual characters has proved this line damaged.
        var repaired = RepairRuns(line, plainRuns: false);
        return repaired == line ? line : RepairRuns(repaired, plainRuns: true);
    }

    private string RepairRuns(string line, bool plainRuns)
    {
        var output = new StringBuilder(line.Length);
        var pos = 0;
        var searchFrom = 0;
        while (FindRun(line, searchFrom, out var start, out var end))
        {
            // On failure the next run is sought from the next sign, so a damaged stretch next to a
            // legitimately rare character is still found.
            searchFrom = start + 1;
            var plain = !HasUnusualCharacter(line, start, end);
            if (plain && !plainRuns)
                continue;

            var prefix = output.ToString() + line[pos..start];
            var best = BestReading(line, start, end, pos, prefix, plain);
            if (best is null)
                continue;

            output.Append(line, pos, best.Start - pos).Append(best.Text);
            pos = searchFrom = best.End;
        }

        return output.Append(line, pos, line.Length - pos).ToString();
    }

    private static bool HasUnusualCharacter(string line, int start, int end)
    {
        for (var i = start; i < end; i++)
        {
            if (line[i] == '\uFFFD' || KindOf(line[i]) == Kind.Gbk && !Gbk.Instance.IsEveryday(line[i]))
                return true;
        }
        return false;
    }

    /// <summary>Finds the next run of two or more damage signs, each within <see cref="MaxSignGap"/> characters of the last.</summary>
    private static bool FindRun(string line, int from, out int start, out int end)
    {
        for (var first = from; first < line.Length; first++)
        {
            if (!IsSign(line[first]))
                continue;

            var last = first;
            var signs = 1;
            for (var j = first + 1; j < line.Length && j - last <= MaxSignGap; j++)
            {
                if (KindOf(line[j]) == Kind.Other)
                    break;
                if (IsSign(line[j]))
                {
                    last = j;
                    signs++;
                }
            }

            if (signs >= 2)
            {
                start = first;
                end = last + 1;
                return true;
            }
        }

        start = end = 0;
        return false;
    }

    private sealed record Reading(int Start, int End, string Text, int Score, int Dropped);

    private Reading? BestReading(string line, int start, int end, int floor, string prefix, bool plain)
    {
        Reading? best = null;

        // Out-of-step GBK stays out of step until a byte is lost ('?') or ASCII resynchronises the decoder, so the
        // run may go on for a few ordinary-looking characters up to there. Only a few: every extra try is one more
        // chance for garbage to pass.
        var shiftedLimit = end;
        while (shiftedLimit < line.Length && shiftedLimit - end < MaxExtension && KindOf(line[shiftedLimit - 1]) != Kind.Lost
               && KindOf(line[shiftedLimit]) is Kind.Gbk or Kind.Folded or Kind.Lost)
        {
            shiftedLimit++;
        }

        for (var e = end; e <= shiftedLimit; e++)
            Consider(Read(line, start, e, prefix, plain, utf8: false));

        // A UTF-8 sequence may begin inside an ordinary-looking character before the run, and the run may go on
        // for a few ordinary-looking characters after it.
        var utf8Limit = end;
        while (utf8Limit < line.Length && utf8Limit - end < MaxExtension && KindOf(line[utf8Limit]) != Kind.Other)
            utf8Limit++;

        for (var s = start; s >= Math.Max(floor, start - Utf8LeftExtension); s--)
        {
            if (s < start && KindOf(line[s]) != Kind.Gbk)
                break;
            for (var e = end; e <= utf8Limit; e++)
                Consider(Read(line, s, e, prefix[..^(start - s)], plain, utf8: true));
        }

        return best;

        void Consider(Reading? reading)
        {
            if (reading is not null && IsBetter(reading, best))
                best = reading;
        }
    }

    private static bool IsBetter(Reading reading, Reading? than) =>
        than is null
        || reading.Score > than.Score
        || reading.Score == than.Score && reading.Dropped < than.Dropped
        || reading.Score == than.Score && reading.Dropped == than.Dropped && reading.End - reading.Start < than.End - than.Start;

    private Reading? Read(string line, int start, int end, string prefix, bool plain, bool utf8)
    {
        Reading? best = null;
        foreach (var bytes in ByteReadings(line, start, end, utf8))
        {
            var slots = utf8 ? ReadUtf8(bytes) : ReadShifted(bytes);
            if (slots is null)
                continue;
            var reading = Resolve(line, start, end, prefix, slots, plain);
            if (reading is not null && IsBetter(reading, best))
                best = reading;
        }

        return best;
    }

    /// <summary>A character of a reading: known, or lost with the characters its known bytes allow (null: any).</summary>
    private sealed record Slot(string? Known, IReadOnlyList<string>? Candidates);

    private static Slot KnownSlot(string text) => new(text, null);

    private static List<Slot>? ReadShifted(List<int> bytes)
    {
        var slots = new List<Slot>();
        var i = 1; // the first byte belongs to the character before the run
        for (; i + 1 < bytes.Count; i += 2)
        {
            var (lead, trail) = (bytes[i], bytes[i + 1]);
            if (lead >= 0 && trail >= 0)
            {
                var c = Gbk.Instance.Decode(lead, trail);
                if (c == '\0')
                    return null;
                slots.Add(KnownSlot(c.ToString()));
            }
            else
            {
                slots.Add(new Slot(null, lead < 0 && trail < 0 ? null : Gbk.Instance.Candidates(lead, trail)));
            }
        }

        // A lead byte left over at the end lost its trail byte.
        if (i < bytes.Count && bytes[i] >= 0)
            slots.Add(new Slot(null, Gbk.Instance.Candidates(bytes[i], -1)));
        return slots;
    }

    private static List<Slot>? ReadUtf8(List<int> bytes)
    {
        var slots = new List<Slot>();
        var i = 0;
        while (i < bytes.Count)
        {
            var lead = bytes[i];
            if (lead < 0)
            {
                // A lost lead byte: its continuation bytes, if any are left, go with it.
                i++;
                while (i < bytes.Count && bytes[i] is >= 0x80 and <= 0xBF)
                    i++;
                slots.Add(new Slot(null, []));
                continue;
            }

            if (lead < 0x80)
            {
                slots.Add(KnownSlot(((char)lead).ToString()));
                i++;
                continue;
            }

            var length = lead switch
            {
                >= 0xC2 and <= 0xDF => 2,
                >= 0xE0 and <= 0xEF => 3,
                >= 0xF0 and <= 0xF4 => 4,
                _ => 0,
            };
            if (length == 0)
                return null;

            var sequence = new List<int> { lead };
            for (var k = 1; k < length; k++)
            {
                var b = i + k < bytes.Count ? bytes[i + k] : -1;
                if (b >= 0 && b is < 0x80 or > 0xBF)
                    return null;
                sequence.Add(b);
            }

            i += length;
            var candidates = Utf8Candidates(sequence);
            if (sequence.All(b => b >= 0))
            {
                if (candidates.Count != 1)
                    return null;
                slots.Add(KnownSlot(candidates[0]));
            }
            else
            {
                slots.Add(new Slot(null, candidates));
            }
        }

        return slots;
    }

    private static List<string> Utf8Candidates(List<int> sequence)
    {
        var results = new List<string>();
        var buffer = new byte[sequence.Count];
        Fill(0);
        return results;

        void Fill(int k)
        {
            if (k == sequence.Count)
            {
                if (Rune.DecodeFromUtf8(buffer, out var rune, out var consumed) == System.Buffers.OperationStatus.Done && consumed == buffer.Length)
                    results.Add(rune.ToString());
                return;
            }

            if (sequence[k] >= 0)
            {
                buffer[k] = (byte)sequence[k];
                Fill(k + 1);
                return;
            }

            for (var b = 0x80; b <= 0xBF; b++)
            {
                buffer[k] = (byte)b;
                Fill(k + 1);
            }
        }
    }

    /// <summary>
    /// The run's bytes, -1 for a lost one. A lost-byte mark may stand for one or two bytes
    /// (decoders differ in how much an invalid pair swallows), so each combination is produced.
    /// </summary>
    private static IEnumerable<List<int>> ByteReadings(string line, int start, int end, bool utf8)
    {
        var lostMarks = 0;
        for (var i = start; i < end; i++)
        {
            var kind = KindOf(line[i]);
            if (kind == Kind.Other)
                yield break;
            if (kind == Kind.Lost)
                lostMarks++;
        }

        // Every mix of widths while there are few marks; with many, one width for all.
        IEnumerable<int> masks = lostMarks <= AllWidthsUpToMarks
            ? Enumerable.Range(0, 1 << lostMarks)
            : [0, -1];
        foreach (var mask in masks)
        {
            var bytes = new List<int>((end - start) * 2);
            var mark = 0;
            for (var i = start; i < end; i++)
            {
                var c = line[i];
                switch (KindOf(c))
                {
                    case Kind.Lost:
                        bytes.Add(-1);
                        if ((mask >> mark++ & 1) == 0)
                            bytes.Add(-1);
                        break;
                    case Kind.Folded:
                        if (utf8)
                        {
                            bytes.Add(c);
                        }
                        else
                        {
                            bytes.Add(0xA3);
                            bytes.Add(0x80 + c); // full-width forms sit at A3A1–A3FE
                        }
                        break;
                    default:
                        if (utf8 && c == '€')
                        {
                            bytes.Add(0x80); // what code page 936 decoders show for a lone 0x80
                            break;
                        }
                        Gbk.Instance.TryEncode(c, out var lead, out var trail);
                        bytes.Add(lead);
                        bytes.Add(trail);
                        break;
                }
            }

            yield return bytes;
        }
    }

    /// <summary>Chooses characters for lost slots and judges whether the reading is believable.</summary>
    private Reading? Resolve(string line, int start, int end, string prefix, List<Slot> slots, bool plain)
    {
        var suffix = line[end..];
        var gloss = TextCleaner.PinyinAnnotationHere().Match(line, end);
        // The mark that ends a run often swallowed the next byte too: the 「(」 of a gloss, leaving 「?zhù)」.
        var swallowed = false;
        if (!gloss.Success && KindOf(line[end - 1]) == Kind.Lost)
        {
            gloss = TextCleaner.PinyinGlossWithoutOpening().Match(line, end);
            swallowed = gloss.Success;
        }

        var hint = gloss.Success && TextCleaner.IsPinyin(gloss.Groups["pinyin"].Value) ? gloss.Groups["pinyin"].Value.Trim() : null;
        var afterGloss = hint is not null ? line[(gloss.Index + gloss.Length)..] : suffix;
        var nextOutside = afterGloss.Length > 0 ? afterGloss[0] : (char?)null;
        var consumedEnd = swallowed && hint is not null ? gloss.Index + gloss.Length : end;

        var text = new StringBuilder();
        int known = 0, knownHan = 0, supported = 0, inferred = 0, dropped = 0;
        for (var k = 0; k < slots.Count; k++)
        {
            var slot = slots[k];
            if (slot.Known is not null)
            {
                if (!IsAcceptable(slot.Known))
                    return null;
                text.Append(slot.Known);
                known++;
                if (ChineseText.IsHan(slot.Known[0]))
                {
                    knownHan++;
                    if (IsSeenOutside(slot.Known[0], line, start, end))
                        supported++;
                }
                continue;
            }

            var isLast = k == slots.Count - 1;
            var prev = text.Length > 0 ? text[^1] : prefix.Length > 0 ? prefix[^1] : (char?)null;
            var next = isLast ? nextOutside : slots[k + 1].Known is { Length: 1 } n ? n[0] : null;
            var choice = Choose(slot.Candidates, isLast ? hint : null, prev, next, prefix + text, suffix);
            if (choice is not null)
            {
                text.Append(choice);
                inferred++;
                if (isLast)
                    hint = null;
            }
            else
            {
                dropped++;
            }
        }

        // The gloss belongs to the last character the closing mark swallowed. If it did not fit the last lost slot,
        // that slot was a different character, and the glossed one followed it.
        if (hint is not null && slots.Count > 0 && slots[^1].Known is null && charsByPinyin.TryGetValue(hint, out var glossed) && glossed.Count == 1)
        {
            var only = glossed.First();
            if (IsAcceptable(only))
            {
                text.Append(only);
                inferred++;
            }
        }

        // Garbage passes as everyday characters of the right script about one time in four per character. A long
        // reading is therefore convincing on its own; a short one also needs most of its characters to occur
        // elsewhere in the text, as the characters of a real sentence do. A plain run is only read on a line
        // already shown damaged.
        var believable = plain
            ? known + inferred >= 2
            : knownHan >= ConvincingLength || knownHan >= MinimumKnown && supported * 4 >= knownHan * 3;
        if (!believable || dropped > known + inferred)
            return null;

        var repaired = text.ToString();
        if (repaired == line[start..consumedEnd])
            return null;
        return new Reading(start, consumedEnd, repaired, known + inferred - dropped, dropped);
    }

    private string? Choose(IReadOnlyList<string>? candidates, string? hint, char? prev, char? next, string before, string after)
    {
        if (hint is not null && charsByPinyin.TryGetValue(hint, out var glossed))
        {
            var matching = glossed.Where(c => IsAcceptable(c) && (candidates is null || candidates.Contains(c))).ToList();
            if (matching.Count == 1)
                return matching[0];
        }

        if (candidates is null)
            return null;

        var everyday = candidates.Where(IsAcceptable).Distinct().ToList();
        if (everyday.Count == 1)
            return everyday[0];

        var punctuation = everyday.Where(c => c.Length == 1 && Gbk.SentencePunctuation.Contains(c[0])).ToList();
        if (punctuation.Count == 1)
            return punctuation[0];
        if (punctuation.Count > 1 && MissingCloser(before, after) is { } closer && punctuation.Contains(closer.ToString()))
            return closer.ToString();

        var paired = everyday.Where(c => c.Length == 1 && (prev is { } p && pairsSeen.Contains(PairKey(p, c[0])) || next is { } n && pairsSeen.Contains(PairKey(c[0], n)))).ToList();
        return paired.Count == 1 ? paired[0] : null;
    }

    /// <summary>Whether the character occurs in the text outside the run.</summary>
    private bool IsSeenOutside(char c, string line, int start, int end)
    {
        var inRun = line.AsSpan(start, end - start).Count(c);
        return charCounts.GetValueOrDefault(c) > inRun;
    }

    /// <summary>The closer of the innermost quote or bracket opened before and not closed after the position, if any.</summary>
    private static char? MissingCloser(string before, string after)
    {
        var open = new Stack<char>();
        foreach (var c in before)
        {
            if (Closers.ContainsKey(c))
                open.Push(c);
            else if (open.Count > 0 && Closers[open.Peek()] == c)
                open.Pop();
        }

        if (open.Count == 0)
            return null;

        var opener = open.Peek();
        var closer = Closers[opener];
        var depth = 0;
        foreach (var c in after)
        {
            if (c == opener)
                depth++;
            else if (c == closer && depth-- == 0)
                return null;
        }

        return closer;
    }

    /// <summary>An everyday character in the script the rest of the text is written in, or punctuation.</summary>
    private bool IsAcceptable(string text)
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

/// <summary>The two-byte GBK characters (as GB18030 maps them) and which of them are in everyday use.</summary>
internal sealed class Gbk
{
    /// <summary>Punctuation a sentence may hold; a lost byte may be restored to one of these.</summary>
    public static readonly HashSet<char> SentencePunctuation = [.. "。，、；：？！“”‘’「」『』（）《》〈〉【】〔〕…—·"];

    private static readonly Lazy<Gbk> Shared = new(() => new Gbk());

    private readonly char[] byPair = new char[0x10000];
    private readonly Dictionary<char, int> pairByChar = [];
    private readonly HashSet<char> everyday = [];
    private readonly HashSet<char> big5Chars = [];
    private readonly HashSet<char> gb2312Chars = [];

    private Gbk()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var gb18030 = Encoding.GetEncoding(54936, EncoderFallback.ReplacementFallback, new DecoderReplacementFallback("\uFFFD"));
        var big5 = Encoding.GetEncoding(950, EncoderFallback.ReplacementFallback, new DecoderReplacementFallback("\uFFFD"));
        var pair = new byte[2];

        for (var lead = 0x81; lead <= 0xFE; lead++)
        {
            for (var trail = 0x40; trail <= 0xFE; trail++)
            {
                if (trail == 0x7F)
                    continue;
                pair[0] = (byte)lead;
                pair[1] = (byte)trail;
                var decoded = gb18030.GetString(pair);
                if (decoded.Length != 1 || decoded[0] == '\uFFFD')
                    continue;
                var c = decoded[0];
                byPair[lead << 8 | trail] = c;
                pairByChar.TryAdd(c, lead << 8 | trail);
                if (lead is >= 0xA1 and <= 0xF7 && trail >= 0xA1)
                    gb2312Chars.Add(c);
                // GB2312 level 1: the 3,755 most used simplified characters.
                if (lead is >= 0xB0 and <= 0xD7 && trail >= 0xA1)
                    everyday.Add(c);
            }
        }

        // Big5 level 1, A440–C67E, holds the 5,401 most used traditional characters; level 2 follows up to F9FE.
        for (var lead = 0xA1; lead <= 0xF9; lead++)
        {
            foreach (var trail in Enumerable.Range(0x40, 0x3F).Concat(Enumerable.Range(0xA1, 0x5E)))
            {
                pair[0] = (byte)lead;
                pair[1] = (byte)trail;
                var decoded = big5.GetString(pair);
                if (decoded.Length != 1 || decoded[0] == '\uFFFD')
                    continue;
                big5Chars.Add(decoded[0]);
                if (ChineseText.IsHan(decoded[0]) && (lead << 8 | trail) is >= 0xA440 and <= 0xC67E)
                    everyday.Add(decoded[0]);
            }
        }

        everyday.UnionWith(SentencePunctuation);
    }

    public static Gbk Instance => Shared.Value;

    /// <summary>The character for a two-byte sequence, or '\0' when there is none.</summary>
    public char Decode(int lead, int trail) => lead is >= 0 and <= 0xFF && trail is >= 0 and <= 0xFF ? byPair[lead << 8 | trail] : '\0';

    public bool TryEncode(char c, out int lead, out int trail)
    {
        if (pairByChar.TryGetValue(c, out var code))
        {
            lead = code >> 8;
            trail = code & 0xFF;
            return true;
        }

        lead = trail = -1;
        return false;
    }

    /// <summary>Characters whose known byte matches; -1 marks the unknown one.</summary>
    public IReadOnlyList<string> Candidates(int lead, int trail)
    {
        var results = new List<string>();
        for (var l = 0x81; l <= 0xFE; l++)
        {
            if (lead >= 0 && l != lead)
                continue;
            for (var t = 0x40; t <= 0xFE; t++)
            {
                if (trail >= 0 && t != trail)
                    continue;
                var c = byPair[l << 8 | t];
                if (c != '\0')
                    results.Add(c.ToString());
            }
        }

        return results;
    }

    public bool InBig5(char c) => big5Chars.Contains(c);

    public bool InGb2312(char c) => gb2312Chars.Contains(c);

    /// <summary>GB2312 level 1, Big5 level 1, or sentence punctuation.</summary>
    public bool IsEveryday(char c) => everyday.Contains(c);
}
