using System.Text;
using NewsApi.Content;

namespace NewsApi.Benchmarks;

/// <summary>
/// A reproducible corpus of Chinese news-like articles: words taken from the sample Wuzhen story (the most
/// frequent) and generated words after them, drawn with Zipf frequencies (the r-th word ~ 1/r), so that some
/// pairs appear in nearly every article and others in a few hundred. Same seed, same corpus.
/// </summary>
public sealed class Corpus
{
    readonly string[] _words;
    readonly double[] _cumulative;
    readonly Random _random;

    public Corpus(int seed, string sample)
    {
        _random = new Random(seed);
        var words = new List<string>();
        var seen = new HashSet<string>();
        // Real words first: the sample's runs of Han characters cut into pieces of 2 to 4 characters.
        foreach (var run in HanRuns(sample))
        {
            for (var i = 0; i < run.Length;)
            {
                var length = Math.Min(run.Length - i, _random.Next(2, 5));
                if (length >= 2 && seen.Add(run.Substring(i, length)))
                    words.Add(run.Substring(i, length));
                i += Math.Max(length, 1);
            }
        }
        // Then generated words from the sample's characters and 2,500 more common-range ideographs.
        var characters = sample.Where(c => ChineseText.IsHan(c)).Distinct()
            .Concat(Enumerable.Range(0, 2500).Select(_ => (char)_random.Next(0x4E00, 0x8C00))).Distinct().ToArray();
        while (words.Count < 30_000)
        {
            var roll = _random.NextDouble();
            var length = roll < 0.55 ? 2 : roll < 0.8 ? 3 : 4;
            var word = new string(Enumerable.Range(0, length).Select(_ => characters[_random.Next(characters.Length)]).ToArray());
            if (seen.Add(word))
                words.Add(word);
        }
        _words = words.ToArray();
        _cumulative = new double[_words.Length];
        var total = 0.0;
        for (var r = 0; r < _words.Length; r++)
            _cumulative[r] = total += 1.0 / (r + 1);
    }

    public IReadOnlyList<string> Words => _words;

    /// <summary>Words of a length by frequency rank: the most frequent, or ones far down the tail.</summary>
    public List<string> Common(int length, int count) => _words.Where(w => w.Length == length).Take(count).ToList();

    public List<string> Rare(int length, int count) =>
        _words.Skip(20_000).Where(w => w.Length == length).Take(count).ToList();

    public Random Random => _random;

    string Word()
    {
        var i = Array.BinarySearch(_cumulative, _random.NextDouble() * _cumulative[^1]);
        return _words[Math.Min(i < 0 ? ~i : i, _words.Length - 1)];
    }

    public string Phrase(int minWords, int maxWords)
    {
        var sb = new StringBuilder();
        var n = _random.Next(minWords, maxWords + 1);
        for (var i = 0; i < n; i++)
            sb.Append(Word());
        return sb.ToString();
    }

    static readonly string[] Latin = ["5G", "AI", "2023年", "GDP", "APEC", "30%", "iPhone", "120多個"];

    /// <summary>Paragraphs of sentences until the body holds about <paramref name="characters"/> characters.</summary>
    public List<string> Body(int characters)
    {
        var paragraphs = new List<string>();
        var length = 0;
        while (length < characters)
        {
            var sb = new StringBuilder();
            var sentences = _random.Next(3, 7);
            for (var s = 0; s < sentences; s++)
            {
                var clauses = _random.Next(1, 4);
                for (var c = 0; c < clauses; c++)
                {
                    if (_random.NextDouble() < 0.08)
                        sb.Append(Latin[_random.Next(Latin.Length)]);
                    sb.Append(Phrase(3, 8));
                    sb.Append(c < clauses - 1 ? '，' : '。');
                }
            }
            paragraphs.Add(sb.ToString());
            length += sb.Length;
        }
        return paragraphs;
    }

    static IEnumerable<string> HanRuns(string text)
    {
        var sb = new StringBuilder();
        foreach (var c in text)
        {
            if (ChineseText.IsHan(c))
                sb.Append(c);
            else if (sb.Length > 0)
            {
                yield return sb.ToString();
                sb.Clear();
            }
        }
        if (sb.Length > 0)
            yield return sb.ToString();
    }
}
