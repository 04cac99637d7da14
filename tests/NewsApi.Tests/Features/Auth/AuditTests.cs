using System.Net;
using NewsApi.Api;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Features.Auth;

public sealed class AuditTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Every_write_attempt_is_in_the_audit_log_with_its_outcome()
    {
        using var editor = await As(Role.Editor, "desk");
        using var admin = await As(Role.Admin, "chief");
        var created = await (await editor.PostAsync("/api/v1/articles", Raw("""{"title":"烏鎮"}"""))).Json(HttpStatusCode.Created);
        await editor.PostAsync("/api/v1/articles", Raw("""{"title":""}"""));
        await Client.PostAsync("/api/v1/articles", Raw("""{"title":"匿名"}"""));
        await (await Client.GetAsync("/api/v1/articles")).Json();

        var log = await (await admin.GetAsync("/api/v1/audit")).Json();

        var entries = log["items"]!.AsArray().Select(e => (
            Actor: (string)e!["actor"]!, Action: (string)e["action"]!, Target: (string)e["target"]!, Outcome: (string)e["outcome"]!, Status: (int)e["status"]!)).ToList();
        Assert.Equal(
            [("anonymous", "createArticle", "/api/v1/articles", "denied", 401),
             ("desk", "createArticle", "/api/v1/articles", "rejected", 400),
             ("desk", "createArticle", "/api/v1/articles", "succeeded", 201)],
            entries);
        Assert.Equal(Clock.GetUtcNow(), (DateTimeOffset)log["items"]![0]!["at"]!);
        _ = created;

        var mine = await (await admin.GetAsync("/api/v1/audit?actor=desk&limit=1")).Json();
        Assert.Single(mine["items"]!.AsArray());
        Assert.NotNull(mine["nextCursor"]);
    }

    [Fact]
    public async Task Only_admins_read_the_audit_log()
    {
        using var editor = await As(Role.Editor);

        await (await editor.GetAsync("/api/v1/audit")).Problem(HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        await (await Client.GetAsync("/api/v1/audit")).Problem(HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
    }
}
