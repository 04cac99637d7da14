using System.Globalization;
using System.Text.RegularExpressions;

namespace NewsApi.Content;

/// <summary>A sidebar list printed after a wire story, such as 「國內新聞精選」, with the times of its entries in UTC.</summary>
internal sealed record FeaturedTimes(string Title, IReadOnlyList<DateTimeOffset> Times);

/// <summary>
/// A Chinese agency story parsed from plain wire text: title line, dateline lead, paragraphs with short sub-headings,
/// the 「(完)」 end mark, then topic lines (「- 專題:…」) and a featured list (「國內新聞精選:」 with Beijing times).
/// </summary>
internal sealed partial record WireStory(
    string Title,
    Dateline? Dateline,
    string? Byline,
    IReadOnlyList<Block> Body,
    IReadOnlyList<string> Topics,
    FeaturedTimes? Featured,
    bool HasEndMark)
{
    /// <summary>Longest line that can be a sub-heading.</summary>
    public const int MaxHeadingLength = 20;

    private static readonly TimeSpan BeijingOffset = TimeSpan.FromHours(8);
    private static readonly string[] EndMarks = ["(完)", "（完）"];

    /// <summary>
    /// Parses wire text. The dateline carries no year: it is taken from the story when the lead paragraphs name one
    /// (「2023年…」), else from <paramref name="referenceDate"/>, else from today.
    /// </summary>
    public static WireStory Parse(string raw, DateOnly? referenceDate)
    {
        ArgumentNullException.ThrowIfNull(raw);

        var lines = TextCleaner.Clean(raw).Split('\n');
        var first = Array.FindIndex(lines, line => line.Length > 0);
        if (first < 0)
            return new WireStory("", null, null, [], [], null, false);

        var title = lines[first];
        var end = Array.FindIndex(lines, first + 1, IsAfterMatter);
        if (end < 0)
            end = lines.Length;

        var body = Blocks(lines.AsSpan(first + 1, end - first - 1));
        var hasEndMark = RemoveEndMark(body);

        Dateline? dateline = null;
        string? byline = null;
        var leadIndex = body.FindIndex(b => b.Type == BlockTypes.Paragraph);
        if (leadIndex >= 0)
        {
            var reference = ReferenceDate(body, referenceDate);
            if (DatelineParser.Parse(body[leadIndex].Text!, reference) is { } parsed)
            {
                (dateline, byline) = (parsed.Dateline, parsed.Byline);
                if (parsed.Rest.Length > 0)
                    body[leadIndex] = Block.Paragraph(parsed.Rest);
                else
                    body.RemoveAt(leadIndex);
            }
        }

        var (topics, featured) = AfterMatter(lines.AsSpan(end));
        return new WireStory(title, dateline, byline, body.AsReadOnly(), topics.AsReadOnly(), featured, hasEndMark);
    }

    private static List<Block> Blocks(ReadOnlySpan<string> lines)
    {
        var blocks = new List<Block>();
        var afterBlank = false;
        foreach (var line in lines)
        {
            if (line.Length == 0)
            {
                afterBlank = true;
                continue;
            }

            blocks.Add(afterBlank && blocks.Count > 0 && IsHeading(line) ? Block.Heading(line) : Block.Paragraph(line));
            afterBlank = false;
        }

        return blocks;
    }

    private static bool IsHeading(string line) =>
        line.Length <= MaxHeadingLength && line.IndexOfAny(['。', '！', '？', '!', '?', '…', '；', ';', '：', ':', '，', ',']) < 0;

    private static bool RemoveEndMark(List<Block> body)
    {
        var last = body.FindLastIndex(b => b.Type == BlockTypes.Paragraph);
        if (last < 0)
            return false;

        var text = body[last].Text!.TrimEnd();
        var mark = EndMarks.FirstOrDefault(m => text.EndsWith(m, StringComparison.Ordinal));
        if (mark is null)
            return false;

        text = text[..^mark.Length].TrimEnd();
        if (text.Length > 0)
            body[last] = Block.Paragraph(text);
        else
            body.RemoveAt(last);
        return true;
    }

    private static bool IsAfterMatter(string line) => TopicLine().IsMatch(line) || FeaturedHeader().IsMatch(line);

    private static (List<string> Topics, FeaturedTimes? Featured) AfterMatter(ReadOnlySpan<string> lines)
    {
        var topics = new List<string>();
        string? featuredTitle = null;
        var times = new List<DateTimeOffset>();
        foreach (var line in lines)
        {
            if (TopicLine().Match(line) is { Success: true } topic)
            {
                topics.Add(topic.Groups["topic"].Value.Trim());
            }
            else if (FeaturedHeader().Match(line) is { Success: true } header)
            {
                featuredTitle ??= header.Groups["title"].Value.Trim();
            }
            else if (featuredTitle is not null && ListTime().Match(line) is { Success: true } time)
            {
                var local = DateTime.ParseExact(
                    $"{time.Groups["date"].Value} {time.Groups["time"].Value}", "yyyy年M月d日 H:mm:ss", CultureInfo.InvariantCulture);
                times.Add(new DateTimeOffset(local, BeijingOffset).ToUniversalTime());
            }
        }

        return (topics, featuredTitle is null ? null : new FeaturedTimes(featuredTitle, times.AsReadOnly()));
    }

    /// <summary>
    /// The date the dateline's month and day are read against. A year named in the first paragraphs wins, because the
    /// caller's date may be when the copy was fetched rather than written; within that year the caller's date still bounds it.
    /// </summary>
    private static DateOnly ReferenceDate(List<Block> body, DateOnly? given)
    {
        var fallback = given ?? DateOnly.FromDateTime(DateTime.UtcNow);
        var years = body.Where(b => b.Type == BlockTypes.Paragraph).Take(3)
            .SelectMany(b => YearMention().Matches(b.Text!).Select(m => int.Parse(m.Groups["year"].Value, CultureInfo.InvariantCulture)))
            .Where(year => year <= fallback.Year)
            .ToList();
        if (years.Count == 0)
            return fallback;

        var year = years.Max();
        return year == fallback.Year ? fallback : new DateOnly(year, 12, 31);
    }

    [GeneratedRegex(@"^[-－–—•·*]?\s*(?:專題|专题)[:：]\s*(?<topic>.+)$", RegexOptions.NonBacktracking)]
    private static partial Regex TopicLine();

    [GeneratedRegex(@"^(?<title>\S{0,20}(?:新聞精選|新闻精选|精選|精选))[:：]$", RegexOptions.NonBacktracking)]
    private static partial Regex FeaturedHeader();

    [GeneratedRegex(@"^[-－–—•·*]?\s*(?<date>\d{4}年\d{1,2}月\d{1,2}日)\s+(?<time>\d{1,2}:\d{2}:\d{2})\s*$", RegexOptions.NonBacktracking)]
    private static partial Regex ListTime();

    [GeneratedRegex(@"(?<![0-9０-９])(?<year>20[0-9]{2})年")]
    private static partial Regex YearMention();
}
