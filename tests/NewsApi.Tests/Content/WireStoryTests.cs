using System.Text;
using System.Text.RegularExpressions;
using NewsApi.Content;

namespace NewsApi.Tests.Content;

public class WireStoryTests
{
    private static readonly WireStory Sample = WireStory.Parse(WuzhenSample.Read(), null);

    private static IEnumerable<string> AllText(WireStory story) =>
        new[] { story.Title, story.Byline ?? "", story.Dateline?.Text ?? "" }
            .Concat(story.Body.Select(b => b.Text ?? ""))
            .Concat(story.Topics)
            .Concat(story.Featured is null ? [] : [story.Featured.Title]);

    [Fact]
    public void The_sample_has_its_title_dateline_and_byline()
    {
        Assert.Equal("心向“網”之:為何是烏鎮?", Sample.Title);
        Assert.Equal(new Dateline("中新網", "烏鎮", new DateOnly(2023, 11, 11), "中新網烏鎮11月11日電"), Sample.Dateline);
        Assert.Equal("張煜歡", Sample.Byline);
    }

    [Fact]
    public void The_sample_lead_keeps_its_real_parentheses_and_loses_the_dateline()
    {
        var lead = Sample.Body[0];

        Assert.Equal(BlockTypes.Paragraph, lead.Type);
        Assert.StartsWith("11月10日,2023年世界互聯網大會烏鎮峰會(下稱烏鎮峰會)正式落下帷幕。", lead.Text, StringComparison.Ordinal);
        Assert.StartsWith("中新網烏鎮11月11日電(張煜歡)11月10日", TextCleaner.Clean(WuzhenSample.Read()).Split('\n')[1], StringComparison.Ordinal);
    }

    [Fact]
    public void The_sample_has_exactly_its_three_sub_headings()
    {
        var headings = Sample.Body.Where(b => b.Type == BlockTypes.Heading).ToList();

        Assert.Equal(["聚焦發展 共享普惠繁榮", "關注挑戰 共創和平安全", "增進文明 共倡平等包容"], headings.Select(h => h.Text));
        Assert.All(headings, h => Assert.Equal(2, h.Level));
        Assert.All(Sample.Body.Where(b => b.Type != BlockTypes.Heading), b => Assert.Equal(BlockTypes.Paragraph, b.Type));
    }

    [Fact]
    public void The_sample_end_mark_is_removed_and_noted()
    {
        Assert.True(Sample.HasEndMark);
        Assert.EndsWith("心向“網”之的小鎮故事,未完待續。", Sample.Body[^1].Text, StringComparison.Ordinal);
        Assert.DoesNotContain(AllText(Sample), t => t.Contains("(完)", StringComparison.Ordinal) || t.Contains("（完）", StringComparison.Ordinal));
    }

    [Fact]
    public void No_pinyin_is_left_in_the_sample()
    {
        var toneMarked = new Regex("[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]");

        Assert.DoesNotContain(AllText(Sample), t => toneMarked.IsMatch(t));
        Assert.DoesNotContain(AllText(Sample), t => Regex.IsMatch(t, @"\p{IsCJKUnifiedIdeographs}[(（][a-z]"));
    }

    [Fact]
    public void No_mis_decoded_text_is_left_in_the_sample()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var big5 = Encoding.GetEncoding(950, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        var text = string.Join('\n', AllText(Sample));

        Assert.DoesNotContain('\uFFFD', text);
        Assert.DoesNotContain("?!", text, StringComparison.Ordinal);
        Assert.DoesNotContain("</p>", text, StringComparison.Ordinal);
        Assert.DoesNotContain("/p>", text, StringComparison.Ordinal);
        // The story is in traditional characters, so every Han character is one Big5 has; the garbage
        // (拔覀兤诖, 笔澜缁ヂ) is simplified or outside Big5.
        var notBig5 = text.Where(c => c >= 0x3400 && c <= 0x9FFF && !CanEncode(big5, c)).Distinct().ToList();
        Assert.Empty(notBig5);
        Assert.DoesNotContain(text, c => c is >= '\u3040' and <= '\u30FF');
    }

    [Fact]
    public void The_only_question_mark_left_in_the_sample_body_is_a_real_question()
    {
        var withQuestionMark = Sample.Body.Where(b => b.Text!.Contains('?')).ToList();

        var question = Assert.Single(withQuestionMark);
        Assert.Equal(1, question.Text!.Count(c => c == '?'));
        Assert.EndsWith("為什么烏鎮峰會能成為世界互聯網發展的“聚光燈”“主舞臺”?", question.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_sample_mojibake_is_repaired_in_the_body()
    {
        Assert.Contains(Sample.Body, b => b.Text!.Contains("是中國飛速發展的縮影。”世界互聯網大會副理事長", StringComparison.Ordinal));
        Assert.Contains(Sample.Body, b => b.Text!.Contains("的新華章。”世界互聯網大會秘書長任賢良說。", StringComparison.Ordinal));
        Assert.Contains(Sample.Body, b => b.Text!.EndsWith("“我們期著向中國學習,同時也希望更多地參與到其中來。”", StringComparison.Ordinal));
    }

    [Fact]
    public void The_sample_topic_and_featured_list_are_read()
    {
        Assert.Equal(["2023年世界互聯網大會烏鎮峰會"], Sample.Topics);

        Assert.NotNull(Sample.Featured);
        Assert.Equal("國內新聞精選", Sample.Featured.Title);
        Assert.Equal(10, Sample.Featured.Times.Count);
        Assert.Equal(DateTimeOffset.Parse("2025-07-01T02:51:57Z"), Sample.Featured.Times[0]);
        Assert.Equal(TimeSpan.Zero, Sample.Featured.Times[0].Offset);
        Assert.Equal(DateTimeOffset.Parse("2025-06-29T11:57:36Z"), Sample.Featured.Times[^1]);
        Assert.All(Sample.Featured.Times, t => Assert.Equal(TimeSpan.Zero, t.Offset));
    }

    [Fact]
    public void The_sample_body_ends_before_the_topic_and_featured_list()
    {
        Assert.DoesNotContain(Sample.Body, b => b.Text!.StartsWith('-') || b.Text.Contains("專題", StringComparison.Ordinal) || b.Text.Contains("新聞精選", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("2023-11-11")]
    [InlineData("2025-07-01")] // a fetch date: the year named in the lead still wins
    public void The_sample_dateline_is_dated_2023_11_11(string? reference)
    {
        var story = WireStory.Parse(WuzhenSample.Read(), reference is null ? null : DateOnly.Parse(reference));

        Assert.Equal(new DateOnly(2023, 11, 11), story.Dateline?.Date);
    }

    [Fact]
    public void Without_a_year_in_the_story_the_callers_date_decides()
    {
        var story = WireStory.Parse("標題\n新華社北京3月5日電 國務院召開會議。", new DateOnly(2024, 3, 10));

        Assert.Equal(new DateOnly(2024, 3, 5), story.Dateline?.Date);
    }

    [Fact]
    public void Without_any_date_the_year_comes_from_today()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var story = WireStory.Parse("標題\n新華社北京1月1日電 新年致辭。", null);

        Assert.Equal(new DateOnly(today.AddDays(DatelineParser.ToleranceDays).Year, 1, 1), story.Dateline?.Date);
    }

    [Fact]
    public void A_short_line_after_a_blank_line_without_sentence_punctuation_is_a_sub_heading()
    {
        var story = WireStory.Parse(
            "標題\n第一段。\n\n小標題\n第二段。\n不是標題\n第三段。\n\n這一行有句號。\n\n這一行很長很長很長很長很長很長很長很長很長所以是段落\n最後一段。（完）",
            new DateOnly(2024, 1, 1));

        Assert.Equal(
            [BlockTypes.Paragraph, BlockTypes.Heading, BlockTypes.Paragraph, BlockTypes.Paragraph, BlockTypes.Paragraph, BlockTypes.Paragraph, BlockTypes.Paragraph, BlockTypes.Paragraph],
            story.Body.Select(b => b.Type));
        Assert.Equal("小標題", story.Body[1].Text);
        Assert.Equal("最後一段。", story.Body[^1].Text);
        Assert.True(story.HasEndMark);
    }

    [Fact]
    public void Simplified_after_matter_is_read()
    {
        var story = WireStory.Parse(
            "标题\n中新网北京11月11日电 正文。(完)\n\n- 专题：2023年世界互联网大会乌镇峰会\n国内新闻精选：\n- 2025年07月01日 08:00:00",
            null);

        Assert.Equal(["2023年世界互联网大会乌镇峰会"], story.Topics);
        Assert.Equal("国内新闻精选", story.Featured?.Title);
        Assert.Equal([DateTimeOffset.Parse("2025-07-01T00:00:00Z")], story.Featured!.Times);
        Assert.Equal("中新网", story.Dateline?.Agency);
        Assert.Equal(["正文。"], story.Body.Select(b => b.Text));
    }

    [Fact]
    public void A_story_without_dateline_or_end_mark_is_still_read()
    {
        var story = WireStory.Parse("標題\n據新華社報道,會議召開。\n第二段。", null);

        Assert.Equal("標題", story.Title);
        Assert.Null(story.Dateline);
        Assert.Null(story.Byline);
        Assert.False(story.HasEndMark);
        Assert.Empty(story.Topics);
        Assert.Null(story.Featured);
        Assert.Equal(["據新華社報道,會議召開。", "第二段。"], story.Body.Select(b => b.Text));
    }

    private static bool CanEncode(Encoding encoding, char c)
    {
        try
        {
            encoding.GetBytes([c]);
            return true;
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
    }
}

/// <summary>The Wuzhen sample as the product embeds it, found from the test's output folder.</summary>
internal static class WuzhenSample
{
    public static string Read()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NewsApi.sln")))
                return File.ReadAllText(Path.Combine(dir.FullName, "src", "NewsApi", "Demo", "wuzhen-summit-article.txt"));
        }

        throw new FileNotFoundException("NewsApi.sln was not found above " + AppContext.BaseDirectory);
    }
}
