using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using NewsApi.Webhooks;

namespace NewsApi.Tests.Webhooks;

public sealed class WebhookDeliveryTests(ApiFixture fixture) : WebhookTest(fixture)
{
    /// <summary>What a receiver does, written from the README and nothing else: HMAC-SHA256 of "t.body" with the secret.</summary>
    static bool Verifies(string secret, string header, string body, out long timestamp)
    {
        var parts = header.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        timestamp = long.Parse(parts["t"]);
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{parts["t"]}.{body}"));
        return CryptographicOperations.FixedTimeEquals(expected, Convert.FromHexString(parts["v1"]));
    }

    [Fact]
    public async Task A_published_article_reaches_the_receiver_signed_with_the_secret()
    {
        using var admin = await HostClient(Role.Admin);
        using var editor = await HostClient(Role.Editor);
        var (webhookId, secret) = await Register(admin, Receiver.Url(), "article.published");
        var articleId = await Publish(editor, "wuzhen-closes");

        Assert.Equal(1, await Dispatcher.RunOnceAsync(CancellationToken.None));

        var received = Assert.Single(Receiver.Requests);
        Assert.Equal("article.published", received.Event);
        Assert.True(Verifies(secret, received.Signature!, received.Body, out var timestamp), "the signature does not verify with the secret");
        Assert.Equal(HostClock.GetUtcNow().ToUnixTimeSeconds(), timestamp);
        Assert.False(Verifies(secret + "x", received.Signature!, received.Body, out _));
        Assert.False(Verifies(secret, received.Signature!, received.Body.Replace("wuzhen-closes", "wuzhen-opens"), out _));
        var payload = received.Json;
        Assert.Equal(received.Delivery, (string?)payload["id"]);
        Assert.Equal("article.published", (string?)payload["event"]);
        Assert.Equal($"article:{articleId}", (string?)payload["subject"]);
        Assert.Equal("wuzhen-closes", (string?)payload["data"]!["slug"]);
        Assert.Contains("烏鎮峰會閉幕", received.Body); // Chinese as characters, as in every response
        Assert.NotNull((string?)payload["occurredAt"]);

        var delivery = Assert.Single(await Deliveries(admin, webhookId))!;
        Assert.Equal(received.Delivery, (string?)delivery["id"]);
        Assert.Equal(("succeeded", 1, 200), ((string?)delivery["status"], (int?)delivery["attempts"], (int?)delivery["lastStatusCode"]));
        Assert.NotNull((int?)delivery["lastDurationMs"]);
        Assert.Null(delivery["nextAttemptAt"]);
    }

    [Fact]
    public async Task Events_a_webhook_did_not_ask_for_are_not_sent()
    {
        using var admin = await HostClient(Role.Admin);
        using var editor = await HostClient(Role.Editor);
        await Register(admin, Receiver.Url(), "article.killed");
        await Publish(editor, "not-wanted");

        Assert.Equal(0, await Dispatcher.RunOnceAsync(CancellationToken.None));
        Assert.Empty(Receiver.Requests);
    }

    [Fact]
    public async Task A_failing_receiver_is_retried_with_back_off_until_it_accepts()
    {
        using var admin = await HostClient(Role.Admin);
        using var editor = await HostClient(Role.Editor);
        var (webhookId, _) = await Register(admin, Receiver.Url(), "article.published");
        await Publish(editor, "retried");
        Receiver.FailNext(2);

        await Dispatcher.RunOnceAsync(CancellationToken.None);
        var failed = Assert.Single(await Deliveries(admin, webhookId))!;
        Assert.Equal(("pending", 1, 503), ((string?)failed["status"], (int?)failed["attempts"], (int?)failed["lastStatusCode"]));
        Assert.Contains("503", (string?)failed["lastError"]);
        var next = DateTimeOffset.Parse((string)failed["nextAttemptAt"]!);
        // BaseDelay 10 s with ±50% jitter.
        Assert.InRange(next - HostClock.GetUtcNow(), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15));

        Assert.Equal(0, await Dispatcher.RunOnceAsync(CancellationToken.None)); // not due yet
        HostClock.Advance(TimeSpan.FromSeconds(16));
        Assert.Equal(1, await Dispatcher.RunOnceAsync(CancellationToken.None)); // fails again: now 20 s ±50%
        Assert.Equal(0, await Dispatcher.RunOnceAsync(CancellationToken.None));
        HostClock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(1, await Dispatcher.RunOnceAsync(CancellationToken.None));

        Assert.Equal([503, 503, 200], Receiver.Requests.Select(r => r.AnsweredWith));
        Assert.Single(Receiver.Requests.Select(r => r.Delivery).Distinct()); // one delivery id to de-duplicate by
        var delivered = Assert.Single(await Deliveries(admin, webhookId))!;
        Assert.Equal(("succeeded", 3, 200), ((string?)delivered["status"], (int?)delivered["attempts"], (int?)delivered["lastStatusCode"]));
        Assert.Null(delivered["lastError"]);

        // Every attempt is in the log, not only the last.
        var log = delivered["attemptLog"]!.AsArray();
        Assert.Equal([1, 2, 3], log.Select(a => (int)a!["number"]!));
        Assert.Equal([503, 503, 200], log.Select(a => (int?)a!["statusCode"]));
        Assert.All(log, a => Assert.InRange((int)a!["durationMs"]!, 0, 10_000));
        Assert.Contains("503", (string?)log[0]!["error"]);
        Assert.Contains("503", (string?)log[1]!["error"]);
        Assert.Null(log[2]!["error"]);
        var times = log.Select(a => DateTimeOffset.Parse((string)a!["at"]!)).ToList();
        Assert.Equal([ApiFixture.Now, ApiFixture.Now + TimeSpan.FromSeconds(16), ApiFixture.Now + TimeSpan.FromSeconds(47)], times);
        Assert.Equal(times[^1], DateTimeOffset.Parse((string)delivered["lastAttemptAt"]!));
    }

    [Fact]
    public async Task A_delivery_that_keeps_failing_is_given_up_and_the_next_one_goes()
    {
        using var admin = await HostClient(Role.Admin);
        using var editor = await HostClient(Role.Editor);
        var (webhookId, _) = await Register(admin, Receiver.Url(), "article.published");
        await Publish(editor, "doomed");
        await Publish(editor, "after-doomed");
        var maxAttempts = Host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<WebhookOptions>>().Value.MaxAttempts;
        Receiver.FailNext(maxAttempts);

        for (var attempt = 0; attempt < maxAttempts; attempt++)
        {
            await Dispatcher.RunOnceAsync(CancellationToken.None);
            HostClock.Advance(TimeSpan.FromHours(2));
        }
        await Dispatcher.RunOnceAsync(CancellationToken.None);

        var log = await Deliveries(admin, webhookId);
        Assert.Equal(["succeeded", "failed"], log.Select(d => (string?)d!["status"]));
        Assert.Equal(maxAttempts, (int?)log[1]!["attempts"]);
        Assert.Equal("after-doomed", (string?)Receiver.Accepted.Single().Json["data"]!["slug"]);
    }

    [Fact]
    public async Task A_replay_sends_the_same_event_again_with_a_new_delivery_id()
    {
        using var admin = await HostClient(Role.Admin);
        using var editor = await HostClient(Role.Editor);
        var (webhookId, secret) = await Register(admin, Receiver.Url(), "article.published");
        await Publish(editor, "replayed");
        await Dispatcher.RunOnceAsync(CancellationToken.None);
        var original = Receiver.Requests.Single();

        var replay = await (await admin.PostAsync($"/api/v1/webhooks/{webhookId}/deliveries/{original.Delivery}/replay", null)).Json(HttpStatusCode.Accepted);
        Assert.Equal(("pending", original.Delivery), ((string?)replay["status"], (string?)replay["replayOf"]));
        Assert.Equal(1, await Dispatcher.RunOnceAsync(CancellationToken.None));

        var again = Receiver.Requests[1];
        Assert.Equal((string?)replay["id"], again.Delivery);
        Assert.NotEqual(original.Delivery, again.Delivery);
        Assert.Equal(original.Json["data"]!.ToJsonString(), again.Json["data"]!.ToJsonString());
        Assert.True(Verifies(secret, again.Signature!, again.Body, out _));
        var log = await Deliveries(admin, webhookId);
        Assert.Equal([again.Delivery, original.Delivery], log.Select(d => (string?)d!["id"]));
        Assert.All(log, d => Assert.Equal("succeeded", (string?)d!["status"]));

        await (await admin.PostAsync($"/api/v1/webhooks/{webhookId}/deliveries/{Guid.NewGuid()}/replay", null))
            .Problem(HttpStatusCode.NotFound, NewsApi.Api.ProblemTypes.NotFound);
    }

    [Fact]
    public async Task A_webhooks_events_arrive_in_order_even_when_the_first_fails()
    {
        using var admin = await HostClient(Role.Admin);
        using var editor = await HostClient(Role.Editor);
        await Register(admin, Receiver.Url(), "article.published", "article.unpublished");
        var first = await Publish(editor, "first");
        await Publish(editor, "second");
        await (await editor.PostAsync($"/api/v1/articles/{first}/unpublish", null)).Json();
        Receiver.FailNext(1);

        await Dispatcher.RunOnceAsync(CancellationToken.None);
        Assert.Single(Receiver.Requests); // the later events wait behind the failed one
        HostClock.Advance(TimeSpan.FromSeconds(16));
        await Dispatcher.RunOnceAsync(CancellationToken.None);

        Assert.Equal(["article.published first", "article.published first", "article.published second", "article.unpublished first"],
            Receiver.Requests.Select(r => $"{r.Event} {r.Json["data"]!["slug"]}"));
        Assert.Equal(503, Receiver.Requests[0].AnsweredWith);
    }

    [Fact]
    public async Task Two_instances_deliver_each_event_once_to_each_webhook_in_order()
    {
        using var admin = await HostClient(Role.Admin);
        using var editor = await HostClient(Role.Editor);
        foreach (var path in new[] { "a", "b", "c" })
            await Register(admin, Receiver.Url(path), "article.published");
        for (var i = 0; i < 10; i++)
            await Publish(editor, $"story-{i}");
        Receiver.Delay = TimeSpan.FromMilliseconds(20);
        await using var second = new ApiFactory(Fixture.ConnectionString, HostClock, settings: HostSettings);
        second.StartServer();
        var other = second.Services.GetRequiredService<WebhookDispatcher>();

        var runs = new List<Task<int>> { Dispatcher.RunOnceAsync(CancellationToken.None) };
        await Task.Delay(50); // let the first fan out, so both then compete for the same deliveries
        runs.Add(other.RunOnceAsync(CancellationToken.None));
        runs.Add(Dispatcher.RunOnceAsync(CancellationToken.None));
        runs.Add(other.RunOnceAsync(CancellationToken.None));
        var attempts = (await Task.WhenAll(runs)).Sum();

        Assert.Equal(30, attempts);
        Assert.Equal(30, Receiver.Requests.Count);
        Assert.Equal(30, Receiver.Requests.Select(r => r.Delivery).Distinct().Count());
        var expected = Enumerable.Range(0, 10).Select(i => $"story-{i}").ToList();
        foreach (var path in new[] { "a", "b", "c" })
            Assert.Equal(expected, Receiver.Requests.Where(r => r.Path == path).Select(r => (string?)r.Json["data"]!["slug"]));
        await using var db = Fixture.NewDbContext();
        Assert.Equal(30, await db.WebhookDeliveries.CountAsync(d => d.Status == DeliveryStatus.Succeeded && d.Attempts == 1));
    }
}
