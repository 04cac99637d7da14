namespace NewsApi.Content.Mojibake;

/// <summary>Quotes and brackets, for restoring the closer a line still needs.</summary>
internal static class Brackets
{
    private static readonly Dictionary<char, char> Closers = new()
    {
        ['“'] = '”', ['‘'] = '’', ['「'] = '」', ['『'] = '』', ['（'] = '）', ['('] = ')',
        ['《'] = '》', ['〈'] = '〉', ['【'] = '】', ['〔'] = '〕',
    };

    /// <summary>The closer of the innermost quote or bracket opened before and not closed after the position, if any.</summary>
    public static char? MissingCloser(string before, string after)
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
}
