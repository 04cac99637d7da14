using System.Text;

namespace NewsApi.Search;

/// <summary>
/// Builds an article's search vectors in PostgreSQL's tsvector text form: the small <c>head</c> (title weighted A,
/// subtitle/summary/dateline B; read when ranking, because it is cheap to read where the body is not) and the
/// <c>document</c> (the body, weighted C). Each field is in one of them only: searches match <see cref="Words"/>, the
/// two together, which is what the GIN index holds.
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
        head.Add(title, 'A');
        head.Add(subtitle, 'B');
        head.Add(summary, 'B');
        head.Add(dateline, 'B');
        // The body's positions start after a field's gap: head || document shifts them past the head's last, so a
        // phrase never runs from the head into the body. (The body was a second copy of the head's words: 1 KB an article.)
        var document = new Builder(leadingGap: true);
        document.Add(body, 'C');
        return (document.ToString(), head.ToString());
    }

    /// <summary>Every word of a search row: its head, then its body (the expression of the GIN index, migration SearchWords).</summary>
    public static string Words(string row) => $"({row}.head || {row}.document)";

    public static string? DatelineText(Content.Dateline? dateline) =>
        dateline is null ? null : dateline.Text ?? string.Join(' ', new[] { dateline.Agency, dateline.Place }.Where(s => !string.IsNullOrEmpty(s)));

    /// <summary>A lexeme quoted for tsvector and tsquery text: single quotes doubled, backslashes escaped.</summary>
    public static string Quote(string lexeme) => "'" + lexeme.Replace("\\", "\\\\").Replace("'", "''") + "'";

    sealed class Builder(bool leadingGap = false)
    {
        readonly Dictionary<string, List<(int Position, char Weight)>> _lexemes = new(StringComparer.Ordinal);
        readonly List<string> _tokens = new(2048);
        int _position;
        bool _gap = leadingGap;

        public void Add(string? text, char weight)
        {
            if (string.IsNullOrEmpty(text))
                return;
            _tokens.Clear();
            SearchTokenizer.Tokenize(text, _tokens, markBreaks: true);
            if (_tokens.Count == 0)
                return;
            if (_position > 0 || _gap)
                _position += FieldGap;
            _gap = false;
            foreach (var token in _tokens)
            {
                _position = Math.Min(_position + 1, MaxPosition);
                if (token.Length == 0)
                    continue; // a break leaves its position empty: 烏鎮。鎮峰 must not match the phrase 烏鎮峰
                if (!_lexemes.TryGetValue(token, out var positions))
                    _lexemes[token] = positions = new List<(int, char)>(4);
                if (positions.Count < MaxPositionsPerLexeme && (positions.Count == 0 || positions[^1].Position != _position))
                    positions.Add((_position, weight));
            }
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
