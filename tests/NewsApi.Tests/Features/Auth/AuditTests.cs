using System.Net;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
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
            [("desk", "createArticle", "/api/v1/articles", "rejected", 400),
             ("desk", "createArticle", "/api/v1/articles", "succeeded", 201)],
            entries);
        Assert.Equal(Clock.GetUtcNow(), (DateTimeOffset)log["items"]![0]!["at"]!);
        _ = created;

        var mine = await (await admin.GetAsync("/api/v1/audit?actor=desk&limit=1")).Json();
        Assert.Single(mine["items"]!.AsArray());
        Assert.NotNull(mine["nextCursor"]);
    }

    [Fact]
    public async Task A_write_refused_to_a_caller_without_a_valid_key_is_counted_not_written_to_the_audit_log()
    {
        using var refused = new MetricCollector<long>(Fixture.Factory.Services.GetRequiredService<IMeterFactory>(),
            NewsMetrics.MeterName, NewsMetrics.AnonymousWritesRefused);
        using var admin = await As(Role.Admin, "chief");
        using var editor = await As(Role.Editor, "desk");
        using var stranger = Fixture.CreateClient();
        stranger.DefaultRequestHeaders.Authorization = new("Bearer", "not-a-key-anyone-was-given-0000000000");

        await (await Client.PostAsync("/api/v1/articles", Raw("""{"title":"匿名"}"""))).Problem(HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
        await (await Client.DeleteAsync("/api/v1/webhooks/0190a000-0000-7000-8000-000000000000")).Problem(HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
        await (await stranger.PostAsync("/api/v1/articles", Raw("""{"title":"匿名"}"""))).Problem(HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
        // A known key without the role is still audited: it names someone.
        await (await editor.PostAsync("/api/v1/api-keys", Raw("""{"name":"mine","role":"admin"}"""))).Problem(HttpStatusCode.Forbidden, ProblemTypes.Forbidden);

        // Counted after the answer is sent, where the audit row would be written.
        await refused.WaitForMeasurementsAsync(3, TimeSpan.FromSeconds(5));
        Assert.Equal([1, 1, 1], refused.GetMeasurementSnapshot().Select(m => m.Value));
        Assert.Equal(["none", "none", "invalid"], refused.GetMeasurementSnapshot().Select(m => (string?)m.Tags["newsapi.key"]));
        Assert.All(refused.GetMeasurementSnapshot(), m => Assert.Equal(401, m.Tags["http.response.status_code"]));

        var log = await (await admin.GetAsync("/api/v1/audit")).Json();
        var entry = Assert.Single(log["items"]!.AsArray())!;
        Assert.Equal(("desk", "denied", 403), ((string?)entry["actor"], (string?)entry["outcome"], (int?)entry["status"]));
    }

    [Fact]
    public async Task Only_admins_read_the_audit_log()
    {
        using var editor = await As(Role.Editor);

        await (await editor.GetAsync("/api/v1/audit")).Problem(HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        await (await Client.GetAsync("/api/v1/audit")).Problem(HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
    }
}
