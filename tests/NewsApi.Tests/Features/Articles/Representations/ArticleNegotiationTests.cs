using NewsApi.Features.Articles.Representations;

namespace NewsApi.Tests.Features.Articles.Representations;

public sealed class ArticleNegotiationTests
{
    [Theory]
    [InlineData(null, ArticleFormat.Json)]
    [InlineData("", ArticleFormat.Json)]
    [InlineData("*/*", ArticleFormat.Json)]
    [InlineData("application/*", ArticleFormat.Json)]
    [InlineData("application/json", ArticleFormat.Json)]
    [InlineData("application/json; charset=utf-8", ArticleFormat.Json)]
    [InlineData("application/ninjs+json", ArticleFormat.Ninjs)]
    [InlineData("APPLICATION/NINJS+JSON", ArticleFormat.Ninjs)]
    [InlineData("application/ninjs+json; version=3", ArticleFormat.Ninjs)]
    [InlineData("application/ninjs+json; version=\"3.1\"", ArticleFormat.Ninjs)]
    [InlineData("application/ninjs+json; version=2", ArticleFormat.Ninjs2)]
    [InlineData("application/ninjs+json; version=2.2", ArticleFormat.Ninjs2)]
    [InlineData("application/ld+json", ArticleFormat.JsonLd)]
    [InlineData("text/html, application/ld+json;q=0.9", ArticleFormat.JsonLd)]
    [InlineData("application/ld+json;q=0.5, application/ninjs+json", ArticleFormat.Ninjs)]
    [InlineData("application/ld+json, */*;q=0.1", ArticleFormat.JsonLd)]
    [InlineData("application/json;q=0, */*", ArticleFormat.Ninjs)]
    [InlineData("application/ninjs+json;version=2;q=0.8, application/ninjs+json;version=3;q=0.4", ArticleFormat.Ninjs2)]
    [InlineData("application/ninjs+json;version=3;q=0, application/ninjs+json", ArticleFormat.Ninjs2)]
    [InlineData("text/html, */*;q=0.01", ArticleFormat.Json)]
    public void The_best_acceptable_representation_is_chosen(string? accept, ArticleFormat expected)
    {
        Assert.Equal(expected, ArticleNegotiation.Choose(accept is null ? [] : [accept]));
    }

    [Theory]
    [InlineData("text/html")]
    [InlineData("application/xml")]
    [InlineData("application/problem+json")]
    [InlineData("application/ninjs+json; version=1")]
    [InlineData("text/*")]
    [InlineData("application/json;q=0")]
    [InlineData("*/*;q=0")]
    [InlineData("not a media type")]
    public void Nothing_is_chosen_when_nothing_we_offer_is_acceptable(string accept)
    {
        Assert.Null(ArticleNegotiation.Choose([accept]));
    }

    [Fact]
    public void Several_accept_headers_count_together()
    {
        Assert.Equal(ArticleFormat.JsonLd, ArticleNegotiation.Choose(["text/html", "application/ld+json"]));
    }
}
