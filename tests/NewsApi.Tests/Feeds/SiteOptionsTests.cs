using NewsApi.Site;

namespace NewsApi.Tests.Feeds;

public sealed class SiteOptionsTests
{
    [Theory]
    [InlineData("zh-Hant", "zh-tw", "zh-tw")]
    [InlineData("zh-Hans", "zh-cn", "zh-cn")]
    [InlineData("zh-Hant-HK", "zh-hk", "zh-tw")]
    [InlineData("zh-Hans-SG", "zh-sg", "zh-cn")]
    [InlineData("zh-TW", "zh-tw", "zh-tw")]
    [InlineData("zh", "zh", "zh-cn")]
    [InlineData("en", "en", "en")]
    [InlineData("en-GB", "en-gb", "en")]
    [InlineData("yue-Hant-HK", "yue-hk", "yue")]
    public void Language_tags_become_the_codes_rss_and_google_news_want(string tag, string rss, string googleNews)
    {
        Assert.Equal(rss, LanguageTags.ForRss(tag));
        Assert.Equal(googleNews, LanguageTags.ForGoogleNews(tag));
    }

    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.True(new SiteOptions.Validator().Validate(null, new SiteOptions()).Succeeded);
    }

    [Theory]
    [InlineData("PublicUrl", "news.example.com")]
    [InlineData("PublicUrl", "ftp://news.example.com")]
    [InlineData("PublicUrl", "https://news.example.com/?x=1")]
    [InlineData("Name", " ")]
    [InlineData("Language", "Traditional Chinese")]
    [InlineData("ArticleUrlTemplate", "{site}/articles")]
    [InlineData("ArticleUrlTemplate", "/articles/{slug}")]
    [InlineData("TopicUrlTemplate", "{site}/topics")]
    [InlineData("SitemapPageSize", "50001")]
    [InlineData("FeedItems", "0")]
    public void Bad_settings_are_refused_at_start_naming_the_key(string key, string value)
    {
        var options = new SiteOptions();
        var property = typeof(SiteOptions).GetProperty(key)!;
        property.SetValue(options, property.PropertyType == typeof(int) ? int.Parse(value) : value);

        var result = new SiteOptions.Validator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains($"Site:{key}", result.FailureMessage);
    }
}
