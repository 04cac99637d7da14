using System.Text;

namespace NewsApi.Content.Mojibake;

/// <summary>The two-byte GBK characters (as GB18030 maps them) and which of them are in everyday use.</summary>
internal sealed class Gbk
{
    /// <summary>Punctuation a sentence may hold; a lost byte may be restored to one of these.</summary>
    public static readonly HashSet<char> SentencePunctuation = [.. "。，、；：？！“”‘’「」『』（）《》〈〉【】〔〕…—·"];

    private static readonly Lazy<Gbk> Shared = new(() => new Gbk());

    private readonly char[] byPair = new char[0x10000];
    private readonly Dictionary<char, int> pairByChar = [];
    private readonly HashSet<char> everyday = [];
    private readonly HashSet<char> big5Chars = [];
    private readonly HashSet<char> gb2312Chars = [];

    private Gbk()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var gb18030 = Encoding.GetEncoding(54936, EncoderFallback.ReplacementFallback, new DecoderReplacementFallback("\uFFFD"));
        var big5 = Encoding.GetEncoding(950, EncoderFallback.ReplacementFallback, new DecoderReplacementFallback("\uFFFD"));
        var pair = new byte[2];

        for (var lead = 0x81; lead <= 0xFE; lead++)
        {
            for (var trail = 0x40; trail <= 0xFE; trail++)
            {
                if (trail == 0x7F)
                    continue;
                pair[0] = (byte)lead;
                pair[1] = (byte)trail;
                var decoded = gb18030.GetString(pair);
                if (decoded.Length != 1 || decoded[0] == '\uFFFD')
                    continue;
                var c = decoded[0];
                byPair[lead << 8 | trail] = c;
                pairByChar.TryAdd(c, lead << 8 | trail);
                if (lead is >= 0xA1 and <= 0xF7 && trail >= 0xA1)
                    gb2312Chars.Add(c);
                // GB2312 level 1: the 3,755 most used simplified characters.
                if (lead is >= 0xB0 and <= 0xD7 && trail >= 0xA1)
                    everyday.Add(c);
            }
        }

        // Big5 level 1, A440–C67E, holds the 5,401 most used traditional characters; level 2 follows up to F9FE.
        for (var lead = 0xA1; lead <= 0xF9; lead++)
        {
            foreach (var trail in Enumerable.Range(0x40, 0x3F).Concat(Enumerable.Range(0xA1, 0x5E)))
            {
                pair[0] = (byte)lead;
                pair[1] = (byte)trail;
                var decoded = big5.GetString(pair);
                if (decoded.Length != 1 || decoded[0] == '\uFFFD')
                    continue;
                big5Chars.Add(decoded[0]);
                if (ChineseText.IsHan(decoded[0]) && (lead << 8 | trail) is >= 0xA440 and <= 0xC67E)
                    everyday.Add(decoded[0]);
            }
        }

        everyday.UnionWith(SentencePunctuation);
    }

    public static Gbk Instance => Shared.Value;

    /// <summary>The character for a two-byte sequence, or '\0' when there is none.</summary>
    public char Decode(int lead, int trail) => lead is >= 0 and <= 0xFF && trail is >= 0 and <= 0xFF ? byPair[lead << 8 | trail] : '\0';

    public bool TryEncode(char c, out int lead, out int trail)
    {
        if (pairByChar.TryGetValue(c, out var code))
        {
            lead = code >> 8;
            trail = code & 0xFF;
            return true;
        }

        lead = trail = -1;
        return false;
    }

    /// <summary>Characters whose known byte matches; -1 marks the unknown one.</summary>
    public IReadOnlyList<string> Candidates(int lead, int trail)
    {
        var results = new List<string>();
        for (var l = 0x81; l <= 0xFE; l++)
        {
            if (lead >= 0 && l != lead)
                continue;
            for (var t = 0x40; t <= 0xFE; t++)
            {
                if (trail >= 0 && t != trail)
                    continue;
                var c = byPair[l << 8 | t];
                if (c != '\0')
                    results.Add(c.ToString());
            }
        }

        return results;
    }

    public bool InBig5(char c) => big5Chars.Contains(c);

    public bool InGb2312(char c) => gb2312Chars.Contains(c);

    /// <summary>GB2312 level 1, Big5 level 1, or sentence punctuation.</summary>
    public bool IsEveryday(char c) => everyday.Contains(c);
}
