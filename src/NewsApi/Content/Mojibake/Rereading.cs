using System.Text;

namespace NewsApi.Content.Mojibake;

/// <summary>
/// A run's characters taken back to bytes and read again: as GBK one byte out of step, or as UTF-8. Lost bytes stay
/// lost here (-1); the slots they leave say which characters could fill them.
/// </summary>
internal static class Rereading
{
    private const int AllWidthsUpToMarks = 4;

    public static List<Slot>? ReadShifted(List<int> bytes)
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
                slots.Add(Slot.Of(c.ToString()));
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

    public static List<Slot>? ReadUtf8(List<int> bytes)
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
                slots.Add(Slot.Of(((char)lead).ToString()));
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
                slots.Add(Slot.Of(candidates[0]));
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
    public static IEnumerable<List<int>> ByteReadings(string line, int start, int end, bool utf8)
    {
        var lostMarks = 0;
        for (var i = start; i < end; i++)
        {
            var kind = Damage.KindOf(line[i]);
            if (kind == Damage.Kind.Other)
                yield break;
            if (kind == Damage.Kind.Lost)
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
                switch (Damage.KindOf(c))
                {
                    case Damage.Kind.Lost:
                        bytes.Add(-1);
                        if ((mask >> mark++ & 1) == 0)
                            bytes.Add(-1);
                        break;
                    case Damage.Kind.Folded:
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
}
