using NewsApi.Articles;
using NewsApi.Content;

namespace NewsApi.Tests.Articles;

/// <summary>What a revision lists as changed, as the editors' writes and the import both record it.</summary>
public sealed class ArticleFieldsTests
{
    [Fact]
    public void A_new_article_lists_the_members_it_has_in_the_contract_order_leaving_out_nulls_and_empty_lists()
    {
        var content = new ArticleContent("烏鎮峰會閉幕", Body: [new Block("paragraph", "峰會落下帷幕。")], Tags: [], Section: "domestic",
            Noindex: false, Keywords: ["烏鎮"], Related: []);

        Assert.Equal(["title", "body", "section", "noindex", "keywords"], ArticleFields.Changed(null, content));
    }

    [Fact]
    public void A_changed_article_lists_only_the_members_that_differ()
    {
        var before = new ArticleContent("烏鎮峰會閉幕", Body: [new Block("paragraph", "峰會落下帷幕。")], Tags: ["wuzhen"]);
        var after = before with { Body = [new Block("paragraph", "峰會正式落下帷幕。")], Tags = ["wuzhen"] };

        Assert.Equal(["body"], ArticleFields.Changed(before, after));
    }
}
