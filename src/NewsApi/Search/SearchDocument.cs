using System.Text;

namespace NewsApi.Search;

/// <summary>
/// Builds an article's search vectors in PostgreSQL's tsvector text form: the <c>document</c> (every field, weighted
/// A title, B subtitle/summary/dateline, C body; matched by the GIN index) and the small <c>head</c> (title and
/// B fields only; read when ranking, because it is cheap to read where the document is not). The head fields give
/// their Han characters' unigrams to both (the GIN index answers a one-character query; the head tests and ranks it),
/// the body none: a one-character query matches titles and summaries only.
/// </summary>
internal static class SearchDocument
{
    /// <summary>PostgreSQL's largest tsvector position; later tokens share it (see the decision record).</summary>
    public const int MaxPosition = 16383;

    /// <summary>PostgreSQL keeps at most 256 positions a lexeme.</summary>
    const int MaxPositionsPerLexeme = 255;

    /// <summary>Positions left empty between fields, so that a phrase never runs from one field into the next.</summary>
    const int FieldGap = 8;

    public static (string Document, string Head) For(string title, string? subtitle, string? summary, string? dateline, string? body)
    {
        var head = new Builder();
        head.Add(title, 'A', unigrams: true);
        head.Add(subtitle, 'B', unigrams: true);
        head.Add(summary, 'B', unigrams: true);
        head.Add(dateline, 'B', unigrams: true);
        var document = new Builder();
        document.Add(title, 'A', unigrams: true);
        document.Add(subtitle, 'B', unigrams: true);
        document.Add(summary, 'B', unigrams: true);
        document.Add(dateline, 'B', unigrams: true);
        document.Add(body, 'C', unigrams: false);
        return (document.ToString(), head.ToString());
    }

    public static string? DatelineText(Content.Dateline? dateline) =>
        dateline is null ? null : dateline.Text ?? string.Join(' ', new[] { dateline.Agency, dateline.Place }.Where(s => !string.IsNullOrEmpty(s)));

    /// <summary>A lexeme quoted for tsvector and tsquery text: single quotes doubled, backslashes escaped.</summary>
    public static string Quote(string lexeme) => "'" + lexeme.Replace("\\", "\\\\").Replace("'", "''") + "'";

    sealed class Builder
    {
        readonly Dictionary<string, List<(int Position, char Weight)>> _lexemes = new(StringComparer.Ordinal);
        readonly List<string> _tokens = new(2048);
        readonly List<(int Index, string Lexeme)> _unigrams = new(256);
        int _position;

        public void Add(string? text, char weight, bool unigrams)
        {
            if (string.IsNullOrEmpty(text))
                return;
            _tokens.Clear();
            _unigrams.Clear();
            SearchTokenizer.Tokenize(text, _tokens, markBreaks: true, unigrams ? _unigrams : null);
            if (_tokens.Count == 0)
                return;
            if (_position > 0)
                _position += FieldGap;
            var start = _position;
            foreach (var token in _tokens)
            {
                _position = Math.Min(_position + 1, MaxPosition);
                if (token.Length == 0)
                    continue; // a break leaves its position empty: 烏鎮。鎮峰 must not match the phrase 烏鎮峰
                Put(token, _position, weight);
            }
            // The token a character starts took position start + index + 1; a run's last character takes the one
            // after its last pair (a break's empty one, or shared with the next word), still short of the next field.
            foreach (var (index, lexeme) in _unigrams)
                Put(lexeme, Math.Min(start + index + 1, MaxPosition), weight);
        }

        void Put(string lexeme, int position, char weight)
        {
            if (!_lexemes.TryGetValue(lexeme, out var positions))
                _lexemes[lexeme] = positions = new List<(int, char)>(4);
            if (positions.Count < MaxPositionsPerLexeme && (positions.Count == 0 || positions[^1].Position != position))
                positions.Add((position, weight));
        }

        public override string ToString()
        {
            var sb = new StringBuilder(_lexemes.Count * 16);
            foreach (var (lexeme, positions) in _lexemes)
            {
                if (sb.Length > 0)
                    sb.Append(' ');
                sb.Append(Quote(lexeme)).Append(':');
                for (var i = 0; i < positions.Count; i++)
                {
                    if (i > 0)
                        sb.Append(',');
                    sb.Append(positions[i].Position);
                    if (positions[i].Weight != 'D')
                        sb.Append(positions[i].Weight);
                }
            }
            return sb.ToString();
        }
    }
}
