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
    [InlineData("港", "'^港'")] // one character: its unigram, which only the head fields hold
    [InlineData("滬", "'^沪'")] // folded as every lexeme is
    [InlineData("王 烏鎮", "'^王' & '乌镇'")]
    public void A_query_is_the_phrase_of_each_term_and_all_terms(string q, string tsQuery)
    {
        Assert.True(SearchQuery.TryParse(q, out var query, out var error), error);
        Assert.Equal(tsQuery, query!.TsQuery);
    }

    [Theory]
    [InlineData("a")] // the index keeps whole words: a lone letter or digit would find only the word "a"
    [InlineData("烏鎮 5")]
    [InlineData("の")] // kana and hangul have no unigrams
    [InlineData("，。！")]
    [InlineData("   ")]
    public void Lone_letters_digits_and_empty_queries_are_refused(string q)
    {
        Assert.False(SearchQuery.TryParse(q, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void Vectors_weight_title_above_summary_above_body_and_keep_fields_apart()
    {
        var (document, head) = SearchDocument.For("烏鎮", null, "峰會", null, "大會");
        Assert.Equal("'乌镇':1A '^乌':1A '^镇':2A '峰会':10B '^峰':10B '^会':11B '大会':19C", document);
        Assert.Equal("'乌镇':1A '^乌':1A '^镇':2A '峰会':10B '^峰':10B '^会':11B", head);
    }

    [Fact]
    public void Head_fields_give_each_Han_character_as_a_unigram_at_its_place_and_the_body_none()
    {
        // 烏鎮峰會。: pairs at 1-3, the break at 4; the characters at 1-4, the last one on the break's empty place.
        var (document, head) = SearchDocument.For("烏鎮峰會。", null, "港", null, "大會");
        const string Head = "'乌镇':1A '镇峰':2A '峰会':3A '^乌':1A '^镇':2A '^峰':3A '^会':4A '港':13B '^港':13B";
        Assert.Equal(Head, head);
        Assert.Equal(Head + " '大会':22C", document);
    }

    [Fact]
    public void A_one_character_term_highlights_wherever_it_stands()
    {
        var matches = Highlighter.Matches("香港與滬港通", Parse("港").Terms);
        Assert.Equal("香<mark>港</mark>與滬<mark>港</mark>通", Highlighter.Mark("香港與滬港通", matches));
        Assert.Equal("<mark>滬</mark>港", Highlighter.Mark("滬港", Highlighter.Matches("滬港", Parse("沪").Terms)));
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
