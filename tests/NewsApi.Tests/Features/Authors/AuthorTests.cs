using System.Net;
using NewsApi.Api;
using NewsApi.Tests.Infrastructure;

namespace NewsApi.Tests.Features.Authors;

public sealed class AuthorTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task An_author_by_slug_has_name_and_bio()
    {
        await Given.Author("zhang-yuhuan", "張煜歡", "中新網記者");

        var author = await (await Client.GetAsync("/api/v1/authors/zhang-yuhuan")).Json();

        Assert.Equal("張煜歡", (string?)author["name"]);
        Assert.Equal("中新網記者", (string?)author["bio"]);
    }

    [Fact]
    public async Task An_unknown_author_is_a_problem_404()
    {
        await (await Client.GetAsync("/api/v1/authors/nobody")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }
}
