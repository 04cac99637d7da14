using System.Globalization;
using System.Text;

namespace NewsApi.Content;

/// <summary>Length and reading-time measures for Chinese (and mixed CJK/Latin) text.</summary>
internal static class ChineseText
{
    /// <summary>
    /// Silent reading speed of adult native readers, in characters per minute. The IReST study
    /// (Trauzettle-Klosinski &amp; Dietz, 2012) measured Chinese read aloud at 255 ± 29 characters a minute;
    /// silent reading runs about half as fast again, so 400 is a round figure for news copy.
    /// </summary>
    public const int CharactersPerMinute = 400;

    /// <summary>
    /// Counts Han characters, kana and hangul one each, and each run of letters or digits in other
    /// scripts (e.g. "AI", "5G", "2023") as one word. Punctuation, symbols and whitespace are not counted.
    /// </summary>
    public static int CountCharacters(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        var count = 0;
        var inWord = false;
        // Decoded in place, a rune at a time with the next one looked at: an array of the runes cost every imported
        // story four bytes a character. An invalid sequence reads as U+FFFD, as EnumerateRunes gives it.
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            Rune.DecodeFromUtf16(rest, out var rune, out var used);
            rest = rest[used..];
            if (IsHan(rune.Value) || IsKanaOrHangul(rune.Value))
            {
                count++;
                inWord = false;
            }
            else if (Rune.IsLetterOrDigit(rune) || (inWord && Rune.GetUnicodeCategory(rune) == UnicodeCategory.NonSpacingMark))
            {
                if (!inWord)
                    count++;
                inWord = true;
            }
            else if (inWord && IsWordJoiner(rune) && !rest.IsEmpty && IsWordRune(Next(rest)))
            {
                // "1,800", "3.5", "don't" and "COVID-19" read as one word.
            }
            else
            {
                inWord = false;
            }
        }

        return count;

        static Rune Next(ReadOnlySpan<char> text)
        {
            Rune.DecodeFromUtf16(text, out var rune, out _);
            return rune;
        }
    }

    /// <summary>Whole minutes needed to read <paramref name="charCount"/> characters; at least 1 for non-empty text.</summary>
    public static int ReadingMinutes(int charCount, int charactersPerMinute = CharactersPerMinute)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(charCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(charactersPerMinute);
        if (charCount == 0)
            return 0;

        return Math.Max(1, (int)Math.Round(charCount / (double)charactersPerMinute, MidpointRounding.AwayFromZero));
    }

    /// <summary>Whether a code point is a Han ideograph: CJK Unified Ideographs and all their extensions, compatibility ideographs, and 〇.</summary>
    public static bool IsHan(int codePoint) => codePoint switch
    {
        0x3007 => true,
        >= 0x3400 and <= 0x4DBF => true, // Extension A
        >= 0x4E00 and <= 0x9FFF => true,
        >= 0xF900 and <= 0xFAFF => true, // compatibility ideographs
        >= 0x20000 and <= 0x2FA1F => true, // Extensions B–F, compatibility supplement
        >= 0x30000 and <= 0x323AF => true, // Extensions G–H
        _ => false,
    };

    /// <summary>Whether the text position holds a Han ideograph, reading a surrogate pair as one code point.</summary>
    internal static bool IsHanAt(string text, int index) =>
        index >= 0 && index < text.Length && Rune.TryGetRuneAt(text, index, out var rune) && IsHan(rune.Value);

    /// <summary>Whether the code point just before <paramref name="index"/> is a Han ideograph.</summary>
    internal static bool IsHanBefore(string text, int index)
    {
        if (index <= 0)
            return false;
        var start = index - 1;
        if (char.IsLowSurrogate(text[start]) && start > 0 && char.IsHighSurrogate(text[start - 1]))
            start--;
        return IsHanAt(text, start);
    }

    private static bool IsKanaOrHangul(int codePoint) => codePoint switch
    {
        >= 0x3041 and <= 0x309F => true, // hiragana
        >= 0x30A1 and <= 0x30FA or >= 0x30FC and <= 0x30FF => true, // katakana, without the ・ middle dot
        >= 0x31F0 and <= 0x31FF => true, // katakana phonetic extensions
        >= 0xFF66 and <= 0xFF9D => true, // half-width katakana
        >= 0x1100 and <= 0x11FF => true, // hangul jamo
        >= 0x3131 and <= 0x318E => true, // hangul compatibility jamo
        >= 0xAC00 and <= 0xD7A3 => true, // hangul syllables
        _ => false,
    };

    private static bool IsWordRune(Rune rune) =>
        Rune.IsLetterOrDigit(rune) && !IsHan(rune.Value) && !IsKanaOrHangul(rune.Value);

    private static bool IsWordJoiner(Rune rune) => rune.Value is '.' or ',' or '\'' or '\u2019' or '-';
}
