using System.Text;
using NewsApi.Content;

namespace NewsApi.Search;

/// <summary>
/// Splits folded text into the lexemes the search index stores: overlapping pairs of CJK characters (乌镇峰会 gives
/// 乌镇, 镇峰, 峰会), a lone CJK character where a run has only one, and whole words of letters and digits (5g,
/// internet, 2023). Chinese has no spaces, so pairs are what let a query match inside a sentence; a query of n
/// characters is the phrase of its n−1 pairs, which the GIN index answers without reading any text.
/// The head fields also give each Han character as a <see cref="Unigram"/>, for one-character queries.
/// </summary>
internal static class SearchTokenizer
{
    /// <summary>
    /// Marks a unigram lexeme: a separator is never part of a token, so ^港 cannot be the body's lone 港 between
    /// punctuation (a one-character query must match titles and summaries only), nor any word or pair.
    /// </summary>
    const char UnigramMark = '^';

    /// <summary>The lexeme of one folded Han character in the head fields (港 → ^港).</summary>
    public static string Unigram(string character) => UnigramMark + character;

    /// <summary>Longer words are cut: they are never typed as queries, and PostgreSQL limits lexeme size.</summary>
    public const int MaxWordLength = 64;

    /// <summary>The tokens of <paramref name="text"/> in order; each one takes the next position.</summary>
    public static List<string> Tokens(string text)
    {
        var tokens = new List<string>();
        Tokenize(text, tokens);
        return tokens;
    }

    /// <summary>
    /// Appends the tokens of <paramref name="text"/>; with <paramref name="markBreaks"/> an empty token where a
    /// separator (space, punctuation) stood, so a document can keep the tokens on either side from being adjacent.
    /// With <paramref name="unigrams"/> also each Han character's <see cref="Unigram"/>, with the index in
    /// <paramref name="tokens"/> of the token it starts (the pair, the lone character, or for a run's last character
    /// the token after the run): the character's own place, so a unigram sits where its character does.
    /// </summary>
    public static void Tokenize(string text, List<string> tokens, bool markBreaks = false, List<(int Index, string Lexeme)>? unigrams = null)
    {
        var word = new StringBuilder();
        string? previous = null; // the CJK character before this one in the current run
        var runLength = 0;

        foreach (var source in text.EnumerateRunes())
        foreach (var rune in ScriptFolding.FoldRune(source).EnumerateRunes())
        {
            if (ScriptFolding.IsCjk(rune.Value))
            {
                FlushWord();
                var current = rune.ToString();
                if (previous is not null)
                    tokens.Add(previous + current);
                if (unigrams is not null && ChineseText.IsHan(rune.Value))
                    unigrams.Add((tokens.Count, Unigram(current)));
                previous = current;
                runLength++;
            }
            else if (rune.Value != ScriptFolding.Separator)
            {
                EndRun();
                if (word.Length < MaxWordLength)
                    word.Append(rune.ToString());
            }
            else
            {
                FlushWord();
                EndRun();
                if (markBreaks && tokens.Count > 0 && tokens[^1].Length > 0)
                    tokens.Add("");
            }
        }
        FlushWord();
        EndRun();

        void FlushWord()
        {
            if (word.Length == 0)
                return;
            tokens.Add(word.ToString());
            word.Clear();
        }

        void EndRun()
        {
            if (runLength == 1)
                tokens.Add(previous!);
            previous = null;
            runLength = 0;
        }
    }
}
