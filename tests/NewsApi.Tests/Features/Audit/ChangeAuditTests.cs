using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using NewsApi.Data.Entities;
using NewsApi.Scheduling;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Import.ImportTestData;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Features.Audit;

/// <summary>Changes no request makes, and the stories an import changes, are in the audit log as editors' writes are.</summary>
public sealed class ChangeAuditTests(ApiFixture fixture) : ApiTest(fixture)
{
    /// <summary>The log as an admin reads it; a request's own entry is written just after its answer, so this waits for it.</summary>
    async Task<List<JsonNode>> Log(HttpClient admin, string query, int atLeast)
    {
        for (var i = 0; ; i++)
        {
            var items = (await (await admin.GetAsync($"/api/v1/audit?{query}")).Json())["items"]!.AsArray().Select(e => e!).ToList();
            if (items.Count >= atLeast || i == 50)
                return items;
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task The_schedulers_transitions_are_audited_with_the_actor_scheduler()
    {
        using var editor = await As(Role.Editor);
        using var admin = await As(Role.Admin);
        var created = await (await editor.PostAsync("/api/v1/articles", Raw("""{"title":"定時稿件","slug":"at-noon"}"""))).Json(HttpStatusCode.Created);
        var id = (string)created["id"]!;
        await (await editor.PostAsync($"/api/v1/articles/{id}/publish", JsonBody(new { publishAt = Clock.GetUtcNow().AddMinutes(10) }))).Json();

        Clock.Advance(TimeSpan.FromMinutes(10));
        await Fixture.Factory.Services.GetRequiredService<ScheduledPublisher>().RunDueAsync(CancellationToken.None);

        var entry = Assert.Single(await Log(admin, "actor=scheduler", 1));
        Assert.Equal(("published", $"/api/v1/articles/{id}", "succeeded"), ((string?)entry["action"], (string?)entry["target"], (string?)entry["outcome"]));
        Assert.Equal(Clock.GetUtcNow(), (DateTimeOffset)entry["at"]!);
    }

    [Fact]
    public async Task An_import_has_one_entry_with_its_counts_and_one_per_story_it_changed()
    {
        using var editor = await As(Role.Editor, "wire-desk");
        using var admin = await As(Role.Admin);
        await Given.Section("domestic");
        await editor.Import(Body(Ndjson(Story("cns-1", section: "domestic"))));
        var (_, results, _) = await editor.Import(Body(Ndjson(
            Story("cns-1", title: "烏鎮峰會閉幕(更新)", section: "domestic"), Story("cns-2", section: "domestic"), Story("cns-3", section: "nowhere"))));
        var (updated, created) = ((string)results[0]["id"]!, (string)results[1]["id"]!);

        var log = await Log(admin, "actor=wire-desk", 5);

        var requests = log.Where(e => (string?)e["action"] == "importArticles").ToList();
        Assert.Equal(2, requests.Count);
        Assert.Equal("created 1, updated 1, unchanged 0, invalid 1, failed 0", (string?)requests[0]["detail"]);
        Assert.Equal(["importArticles:created", "importArticles:updated", "importArticles:created"],
            log.Where(e => ((string)e["action"]!).StartsWith("importArticles:", StringComparison.Ordinal)).Select(e => (string)e["action"]!));
        Assert.Contains(log, e => (string?)e["action"] == "importArticles:updated" && (string?)e["target"] == $"/api/v1/articles/{updated}");
        Assert.Contains(log, e => (string?)e["action"] == "importArticles:created" && (string?)e["target"] == $"/api/v1/articles/{created}");
    }

    [Fact]
    public async Task A_dry_run_import_audits_the_request_but_no_story()
    {
        using var editor = await As(Role.Editor, "wire-desk");
        using var admin = await As(Role.Admin);

        await editor.Import(Body(Ndjson(Story("cns-1"))), "?dryRun=true");

        var entry = Assert.Single(await Log(admin, "actor=wire-desk", 1));
        Assert.Equal("created 1, updated 0, unchanged 0, invalid 0, failed 0 (dry run: nothing written)", (string?)entry["detail"]);
    }
}
