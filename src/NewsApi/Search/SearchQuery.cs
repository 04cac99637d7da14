using System.Diagnostics.CodeAnalysis;
using System.Text;
using NewsApi.Content;

namespace NewsApi.Search;

/// <summary>One term of a query: what to highlight (folded, separators dropped) and the tokens it must match in a row.</summary>
internal sealed record SearchTerm(string Compact, IReadOnlyList<string> Tokens)
{
    /// <summary>A one-character term: its unigram is in the head fields only, so it never matches a body.</summary>
    public bool HeadOnly { get; init; }
}

/// <summary>
/// A search box query: terms separated by spaces or punctuation, all of which must match. Each term becomes the
/// phrase of its tokens (乌镇峰会 → 乌镇 &lt;-&gt; 镇峰 &lt;-&gt; 峰会), the terms are joined with &amp;. A term of one Han
/// character (港, 滬, a surname 王) is its unigram, which only titles, subtitles, summaries and datelines hold.
/// </summary>
internal sealed class SearchQuery
{
    public const int MaxLength = 200;
    public const int MaxTerms = 10;

    SearchQuery(IReadOnlyList<SearchTerm> terms) => Terms = terms;

    public IReadOnlyList<SearchTerm> Terms { get; }

    /// <summary>PostgreSQL tsquery text, to be cast with <c>::tsquery</c> (no parser or dictionary runs on it).</summary>
    public string TsQuery => string.Join(" & ", Terms.Select(t => t.Tokens.Count == 1
        ? SearchDocument.Quote(t.Tokens[0])
        : "(" + string.Join(" <-> ", t.Tokens.Select(SearchDocument.Quote)) + ")"));

    /// <summary>Every token of every term ANDed, positions ignored: what the GIN index answers exactly, on its own.</summary>
    public string PairsQuery => string.Join(" & ", Terms.SelectMany(t => t.Tokens).Distinct().Select(SearchDocument.Quote));

    /// <summary>Whether a term spans several tokens, so matching the pairs must be followed by the phrase test.</summary>
    public bool IsPhrase => Terms.Any(t => t.Tokens.Count > 1);

    /// <summary>Whether every term is one character, so the small head alone answers for a row (no document read).</summary>
    public bool HeadOnly => Terms.All(t => t.HeadOnly);

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says what to change.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out SearchQuery? query, [NotNullWhen(false)] out string? error)
    {
        query = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "q is required: the words to search for.";
            return false;
        }
        if (text.Length > MaxLength)
        {
            error = $"q is longer than {MaxLength} characters.";
            return false;
        }

        var terms = new List<SearchTerm>();
        foreach (var raw in SplitTerms(text))
        {
            var compact = ScriptFolding.Fold(raw).Replace(ScriptFolding.Separator.ToString(), "");
            if (compact.Length == 0)
                continue; // only marks the fold drops (a lone combining accent)
            var single = compact.EnumerateRunes().Count() == 1;
            if (single && !ChineseText.IsHan(Rune.GetRuneAt(compact, 0).Value))
            {
                // The index keeps whole words (5g, 2023, internet), so a lone letter would find only the word "a",
                // never the words it starts: a surprise better refused. Kana and hangul have no unigrams.
                error = $"A search term of one character must be a Chinese character; '{raw}' is not. " +
                        "Letters and digits match whole words: type the whole word (5 → 5G).";
                return false;
            }
            if (terms.Any(t => t.Compact == compact))
                continue;
            terms.Add(single
                ? new SearchTerm(compact, [SearchTokenizer.Unigram(compact)]) { HeadOnly = true }
                : new SearchTerm(compact, SearchTokenizer.Tokens(raw)));
        }
        if (terms.Count == 0)
        {
            error = "q has no letters, digits or characters to search for.";
            return false;
        }
        if (terms.Count > MaxTerms)
        {
            error = $"q may have at most {MaxTerms} terms.";
            return false;
        }
        query = new SearchQuery(terms);
        return true;
    }

    /// <summary>Terms are the runs between separators (spaces, full-width spaces, punctuation) after folding.</summary>
    static IEnumerable<string> SplitTerms(string text)
    {
        var term = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (ScriptFolding.FoldRune(rune) is var folded && folded.Length > 0 && folded.All(c => c == ScriptFolding.Separator))
            {
                if (term.Length > 0)
                    yield return term.ToString();
                term.Clear();
            }
            else
            {
                term.Append(rune.ToString());
            }
        }
        if (term.Length > 0)
            yield return term.ToString();
    }
}
