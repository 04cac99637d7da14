using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Features.Auth;

public sealed class ApiKeyTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task A_write_without_a_key_is_401_with_a_challenge()
    {
        var response = await Client.PostAsync("/api/v1/articles", Raw("""{"title":"烏鎮"}"""));

        await response.Problem(HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Keys_are_listed_as_a_page_and_a_new_keys_location_reads_it()
    {
        using var admin = await As(Role.Admin, "admin-desk");
        var created = await admin.PostAsync("/api/v1/api-keys", JsonBody(new { name = "wire-import", role = "editor" }));
        await (await admin.PostAsync("/api/v1/api-keys", JsonBody(new { name = "web-preview", role = "previewer" }))).Json(HttpStatusCode.Created);

        var key = await (await admin.GetAsync(created.Headers.Location)).Json();
        Assert.Equal("wire-import", (string?)key["name"]);
        Assert.Equal("editor", (string?)key["role"]);
        Assert.Null(key["key"]);

        var first = await (await admin.GetAsync("/api/v1/api-keys?limit=2")).Json();
        Assert.Equal(["admin-desk", "web-preview"], first["items"]!.AsArray().Select(k => (string)k!["name"]!));
        var rest = await (await admin.GetAsync($"/api/v1/api-keys?cursor={Uri.EscapeDataString((string)first["nextCursor"]!)}")).Json();
        Assert.Equal(["wire-import"], rest["items"]!.AsArray().Select(k => (string)k!["name"]!));
        Assert.Null(rest["nextCursor"]);
        await (await admin.GetAsync($"/api/v1/api-keys/{Guid.CreateVersion7()}")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Theory]
    [InlineData("Bearer nak_not-a-real-key")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer ")]
    public async Task A_bad_key_is_401_naming_the_invalid_token(string header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/articles") { Content = Raw("""{"title":"烏鎮"}""") };
        request.Headers.TryAddWithoutValidation("Authorization", header);

        var response = await Client.SendAsync(request);

        await response.Problem(HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_key_in_the_query_string_is_never_accepted()
    {
        var key = await Given.Key(Role.Editor);

        var response = await Client.PostAsync($"/api/v1/articles?access_token={key}&api_key={key}", Raw("""{"title":"烏鎮"}"""));

        await response.Problem(HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
    }

    [Fact]
    public async Task A_previewer_may_read_but_not_write()
    {
        using var previewer = await As(Role.Previewer);

        await (await previewer.PostAsync("/api/v1/articles", Raw("""{"title":"烏鎮"}"""))).Problem(HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        await (await previewer.GetAsync("/api/v1/articles?status=draft")).Json();
    }

    [Fact]
    public async Task Only_admins_manage_keys()
    {
        using var editor = await As(Role.Editor);

        await (await editor.GetAsync("/api/v1/api-keys")).Problem(HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        await (await editor.PostAsync("/api/v1/api-keys", JsonBody(new { name = "x", role = "admin" }))).Problem(HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
    }

    [Fact]
    public async Task A_new_key_is_shown_once_stored_as_a_hash_works_and_stops_working_when_revoked()
    {
        using var admin = await As(Role.Admin);

        var created = await (await admin.PostAsync("/api/v1/api-keys", JsonBody(new { name = "wire-import", role = "editor" }))).Json(HttpStatusCode.Created);
        var key = (string)created["key"]!;
        Assert.True(key.Length >= 40, "a key carries at least 128 random bits");

        var listed = await (await admin.GetAsync("/api/v1/api-keys")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(key, listed);
        await using (var db = Fixture.NewDbContext())
        {
            var stored = await db.ApiKeys.SingleAsync(k => k.Name == "wire-import");
            Assert.NotEqual(key, stored.Hash);
            Assert.DoesNotContain(key, stored.Hash + stored.Prefix);
            Assert.Null(stored.LastUsedAt);
        }

        using var importer = Fixture.CreateClient();
        importer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        await (await importer.PostAsync("/api/v1/articles", Raw("""{"title":"烏鎮"}"""))).Json(HttpStatusCode.Created);
        await using (var db = Fixture.NewDbContext())
            Assert.Equal(Clock.GetUtcNow(), (await db.ApiKeys.SingleAsync(k => k.Name == "wire-import")).LastUsedAt);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/api-keys/{created["id"]}")).StatusCode);
        await (await importer.PostAsync("/api/v1/articles", Raw("""{"title":"烏鎮"}"""))).Problem(HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
    }

    [Theory]
    [InlineData("""{"name":"","role":"editor"}""", "name")]
    [InlineData("""{"name":"has space","role":"editor"}""", "name")]
    [InlineData("""{"name":"ok","role":"superuser"}""", "role")]
    public async Task Bad_key_requests_are_validation_problems(string json, string field)
    {
        using var admin = await As(Role.Admin);

        await (await admin.PostAsync("/api/v1/api-keys", Raw(json))).Invalid(field);
    }

    [Fact]
    public async Task A_key_name_is_unique()
    {
        using var admin = await As(Role.Admin, "root");

        await (await admin.PostAsync("/api/v1/api-keys", JsonBody(new { name = "root", role = "editor" }))).Problem(HttpStatusCode.Conflict, ProblemTypes.Conflict);
    }

    [Fact]
    public async Task The_admin_key_from_the_environment_is_accepted()
    {
        const string key = "ci-admin-key-0123456789abcdefghijklmnop";
        await using var host = new ApiFactory(Fixture.ConnectionString, Clock, settings: new() { ["NEWSAPI_ADMIN_KEY"] = key });
        host.StartServer();
        using var admin = host.CreateHttpClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        await (await admin.GetAsync("/api/v1/api-keys")).Json();
        await using var db = Fixture.NewDbContext();
        Assert.Equal(Role.Admin, (await db.ApiKeys.SingleAsync(k => k.Name == "environment-admin")).Role);
    }
}
