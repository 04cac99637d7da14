using NewsApi.Search;

namespace NewsApi.Tests.Search;

public sealed class ScriptFoldingTests
{
    [Theory]
    [InlineData("烏鎮", "乌镇")]
    [InlineData("互聯網大會", "互联网大会")]
    [InlineData("乌镇", "乌镇")] // Simplified stays as it is: folding is idempotent
    [InlineData("５Ｇ智慧醫院", "5g智慧医院")]
    [InlineData("ＡＢＣ　Def", "abc def")]
    [InlineData("“聚光燈”“主舞臺”？", " 聚光灯  主舞台  ")]
    [InlineData("Café", "cafe")]
    public void Folds_script_width_case_and_punctuation(string text, string folded)
    {
        Assert.Equal(folded, ScriptFolding.Fold(text));
    }

    [Fact]
    public void Folding_twice_changes_nothing_more()
    {
        var sample = "心向網之：為何是烏鎮？十年來，為什麼烏鎮峰會能成為世界互聯網發展的聚光燈";
        var once = ScriptFolding.Fold(sample);
        Assert.Equal(once, ScriptFolding.Fold(once));
    }

    [Fact]
    public void Chinese_becomes_overlapping_pairs_and_other_text_whole_words()
    {
        Assert.Equal(["乌镇", "镇峰", "峰会"], SearchTokenizer.Tokens("烏鎮峰會"));
        Assert.Equal(["5g", "智慧", "慧医", "医院"], SearchTokenizer.Tokens("5G智慧醫院"));
        Assert.Equal(["world", "internet", "conference", "2023"], SearchTokenizer.Tokens("World Internet Conference, 2023"));
        Assert.Equal(["a", "股", "上涨"], SearchTokenizer.Tokens("A股 上漲"));
    }

    [Theory]
    [InlineData("烏鎮", "'乌镇'")]
    [InlineData("乌镇峰会", "('乌镇' <-> '镇峰' <-> '峰会')")]
    [InlineData("5G智慧醫院", "('5g' <-> '智慧' <-> '慧医' <-> '医院')")]
    [InlineData("烏鎮 互聯網", "'乌镇' & ('互联' <-> '联网')")]
    [InlineData("烏鎮，互聯網。", "'乌镇' & ('互联' <-> '联网')")]
    [InlineData("AI ５Ｇ", "'ai' & '5g'")]
    public void A_query_is_the_phrase_of_each_term_and_all_terms(string q, string tsQuery)
    {
        Assert.True(SearchQuery.TryParse(q, out var query, out var error), error);
        Assert.Equal(tsQuery, query!.TsQuery);
    }

    [Theory]
    [InlineData("烏")]
    [InlineData("烏鎮 網")]
    [InlineData("，。！")]
    [InlineData("   ")]
    public void One_character_terms_and_empty_queries_are_refused(string q)
    {
        Assert.False(SearchQuery.TryParse(q, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void Vectors_weight_title_above_summary_above_body_and_keep_fields_apart()
    {
        var (document, head) = SearchDocument.For("烏鎮", null, "峰會", null, "大會");
        Assert.Equal("'乌镇':1A '峰会':10B '大会':19C", document);
        Assert.Equal("'乌镇':1A '峰会':10B", head);
    }

    [Fact]
    public void Highlights_in_folded_space_and_escapes_first()
    {
        var query = Parse("乌镇");
        var text = "<b>烏鎮</b> & 烏 鎮";
        var matches = Highlighter.Matches(text, query.Terms);
        Assert.Equal("&lt;b&gt;<mark>烏鎮</mark>&lt;/b&gt; &amp; <mark>烏 鎮</mark>", Highlighter.Mark(text, matches));
    }

    [Fact]
    public void A_snippet_is_an_excerpt_around_the_first_match()
    {
        var text = new string('前', 200) + "烏鎮" + new string('後', 200);
        var snippet = Highlighter.Snippet(text, Highlighter.Matches(text, Parse("乌镇").Terms));
        Assert.StartsWith("…", snippet);
        Assert.EndsWith("…", snippet);
        Assert.Contains("<mark>烏鎮</mark>", snippet);
        Assert.True(snippet.Length < Highlighter.SnippetLength + 20);
    }

    static SearchQuery Parse(string q) => SearchQuery.TryParse(q, out var query, out var error) ? query! : throw new ArgumentException(error);
}
