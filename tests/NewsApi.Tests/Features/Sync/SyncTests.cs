using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using NewsApi.Data.Entities;
using NewsApi.Tests.Import;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Features.Sync;

/// <summary>What a sync client holds: every thing by (type, id), replaced by each upsert, dropped by each tombstone.</summary>
internal sealed class SyncedStore
{
    public Dictionary<(string Type, string Id), string> Things { get; } = [];
    public List<JsonNode> Tombstones { get; } = [];
    public string? Token { get; private set; }

    /// <summary>Pages through one sync (the full one without a token, else a delta) until hasMore is false.</summary>
    public async Task<int> Sync(HttpClient client)
    {
        var items = 0;
        while (true)
        {
            var page = await (await client.GetAsync("/api/v1/sync" + (Token is null ? "" : "?from=" + Uri.EscapeDataString(Token)))).Json();
            foreach (var item in page["items"]!.AsArray())
            {
                items++;
                var key = ((string)item!["type"]!, (string)item["id"]!);
                if (item["document"] is { } document)
                    Things[key] = document.ToJsonString();
                else
                {
                    Assert.NotNull(item["deletedAt"]);
                    Tombstones.Add(item);
                    Things.Remove(key);
                }
            }
            Token = (string)page["nextSyncToken"]!;
            if (!(bool)page["hasMore"]!)
                return items;
        }
    }

    /// <summary>
    /// Syncs until the store holds what <paramref name="done"/> asks for: a change made by background work (the
    /// scheduler) reaches a delta once its transaction has committed, which the test does not wait for otherwise.
    /// </summary>
    public async Task SyncUntil(HttpClient client, Func<SyncedStore, bool> done)
    {
        for (var i = 0; i < 50; i++)
        {
            await Sync(client);
            if (done(this))
                return;
            await Task.Delay(100);
        }
        Assert.Fail("The sync did not bring the change within 5 seconds.");
    }
}

public sealed class SyncTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task A_full_sync_gives_every_public_thing_as_its_public_read_and_leaves_out_the_rest()
    {
        var section = await Given.Section("domestic", "國內");
        var tag = await Given.Tag("wuzhen", "烏鎮");
        var live = await Given.Article("live").In(section).Tagged(tag).Save();
        await Given.Article("draft").WithStatus(ArticleStatus.Draft).Save();
        await Given.Article("killed").WithStatus(ArticleStatus.Killed).Save();
        await Given.Article("embargoed").EmbargoedUntil(Clock.GetUtcNow().AddHours(1)).Save();
        await Given.Topic("summit", "烏鎮峰會", TopicStatus.Published, live);
        await Given.Topic("hidden", "草稿專題", TopicStatus.Draft, live);

        var store = new SyncedStore();
        await store.Sync(Client);

        Assert.Equal(["article", "section", "tag", "topic"], store.Things.Keys.Select(k => k.Type).Order().ToList());
        var article = await (await Client.GetAsync($"/api/v1/articles/{live.Id}")).Content.ReadAsStringAsync();
        Assert.Equal(JsonNode.Parse(article)!.ToJsonString(), store.Things[("article", live.Id.ToString())]);
        var topic = JsonNode.Parse(store.Things.Single(t => t.Key.Type == "topic").Value)!;
        Assert.Equal(("summit", live.Id.ToString()), ((string)topic["slug"]!, (string)topic["articles"]![0]!));
    }

    [Fact]
    public async Task A_full_sync_pages_by_token_and_a_delta_then_gives_only_what_changed_with_tombstones()
    {
        using var editor = await As(Role.Editor);
        var articles = await Given.PublishedArticles(450);
        var store = new SyncedStore();
        Assert.Equal(450, await store.Sync(Client));
        Assert.Equal(0, await store.Sync(Client));

        var id = articles[0].Id;
        await (await editor.PostAsync($"/api/v1/articles/{articles[1].Id}/unpublish", null)).Json();
        await (await editor.PostAsync($"/api/v1/articles/{articles[2].Id}/kill", JsonBody(new { reason = "法律原因撤稿" }))).Json();
        await (await editor.PostAsync($"/api/v1/articles/{articles[3].Id}/archive", null)).Json();
        var read = await Client.GetAsync($"/api/v1/articles/{id}");
        await (await editor.Send(HttpMethod.Patch, $"/api/v1/articles/{id}", Raw("""{"title":"烏鎮峰會改題"}""", "application/merge-patch+json"), read.ETag())).Json();
        await (await editor.PostAsync($"/api/v1/articles/{articles[4].Id}/unpublish", null)).Json();
        Assert.Equal(HttpStatusCode.NoContent, (await editor.Send(HttpMethod.Delete, $"/api/v1/articles/{articles[4].Id}", null,
            (await editor.GetAsync($"/api/v1/articles/{articles[4].Id}")).ETag())).StatusCode);
        var created = await (await editor.PostAsync("/api/v1/articles", Raw("""{"title":"新稿","slug":"new-one"}"""))).Json(HttpStatusCode.Created);
        await (await editor.PostAsync($"/api/v1/articles/{created["id"]}/publish", null)).Json();

        Assert.Equal(6, await store.Sync(Client));

        Assert.Equal(
            new[] { articles[1].Id, articles[2].Id, articles[3].Id, articles[4].Id }.Select(a => a.ToString()).Order(),
            store.Tombstones.Select(t => (string)t["id"]!).Order());
        Assert.All(store.Tombstones, t => Assert.Equal(["deletedAt", "id", "type"], t.AsObject().Select(p => p.Key).Order()));
        Assert.Equal("烏鎮峰會改題", (string)JsonNode.Parse(store.Things[("article", id.ToString())])!["title"]!);
        Assert.True(store.Things.ContainsKey(("article", (string)created["id"]!)));
        Assert.Equal(447, store.Things.Count);
        Assert.Equal(0, await store.Sync(Client));
    }

    [Fact]
    public async Task An_embargo_that_ends_and_one_imposed_again_reach_the_delta_with_no_request_and_a_scheduled_publish_at_its_time()
    {
        using var editor = await As(Role.Editor);
        var embargoed = await Given.Article("embargoed").EmbargoedUntil(Clock.GetUtcNow().AddMinutes(30)).Save();
        var live = await Given.Article("live").Save();
        var created = await (await editor.PostAsync("/api/v1/articles", Raw("""{"title":"定時稿件","slug":"at-noon"}"""))).Json(HttpStatusCode.Created);
        await (await editor.PostAsync($"/api/v1/articles/{created["id"]}/publish", JsonBody(new { publishAt = Clock.GetUtcNow().AddMinutes(10) }))).Json();
        var store = new SyncedStore();
        await store.Sync(Client);
        Assert.Equal([live.Id.ToString()], store.Things.Keys.Select(k => k.Id));

        Clock.Advance(TimeSpan.FromMinutes(31));
        await store.Sync(Client);
        Assert.True(store.Things.ContainsKey(("article", embargoed.Id.ToString())));

        await Fixture.Factory.Services.GetRequiredService<NewsApi.Scheduling.ScheduledPublisher>().RunDueAsync(CancellationToken.None);
        await store.SyncUntil(Client, s => s.Things.ContainsKey(("article", (string)created["id"]!)));

        var read = await editor.GetAsync($"/api/v1/articles/{live.Id}");
        await (await editor.Send(HttpMethod.Patch, $"/api/v1/articles/{live.Id}",
            Raw($$"""{"embargoUntil":"{{Clock.GetUtcNow().AddDays(1):O}}"}""", "application/merge-patch+json"), read.ETag())).Json();
        await store.Sync(Client);
        Assert.False(store.Things.ContainsKey(("article", live.Id.ToString())));
    }

    [Fact]
    public async Task A_tampered_token_and_one_older_than_the_log_keeps_are_400s_telling_the_client_to_start_over()
    {
        await Given.Article("live").Save();
        var token = (string)(await (await Client.GetAsync("/api/v1/sync")).Json())["nextSyncToken"]!;
        var tampered = token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1];

        var refused = await (await Client.GetAsync("/api/v1/sync?from=" + tampered)).Invalid("from");
        Assert.Contains("start over with GET /api/v1/sync", (string)refused["errors"]!["from"]![0]!);

        Clock.Advance(TimeSpan.FromDays(31));
        var expired = await (await Client.GetAsync("/api/v1/sync?from=" + token)).Invalid("from");
        Assert.Contains("older than", (string)expired["errors"]!["from"]![0]!);
    }

    [Fact]
    public async Task A_client_syncing_while_editors_write_and_an_import_runs_ends_with_what_a_full_read_gives()
    {
        using var editor = await As(Role.Editor);
        var articles = await Given.PublishedArticles(60);
        var store = new SyncedStore();
        await store.Sync(Client);

        using var stop = new CancellationTokenSource();
        var syncing = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
                await store.Sync(Client);
        });
        var edits = Task.Run(async () =>
        {
            for (var i = 0; i < 30; i++)
            {
                var id = articles[i].Id;
                var action = (i % 3) switch { 0 => "unpublish", 1 => "archive", _ => null };
                if (action is not null)
                    await (await editor.PostAsync($"/api/v1/articles/{id}/{action}", null)).Json();
                else
                {
                    var read = await editor.GetAsync($"/api/v1/articles/{id}");
                    await (await editor.Send(HttpMethod.Patch, $"/api/v1/articles/{id}", Raw($$"""{"title":"改題 {{i}}"}""", "application/merge-patch+json"), read.ETag())).Json();
                }
            }
        });
        var import = Task.Run(async () =>
        {
            for (var batch = 0; batch < 3; batch++)
                await editor.Import(query: "?createMissing=true", content: ImportTestData.Body(ImportTestData.Ndjson(Enumerable.Range(0, 40)
                    .Select(i => ImportTestData.Story($"wire-{batch}-{i}", title: $"電訊 {batch}-{i}", tags: [$"tag-{i % 5}"], status: "published")).ToArray())));
        });
        await Task.WhenAll(edits, import);
        await stop.CancelAsync();
        await syncing;
        await store.Sync(Client);

        var full = new SyncedStore();
        await full.Sync(Client);
        Assert.Equal(60 - 20 + 120, full.Things.Count(t => t.Key.Type == "article"));
        Assert.Equal(full.Things.OrderBy(t => t.Key).ToList(), store.Things.OrderBy(t => t.Key).ToList());
    }
}
