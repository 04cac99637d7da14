namespace NewsApi.Content.Mojibake;

/// <summary>
/// The signs that text was mis-decoded (lost-byte marks, characters outside everyday use) and the runs they form: where
/// the repair looks.
/// </summary>
internal static class Damage
{
    public const int MaxSignGap = 6;

    public enum Kind { Other, Gbk, Folded, Lost }

    public static Kind KindOf(char c) => c switch
    {
        '?' or '\uFFFD' => Kind.Lost,
        '!' or ',' or ':' or ';' => Kind.Folded,
        _ when c >= 0x80 && Gbk.Instance.TryEncode(c, out _, out _) => Kind.Gbk,
        _ => Kind.Other,
    };

    public static bool IsSign(char c) => KindOf(c) switch
    {
        Kind.Lost => true,
        Kind.Gbk => !Gbk.Instance.IsEveryday(c),
        _ => false,
    };

    public static bool HasUnusualCharacter(string line, int start, int end)
    {
        for (var i = start; i < end; i++)
        {
            if (line[i] == '\uFFFD' || KindOf(line[i]) == Kind.Gbk && !Gbk.Instance.IsEveryday(line[i]))
                return true;
        }
        return false;
    }

    /// <summary>Finds the next run of two or more damage signs, each within <see cref="MaxSignGap"/> characters of the last.</summary>
    public static bool FindRun(string line, int from, out int start, out int end)
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
}
