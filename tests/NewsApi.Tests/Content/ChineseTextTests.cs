using NewsApi.Content;

namespace NewsApi.Tests.Content;

public class ChineseTextTests
{
    [Theory]
    [InlineData("", 0)]
    [InlineData("中國", 2)]
    [InlineData("AI換臉", 3)]
    [InlineData("5G智慧醫院", 5)]
    [InlineData("2023年世界互聯網大會", 9)]
    [InlineData("1,800多名嘉賓", 5)]
    [InlineData("COVID-19疫情", 3)]
    [InlineData("Hello world", 2)]
    [InlineData("，。！？“”、……—— \u3000\n", 0)]
    [InlineData("心向“網”之:為何是烏鎮?", 9)]
    [InlineData("ひらがなカタカナ", 8)]
    [InlineData("コーヒー", 4)]
    [InlineData("한국어", 3)]
    [InlineData("𠀀𪚥", 2)]
    [InlineData("豈兀", 2)]
    [InlineData("〇", 1)]
    public void Han_kana_and_hangul_count_one_each_and_a_latin_word_counts_one(string text, int expected) =>
        Assert.Equal(expected, ChineseText.CountCharacters(text));

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(400, 1)]
    [InlineData(599, 1)]
    [InlineData(600, 2)]
    [InlineData(4000, 10)]
    public void Reading_time_is_whole_minutes_at_400_characters_a_minute_and_never_zero_for_text(int characters, int minutes) =>
        Assert.Equal(minutes, ChineseText.ReadingMinutes(characters));

    [Fact]
    public void Reading_speed_can_be_given()
    {
        Assert.Equal(4, ChineseText.ReadingMinutes(1000, charactersPerMinute: 250));
        Assert.Equal(ChineseText.ReadingMinutes(2000), ChineseText.ReadingMinutes(2000, ChineseText.CharactersPerMinute));
    }

    [Fact]
    public void Negative_counts_and_speeds_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ChineseText.ReadingMinutes(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChineseText.ReadingMinutes(10, 0));
    }

    [Fact]
    public void The_sample_body_counts_its_han_characters_and_latin_words()
    {
        var story = WireStory.Parse(WuzhenSample.Read(), null);
        var body = string.Join('\n', story.Body.Select(b => b.Text));

        var han = body.Count(c => c >= 0x4E00 && c <= 0x9FFF);
        // Words and numbers in the body: 11, 10, 2023, 120, 1800, 25, 130, 30, 2015, 2016, 110, 5G, 2023, AI, 2020, 9, 11, 25, 130, 2022, 2014.
        Assert.Equal(han + 21, ChineseText.CountCharacters(body));
        Assert.InRange(ChineseText.ReadingMinutes(ChineseText.CountCharacters(body)), 6, 9);
    }
}
