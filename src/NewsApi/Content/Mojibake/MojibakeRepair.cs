using System.Text;

namespace NewsApi.Content.Mojibake;

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
internal sealed class MojibakeRepair
{
    private const int MaxExtension = 3;
    private const int Utf8LeftExtension = 2;
    private const int MinimumKnown = 3;
    private const int ConvincingLength = 8;

    private readonly TextEvidence evidence;

    private MojibakeRepair(string text) => evidence = new TextEvidence(text);

    public static string Repair(string text)
    {
        if (text.All(char.IsAscii))
            return text;

        var repair = new MojibakeRepair(text);
        return string.Join('\n', text.Split('\n').Select(repair.RepairLine));
    }

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
        while (Damage.FindRun(line, searchFrom, out var start, out var end))
        {
            // On failure the next run is sought from the next sign, so a damaged stretch next to a
            // legitimately rare character is still found.
            searchFrom = start + 1;
            var plain = !Damage.HasUnusualCharacter(line, start, end);
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

    private sealed record Reading(int Start, int End, string Text, int Score, int Dropped);

    private Reading? BestReading(string line, int start, int end, int floor, string prefix, bool plain)
    {
        Reading? best = null;

        // Out-of-step GBK stays out of step until a byte is lost ('?') or ASCII resynchronises the decoder, so the
        // run may go on for a few ordinary-looking characters up to there. Only a few: every extra try is one more
        // chance for garbage to pass.
        var shiftedLimit = end;
        while (shiftedLimit < line.Length && shiftedLimit - end < MaxExtension && Damage.KindOf(line[shiftedLimit - 1]) != Damage.Kind.Lost
               && Damage.KindOf(line[shiftedLimit]) is Damage.Kind.Gbk or Damage.Kind.Folded or Damage.Kind.Lost)
        {
            shiftedLimit++;
        }

        for (var e = end; e <= shiftedLimit; e++)
            Consider(Read(line, start, e, prefix, plain, utf8: false));

        // A UTF-8 sequence may begin inside an ordinary-looking character before the run, and the run may go on
        // for a few ordinary-looking characters after it.
        var utf8Limit = end;
        while (utf8Limit < line.Length && utf8Limit - end < MaxExtension && Damage.KindOf(line[utf8Limit]) != Damage.Kind.Other)
            utf8Limit++;

        for (var s = start; s >= Math.Max(floor, start - Utf8LeftExtension); s--)
        {
            if (s < start && Damage.KindOf(line[s]) != Damage.Kind.Gbk)
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
        foreach (var bytes in Rereading.ByteReadings(line, start, end, utf8))
        {
            var slots = utf8 ? Rereading.ReadUtf8(bytes) : Rereading.ReadShifted(bytes);
            if (slots is null)
                continue;
            var reading = Resolve(line, start, end, prefix, slots, plain);
            if (reading is not null && IsBetter(reading, best))
                best = reading;
        }

        return best;
    }

    /// <summary>Chooses characters for lost slots and judges whether the reading is believable.</summary>
    private Reading? Resolve(string line, int start, int end, string prefix, List<Slot> slots, bool plain)
    {
        var suffix = line[end..];
        var gloss = TextCleaner.PinyinAnnotationHere().Match(line, end);
        // The mark that ends a run often swallowed the next byte too: the 「(」 of a gloss, leaving 「?zhù)」.
        var swallowed = false;
        if (!gloss.Success && Damage.KindOf(line[end - 1]) == Damage.Kind.Lost)
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
                if (!evidence.IsAcceptable(slot.Known))
                    return null;
                text.Append(slot.Known);
                known++;
                if (ChineseText.IsHan(slot.Known[0]))
                {
                    knownHan++;
                    if (evidence.IsSeenOutside(slot.Known[0], line, start, end))
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
        if (hint is not null && slots.Count > 0 && slots[^1].Known is null && evidence.TryGlossed(hint, out var glossed) && glossed.Count == 1)
        {
            var only = glossed.First();
            if (evidence.IsAcceptable(only))
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
        if (hint is not null && evidence.TryGlossed(hint, out var glossed))
        {
            var matching = glossed.Where(c => evidence.IsAcceptable(c) && (candidates is null || candidates.Contains(c))).ToList();
            if (matching.Count == 1)
                return matching[0];
        }

        if (candidates is null)
            return null;

        var everyday = candidates.Where(evidence.IsAcceptable).Distinct().ToList();
        if (everyday.Count == 1)
            return everyday[0];

        var punctuation = everyday.Where(c => c.Length == 1 && Gbk.SentencePunctuation.Contains(c[0])).ToList();
        if (punctuation.Count == 1)
            return punctuation[0];
        if (punctuation.Count > 1 && Brackets.MissingCloser(before, after) is { } closer && punctuation.Contains(closer.ToString()))
            return closer.ToString();

        var paired = everyday.Where(c => c.Length == 1 && (prev is { } p && evidence.HasPair(p, c[0]) || next is { } n && evidence.HasPair(c[0], n))).ToList();
        return paired.Count == 1 ? paired[0] : null;
    }
}
