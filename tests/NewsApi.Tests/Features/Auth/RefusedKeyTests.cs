using System.Net;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Features.Auth;

/// <summary>A request that carries credentials the service refuses is 401 everywhere, public reads included: never served as anonymous.</summary>
public sealed class RefusedKeyTests(ApiFixture fixture) : ApiTest(fixture)
{
    public static TheoryData<string, string> Requests => new()
    {
        { "GET", "/api/v1/articles" },
        { "GET", "/sitemap.xml" },
        { "POST", "/api/v1/articles" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task An_unknown_key_is_401_with_a_bearer_challenge(string method, string path)
    {
        var response = await Send(method, path, "Bearer nak_not-a-real-key");

        await Refused(response);
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task A_revoked_key_is_401_with_a_bearer_challenge(string method, string path)
    {
        var key = await Given.Key(Role.Editor, "revoked-importer");
        await using (var db = Fixture.NewDbContext())
            await db.ApiKeys.Where(k => k.Name == "revoked-importer").ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, Clock.GetUtcNow()));

        var response = await Send(method, path, $"Bearer {key}");

        await Refused(response);
    }

    [Theory]
    [InlineData("GET", "/api/v1/articles", "Basic dXNlcjpwYXNz")]
    [InlineData("GET", "/api/v1/articles", "Bearer")]
    [InlineData("GET", "/api/v1/articles", "Bearer    ")]
    [InlineData("GET", "/api/v1/articles", "")]
    [InlineData("POST", "/api/v1/articles", "")]
    [InlineData("GET", "/sitemap.xml", "nak_without-a-scheme")]
    public async Task A_malformed_authorization_header_is_401_with_a_bearer_challenge(string method, string path, string header)
    {
        var response = await Send(method, path, header);

        await Refused(response);
    }

    [Fact]
    public async Task A_refused_key_is_never_answered_from_the_public_cache()
    {
        await Client.GetAsync("/api/v1/sections");

        var response = await Send("GET", "/api/v1/sections", "Bearer nak_not-a-real-key");

        await Refused(response);
    }

    async Task<HttpResponseMessage> Send(string method, string path, string authorization)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
            request.Content = Raw("""{"title":"烏鎮"}""");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return await Client.SendAsync(request);
    }

    static async Task Refused(HttpResponseMessage response)
    {
        await response.Problem(HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString());
    }
}
