using System.Text;
using NewsApi.Content;

namespace NewsApi.Tests.Content;

public class TextCleanerTests
{
    static TextCleanerTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static Encoding Gb18030 => Encoding.GetEncoding(54936, EncoderFallback.ExceptionFallback, new DecoderReplacementFallback("?"));

    [Theory]
    [InlineData("網(wǎng)", "網")]
    [InlineData("會(huì )", "會")]
    [InlineData("創(chuàng )新", "創新")]
    [InlineData("十年來(lái)", "十年來")]
    [InlineData("下稱(chēng)", "下稱")]
    [InlineData("網（wǎng）絡（luò ）", "網絡")]
    [InlineData("聯(lián)網(wǎng)大會(huì )", "聯網大會")]
    [InlineData("互聯(lian)網(wang)", "互聯網")]
    [InlineData("綠(lǜ)色", "綠色")]
    [InlineData("中國(zhōng guó)", "中國")]
    public void Pinyin_after_a_character_is_removed(string input, string expected) =>
        Assert.Equal(expected, TextCleaner.StripPinyin(input));

    [Fact]
    public void Pinyin_inside_real_parentheses_is_removed_and_the_parentheses_stay() =>
        Assert.Equal("烏鎮峰會(下稱烏鎮峰會)正式落下帷幕", TextCleaner.StripPinyin("烏鎮峰會(huì )(下稱(chēng)烏鎮峰會(huì ))正式落下帷幕"));

    [Theory]
    [InlineData("中新網烏鎮11月11日電(張煜歡)11月10日")]
    [InlineData("烏鎮峰會(下稱烏鎮峰會)正式落下帷幕")]
    [InlineData("人工智能(AI)")]
    [InlineData("東盟首家(5G)智慧醫院")]
    [InlineData("新華社北京11月11日電(記者 王某)")]
    [InlineData("網絡(internet)")]
    [InlineData("網絡(Internet)")]
    [InlineData("見附件(a)")]
    [InlineData("協議(http)")]
    [InlineData("Wuzhen(wǎng)")]
    [InlineData("(wǎng)開頭")]
    public void Parentheses_that_are_not_a_pinyin_gloss_stay(string text) =>
        Assert.Equal(text, TextCleaner.StripPinyin(text));

    [Theory]
    [InlineData("同時也希望更多地參與到其中來。”</p>", "同時也希望更多地參與到其中來。”")]
    [InlineData("<p>十年前,一“網”情深的故事</p>", "十年前,一“網”情深的故事")]
    [InlineData("第一句。<br/>第二句。", "第一句。第二句。")]
    [InlineData("<span class=\"x\">烏鎮</span>峰會", "烏鎮峰會")]
    [InlineData("<!-- 廣告 -->正文", "正文")]
    [InlineData("參與到其中來。”/p>", "參與到其中來。”")]
    public void Stray_markup_is_removed(string input, string expected) =>
        Assert.Equal(expected, TextCleaner.StripStrayMarkup(input));

    [Theory]
    [InlineData("若 a<b 且 c>d")]
    [InlineData("《世界互聯網發展報告2023》藍皮書")]
    [InlineData("<q>引文</q> 不是常見段落標記")]
    [InlineData("比例為1/p>2")]
    public void Text_that_only_looks_like_markup_stays(string text) =>
        Assert.Equal(text, TextCleaner.StripStrayMarkup(text));

    [Fact]
    public void Line_endings_are_normalised_and_lines_trimmed() =>
        Assert.Equal(
            "標題\n\n正文第一段。\n正文第二段。",
            TextCleaner.Clean("  標題 \r\n\r\n\u3000\u3000正文第一段。\r正文第二段。  \n\n"));

    [Theory]
    [InlineData("心向“網”之:為何是烏鎮?")]
    [InlineData("十年來,為什么烏鎮峰會能成為“主舞臺”?")]
    [InlineData("全形標點，保持原樣：是的！")]
    public void Punctuation_is_left_as_the_source_has_it(string text) =>
        Assert.Equal(text, TextCleaner.Clean(text));

    [Fact]
    public void The_damaged_runs_of_the_sample_are_repaired()
    {
        var lines = TextCleaner.Clean(WuzhenSample.Read()).Split('\n');

        Assert.Contains(lines, line => line.EndsWith(
            "有助于世界各國更多地參與和發展技術。“我們期著向中國學習,同時也希望更多地參與到其中來。”", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains(
            "是中國飛速發展的縮影。”世界互聯網大會副理事長弗朗西斯·高銳表示", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.EndsWith(
            "發展與治理的新華章。”世界互聯網大會秘書長任賢良說。", StringComparison.Ordinal));
    }

    [Fact]
    public void Repair_leaves_the_rest_of_the_sample_byte_for_byte()
    {
        var raw = WuzhenSample.Read();
        var repaired = TextCleaner.RepairMojibake(raw).Split('\n');
        var original = raw.Split('\n');

        Assert.Equal(original.Length, repaired.Length);
        var changed = Enumerable.Range(0, original.Length).Where(i => original[i] != repaired[i]).ToList();
        Assert.Equal(3, changed.Count);
        Assert.All(changed, i => Assert.Contains("?!", original[i], StringComparison.Ordinal));
    }

    [Fact]
    public void Utf8_text_read_as_gbk_is_repaired()
    {
        const string text = "他說:“我們期待著向中國學習。”世界互聯網大會";
        var damaged = Gb18030.GetString(Encoding.UTF8.GetBytes(text));
        Assert.NotEqual(text, damaged);

        Assert.Equal(text, TextCleaner.RepairMojibake(damaged));
    }

    [Fact]
    public void Gbk_text_read_one_byte_out_of_step_is_repaired()
    {
        const string text = "我们期待着向中国学习，同时也希望更多地参与到其中来。";
        var bytes = Gb18030.GetBytes(text);
        var damaged = "前文" + Gb18030.GetString([0x8F, .. bytes]);
        Assert.DoesNotContain("我们", damaged, StringComparison.Ordinal);

        // The closing 。 lost its trail byte; several punctuation marks fit, so it is dropped rather than guessed.
        Assert.Equal("前文我们期待着向中国学习，同时也希望更多地参与到其中来", TextCleaner.RepairMojibake(damaged));
    }

    [Fact]
    public void A_character_whose_lost_byte_can_not_be_inferred_is_dropped()
    {
        const string text = "我们期待着向中国学习，同时也希望更多地参与到其中来。";
        var damaged = Gb18030.GetString(Encoding.UTF8.GetBytes(text));
        Assert.Contains("?", damaged, StringComparison.Ordinal);

        var repaired = TextCleaner.RepairMojibake(damaged);

        // 着 and the final 。 each lost a byte that no candidate rule pins down.
        Assert.Equal("我们期待向中国学习，同时也希望更多地参与到其中来", repaired);
    }

    [Fact]
    public void The_cleaned_sample_passes_through_unchanged()
    {
        var clean = TextCleaner.Clean(WuzhenSample.Read());

        Assert.Equal(clean, TextCleaner.RepairMojibake(clean));
        Assert.Equal(clean, TextCleaner.Clean(clean));
    }

    [Theory]
    [InlineData("国务院总理李强11日主持召开国务院常务会议，研究部署进一步优化营商环境。")]
    [InlineData("据悉，嫦娥六号着陆器在月球背面南极—艾特肯盆地采集了月壤样品。")]
    [InlineData("鄔賀銓院士表示，烏鎮峰會正進一步成為互聯網技術創新發展的驅動者。")]
    [InlineData("記者從廈門、汕頭、湛江三地了解到，颱風“杜蘇芮”已減弱。")]
    [InlineData("他問道：“真的嗎?!?”隨即離開。")]
    [InlineData("“真的嗎?!?")]
    [InlineData("為何是烏鎮??")]
    [InlineData("鋰、鈷、鎳等礦產價格波動，碲化鎘與砷化鎵電池受關注。")]
    [InlineData("詹姆斯·韋伯太空望遠鏡拍攝到①號星系，溫度約為-273℃。")]
    [InlineData("日本動畫《となりのトトロ》在中國內地上映，票房逾1億元。")]
    [InlineData("韓國總統尹錫悅（윤석열）表示將訪華。")]
    [InlineData("喆、堃、淼、犇、玥等生僻字常見於人名，如王喆、李堃、張淼。")]
    [InlineData("龘、靐、齉、爩笔画繁多。")]
    [InlineData("Wi-Fi 7與5G-A技術(下稱“新技術”)在烏鎮展出。")]
    public void Ordinary_text_is_never_altered(string text)
    {
        Assert.Equal(text, TextCleaner.RepairMojibake(text));
        Assert.Equal(text, TextCleaner.Clean(text));
    }

    [Fact]
    public void Ordinary_text_with_rare_characters_close_together_is_never_altered()
    {
        // Sentences of the sample with real but rare characters (GB2312 level 2) put two or three at a time within a
        // few characters of each other, the situation where the repair looks hardest at ordinary text.
        var sentences = TextCleaner.Clean(WuzhenSample.Read()).Split('\n').Where(line => line.Length > 30).ToArray();
        var rare = new List<char>();
        for (var lead = 0xD8; lead <= 0xF7; lead++)
        {
            for (var trail = 0xA1; trail <= 0xFE; trail++)
            {
                var decoded = Gb18030.GetString([(byte)lead, (byte)trail]);
                if (decoded.Length == 1 && decoded[0] >= 0x4E00)
                    rare.Add(decoded[0]);
            }
        }

        var random = new Random(20231111);
        var altered = new List<string>();
        for (var trial = 0; trial < 3000; trial++)
        {
            var chars = sentences[random.Next(sentences.Length)].ToList();
            var at = random.Next(chars.Count - 8);
            for (var k = random.Next(2, 4); k > 0; k--)
                chars.Insert(at + random.Next(0, 7), rare[random.Next(rare.Count)]);
            var text = new string([.. chars]);
            if (TextCleaner.RepairMojibake(text) != text)
                altered.Add(text);
        }

        Assert.Empty(altered);
    }
}
