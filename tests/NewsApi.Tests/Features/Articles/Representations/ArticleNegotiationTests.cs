using NewsApi.Features.Articles.Representations;

namespace NewsApi.Tests.Features.Articles.Representations;

public sealed class ArticleNegotiationTests
{
    [Theory]
    [InlineData(null, nameof(ArticleFormat.Json))]
    [InlineData("", nameof(ArticleFormat.Json))]
    [InlineData("*/*", nameof(ArticleFormat.Json))]
    [InlineData("application/*", nameof(ArticleFormat.Json))]
    [InlineData("application/json", nameof(ArticleFormat.Json))]
    [InlineData("application/json; charset=utf-8", nameof(ArticleFormat.Json))]
    [InlineData("application/ninjs+json", nameof(ArticleFormat.Ninjs))]
    [InlineData("APPLICATION/NINJS+JSON", nameof(ArticleFormat.Ninjs))]
    [InlineData("application/ninjs+json; version=3", nameof(ArticleFormat.Ninjs))]
    [InlineData("application/ninjs+json; version=\"3.1\"", nameof(ArticleFormat.Ninjs))]
    [InlineData("application/ninjs+json; version=2", nameof(ArticleFormat.Ninjs2))]
    [InlineData("application/ninjs+json; version=2.2", nameof(ArticleFormat.Ninjs2))]
    [InlineData("application/ld+json", nameof(ArticleFormat.JsonLd))]
    [InlineData("text/html, application/ld+json;q=0.9", nameof(ArticleFormat.JsonLd))]
    [InlineData("application/ld+json;q=0.5, application/ninjs+json", nameof(ArticleFormat.Ninjs))]
    [InlineData("application/ld+json, */*;q=0.1", nameof(ArticleFormat.JsonLd))]
    [InlineData("application/json;q=0, */*", nameof(ArticleFormat.Ninjs))]
    [InlineData("application/ninjs+json;version=2;q=0.8, application/ninjs+json;version=3;q=0.4", nameof(ArticleFormat.Ninjs2))]
    [InlineData("application/ninjs+json;version=3;q=0, application/ninjs+json", nameof(ArticleFormat.Ninjs2))]
    [InlineData("text/html, */*;q=0.01", nameof(ArticleFormat.Json))]
    public void The_best_acceptable_representation_is_chosen(string? accept, string expected)
    {
        Assert.Equal(Enum.Parse<ArticleFormat>(expected), ArticleNegotiation.Choose(accept is null ? [] : [accept]));
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
