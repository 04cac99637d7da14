using System.Reflection;
using System.Text;

namespace NewsApi.Content;

/// <summary>A script (and optionally a region's vocabulary) an answer can be converted to.</summary>
internal sealed record ChineseScript(string Name, string Tag, bool Simplified, bool Regional)
{
    public static readonly ChineseScript Hans = new("hans", "zh-Hans", true, false);
    public static readonly ChineseScript Hant = new("hant", "zh-Hant", false, false);
    public static readonly ChineseScript HansCn = new("hans-cn", "zh-Hans-CN", true, true);
    public static readonly ChineseScript HantTw = new("hant-tw", "zh-Hant-TW", false, true);

    public static readonly IReadOnlyList<ChineseScript> All = [Hans, Hant, HansCn, HantTw];

    public static ChineseScript? Named(string? name) => All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The script an Accept-Language asks for, by its first language range (highest q) that names one: zh-Hans and
    /// zh-CN, zh-SG, zh-MY are Simplified; zh-Hant and zh-TW, zh-HK, zh-MO Traditional. Null for anything else (bare
    /// zh, other languages): the story as written. Regional vocabulary is asked for by name only (?script=hant-tw).
    /// </summary>
    public static ChineseScript? FromAcceptLanguage(IEnumerable<string?> header)
    {
        var ranges = header.SelectMany(h => (h ?? "").Split(',')).Select((part, index) =>
        {
            var pieces = part.Split(';');
            var q = 1.0;
            foreach (var p in pieces.Skip(1))
                if (p.Trim() is var t && t.StartsWith("q=", StringComparison.OrdinalIgnoreCase)
                    && double.TryParse(t[2..], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v))
                    q = v;
            return (Range: pieces[0].Trim().ToLowerInvariant(), Q: q, Index: index);
        }).Where(r => r.Q > 0).OrderByDescending(r => r.Q).ThenBy(r => r.Index);
        foreach (var (range, _, _) in ranges)
        {
            if (range.StartsWith("zh-hans", StringComparison.Ordinal) || range is "zh-cn" or "zh-sg" or "zh-my")
                return Hans;
            if (range.StartsWith("zh-hant", StringComparison.Ordinal) || range is "zh-tw" or "zh-hk" or "zh-mo")
                return Hant;
        }
        return null;
    }

    /// <summary>Whether text in this language tag is already written in the script (zh-Hant, zh-TW… for Traditional).</summary>
    public bool Writes(string? language)
    {
        var l = (language ?? "").ToLowerInvariant();
        var simplified = l.Contains("hans", StringComparison.Ordinal) || l is "zh-cn" or "zh-sg" or "zh-my";
        var traditional = l.Contains("hant", StringComparison.Ordinal) || l is "zh-tw" or "zh-hk" or "zh-mo";
        return Simplified ? simplified : traditional;
    }
}

/// <summary>
/// Converts Chinese text between Simplified and Traditional with OpenCC's dictionaries (Content/OpenCC, Apache-2.0),
/// as OpenCC's own configurations chain them: phrases first, by the longest match at each position, then characters,
/// so 头发 becomes 頭髮 and 发展 發展 (not 頭發, 髮展). Regional vocabulary is a further stage: Taiwan's phrases and
/// variants after Simplified → Traditional (s2twp: 软件 → 軟體, 网络 → 網路), and their reverse before Traditional →
/// Simplified (tw2sp: 軟體 → 软件). The dictionaries are read once, on first use, and shared.
/// </summary>
internal static class ChineseConverter
{
    /// <summary>One stage: a table looked up by the longest key at each position.</summary>
    sealed class Stage
    {
        readonly Dictionary<string, string> _map = new(StringComparer.Ordinal);
        readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
        readonly int _longest = 1;
        // Which characters begin a key: every other one is copied as it is, with no lookup.
        readonly bool[] _starts = new bool[char.MaxValue + 1];

        public Stage(params IEnumerable<KeyValuePair<string, string>>[] tables)
        {
            // Earlier tables win on the same key (OpenCC's short-circuit groups: phrases before characters).
            foreach (var (key, value) in tables.SelectMany(t => t))
                if (_map.TryAdd(key, value))
                    (_longest, _starts[key[0]]) = (Math.Max(_longest, key.Length), true);
            _lookup = _map.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        public string Apply(string text)
        {
            StringBuilder? sb = null;
            var span = text.AsSpan();
            var copied = 0;
            for (var i = 0; i < span.Length;)
            {
                var c = span[i];
                if (!_starts[c])
                {
                    i++;
                    continue;
                }
                var matched = 0;
                string? value = null;
                for (var n = Math.Min(_longest, span.Length - i); n >= 1; n--)
                {
                    if (_lookup.TryGetValue(span.Slice(i, n), out value))
                    {
                        matched = n;
                        break;
                    }
                }
                if (matched == 0)
                {
                    i += char.IsHighSurrogate(c) && i + 1 < span.Length ? 2 : 1;
                    continue;
                }
                sb ??= new StringBuilder(text.Length);
                sb.Append(span[copied..i]).Append(value);
                i += matched;
                copied = i;
            }
            return sb is null ? text : sb.Append(span[copied..]).ToString();
        }
    }

    sealed record Pipelines(Stage ToTraditional, Stage ToSimplified, Stage TaiwanVocabulary, Stage FromTaiwanVocabulary);

    static readonly Lazy<Pipelines> Loaded = new(Load);

    /// <summary>Loads the dictionaries now (at start), so the first converted answer does not pay for it.</summary>
    public static void Warm() => _ = Loaded.Value;

    /// <summary>The text in <paramref name="script"/>; text already in the script (by its language tag) only gets the regional stage.</summary>
    public static string Convert(string text, ChineseScript script, string? language)
    {
        var p = Loaded.Value;
        var converted = script.Writes(language) ? text : script.Simplified
            ? p.ToSimplified.Apply(script.Regional ? p.FromTaiwanVocabulary.Apply(text) : text)
            : p.ToTraditional.Apply(text);
        if (script.Regional && !script.Simplified)
            converted = p.TaiwanVocabulary.Apply(converted);
        return converted;
    }

    static Pipelines Load()
    {
        var variants = Table("TWVariants");
        return new Pipelines(
            new Stage(Table("STPhrases"), Table("STCharacters")),
            new Stage(Table("TSPhrases"), Table("TSCharacters")),
            new Stage(Table("TWPhrases"), Table("TWVariantsPhrases"), variants),
            // OpenCC builds TWVariantsRev from TWVariants at build time; it is the same table read backwards.
            new Stage(Table("TWPhrasesRev"), Table("TWVariantsRevPhrases"), variants.Select(v => KeyValuePair.Create(v.Value, v.Key))));
    }

    /// <summary>An OpenCC dictionary: key, a tab, candidates separated by spaces (the first is the conversion); # comments.</summary>
    static List<KeyValuePair<string, string>> Table(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"NewsApi.Content.OpenCC.{name}.txt")
                           ?? throw new InvalidOperationException($"OpenCC dictionary {name} is not embedded.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var rows = new List<KeyValuePair<string, string>>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
                continue;
            var tab = line.IndexOf('\t');
            if (tab <= 0)
                continue;
            var values = line.AsSpan(tab + 1);
            var space = values.IndexOf(' ');
            rows.Add(KeyValuePair.Create(line[..tab], (space < 0 ? values : values[..space]).ToString()));
        }
        return rows;
    }
}
