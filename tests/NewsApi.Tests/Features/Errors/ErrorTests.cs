using System.Net;
using NewsApi.Api;
using NewsApi.Tests.Infrastructure;

namespace NewsApi.Tests.Features.Errors;

public sealed class ErrorTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Theory]
    [InlineData("/api/v1/nothing-here")]
    [InlineData("/api/v2/articles")]
    [InlineData("/")]
    public async Task Unknown_paths_are_problem_404s(string path)
    {
        var problem = await (await Client.GetAsync(path)).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        Assert.Equal(path, (string?)problem["instance"]);
    }

    [Fact]
    public async Task A_wrong_method_is_a_problem_405()
    {
        var response = await Client.DeleteAsync("/api/v1/sections");

        await response.Problem(HttpStatusCode.MethodNotAllowed, ProblemTypes.MethodNotAllowed);
        Assert.Contains("GET", response.Content.Headers.Allow);
    }

    [Fact]
    public async Task A_crash_is_a_problem_500_without_internals()
    {
        await AssertCrashLeaksNothing(Client);
    }

    [Fact]
    public async Task A_crash_leaks_nothing_in_development_either()
    {
        // Development turns on ASP.NET's developer exception page, which would show the exception.
        await using var development = new ApiFactory(Fixture.ConnectionString, Clock, "Development");
        development.StartServer();
        using var client = development.CreateHttpClient();

        await AssertCrashLeaksNothing(client);
        await (await client.GetAsync("/api/v1/articles?limit=0")).Invalid("limit");
    }

    static async Task AssertCrashLeaksNothing(HttpClient client)
    {
        var response = await client.GetAsync(ApiFactory.CrashPath);

        var problem = await response.Problem(HttpStatusCode.InternalServerError, ProblemTypes.Internal);
        var body = problem.ToJsonString();
        Assert.DoesNotContain(ApiFactory.CrashSecret, body);
        Assert.DoesNotContain("at NewsApi", body);
        Assert.DoesNotContain("Exception", body);
    }
}
