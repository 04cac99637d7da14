using NewsApi.Content;

namespace NewsApi.Tests.Content;

public class DatelineParserTests
{
    private static readonly DateOnly Reference = new(2023, 11, 11);

    [Theory]
    [InlineData("中新網烏鎮11月11日電(張煜歡)11月10日,峰會落幕。", "中新網", "烏鎮", "中新網烏鎮11月11日電", "張煜歡", "11月10日,峰會落幕。")]
    [InlineData("新華社北京11月11日電(記者 王某)國務院召開會議。", "新華社", "北京", "新華社北京11月11日電", "王某", "國務院召開會議。")]
    [InlineData("新華社北京11月11日電（記者王某 李某）國務院召開會議。", "新華社", "北京", "新華社北京11月11日電", "王某、李某", "國務院召開會議。")]
    [InlineData("中新社香港11月11日電 香港特區政府宣布。", "中新社", "香港", "中新社香港11月11日電", null, "香港特區政府宣布。")]
    [InlineData("新华社北京11月11日电（记者 王某）国务院召开会议。", "新华社", "北京", "新华社北京11月11日电", "王某", "国务院召开会议。")]
    [InlineData("中央社台北11月11日電 颱風來襲。", "中央社", "台北", "中央社台北11月11日電", null, "颱風來襲。")]
    [InlineData("人民网北京11月11日电 记者报道。", "人民网", "北京", "人民网北京11月11日电", null, "记者报道。")]
    [InlineData("澳門日報澳門11月11日電 特區政府宣布。", "澳門日報", "澳門", "澳門日報澳門11月11日電", null, "特區政府宣布。")]
    public void A_dateline_is_read_into_agency_place_text_byline_and_rest(
        string lead, string agency, string place, string text, string? byline, string rest)
    {
        var match = DatelineParser.Parse(lead, Reference);

        Assert.NotNull(match);
        Assert.Equal(new Dateline(agency, place, new DateOnly(2023, 11, 11), text), match.Dateline);
        Assert.Equal(byline, match.Byline);
        Assert.Equal(rest, match.Rest);
    }

    [Theory]
    [InlineData("據新華社北京11月11日電,國務院召開會議。")]
    [InlineData("据新华社北京11月11日电，国务院召开会议。")]
    [InlineData("11月10日,2023年世界互聯網大會烏鎮峰會正式落下帷幕。")]
    [InlineData("新華社稱,會議於11月11日召開。")]
    [InlineData("綜合中新社11月11日電,會議召開。")]
    [InlineData("")]
    public void A_paragraph_without_an_opening_dateline_gives_nothing(string lead) =>
        Assert.Null(DatelineParser.Parse(lead, Reference));

    [Fact]
    public void A_dateline_without_a_place_has_no_place()
    {
        var match = DatelineParser.Parse("新華社11月11日電 正文。", Reference);

        Assert.Equal(new Dateline("新華社", null, new DateOnly(2023, 11, 11), "新華社11月11日電"), match?.Dateline);
    }

    [Fact]
    public void Full_width_digits_are_read()
    {
        var match = DatelineParser.Parse("新華社北京１１月９日電 正文。", Reference);

        Assert.Equal(new DateOnly(2023, 11, 9), match?.Dateline.Date);
    }

    [Theory]
    [InlineData("2023-11-11", 11, 11, "2023-11-11")]
    [InlineData("2023-11-10", 11, 11, "2023-11-11")] // within the tolerance: filed a day ahead of the reference
    [InlineData("2023-11-05", 11, 11, "2022-11-11")]
    [InlineData("2024-01-02", 12, 31, "2023-12-31")]
    [InlineData("2023-03-01", 2, 29, "2020-02-29")]
    public void The_year_is_the_latest_that_does_not_put_the_date_after_the_reference(string reference, int month, int day, string expected) =>
        Assert.Equal(DateOnly.Parse(expected), DatelineParser.ResolveDate(month, day, DateOnly.Parse(reference)));

    [Theory]
    [InlineData(13, 1)]
    [InlineData(2, 30)]
    [InlineData(0, 10)]
    public void An_impossible_date_resolves_to_nothing(int month, int day) =>
        Assert.Null(DatelineParser.ResolveDate(month, day, Reference));

    [Theory]
    [InlineData("記者 王某", "王某")]
    [InlineData("記者王某 李某", "王某、李某")]
    [InlineData("记者  王某、李某", "王某、李某")]
    [InlineData(" 張煜歡 ", "張煜歡")]
    public void A_byline_loses_the_word_reporter_and_lists_names_with_an_enumeration_comma(string raw, string expected) =>
        Assert.Equal(expected, DatelineParser.Byline(raw));
}
