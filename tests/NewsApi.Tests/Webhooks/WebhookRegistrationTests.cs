using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NewsApi.Api;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using NewsApi.Webhooks;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Webhooks;

public sealed class WebhookRegistrationTests(ApiFixture fixture) : WebhookTest(fixture)
{
    [Theory]
    [InlineData("http://127.0.0.1:8080/hook")]
    [InlineData("http://localhost/hook")]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://172.20.0.5/hook")]
    [InlineData("http://192.168.1.1/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://100.64.0.1/hook")]
    [InlineData("http://0.0.0.0/hook")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://[fd00::1]/hook")]
    [InlineData("http://[fe80::1]/hook")]
    [InlineData("http://[::ffff:127.0.0.1]/hook")]
    [InlineData("ftp://hooks.example.com/hook")]
    [InlineData("file:///etc/passwd")]
    [InlineData("http://user:password@hooks.example.com/hook")]
    [InlineData("hooks.example.com/hook")]
    public async Task Urls_on_the_internal_network_or_not_http_are_refused(string url)
    {
        // The shared host runs with the default configuration: private targets not allowed.
        using var admin = await As(Role.Admin);

        var response = await admin.PostAsync("/api/v1/webhooks", JsonBody(new { url, events = new[] { "article.published" } }));

        await response.Invalid("url");
        await using var db = Fixture.NewDbContext();
        Assert.False(await db.Webhooks.AnyAsync());
    }

    [Fact]
    public async Task A_name_that_later_resolves_to_a_private_address_is_refused_when_connecting()
    {
        // As after DNS rebinding: the URL passed the check, but now leads to loopback. The shared host refuses to connect.
        await using (var db = Fixture.NewDbContext())
        {
            db.Webhooks.Add(new Webhook { Url = Receiver.Url(), Events = ["article.published"], Secret = "a-secret-of-at-least-24-chars", CreatedAt = Clock.GetUtcNow(), UpdatedAt = Clock.GetUtcNow() });
            await db.SaveChangesAsync();
        }
        using var editor = await As(Role.Editor);
        await Publish(editor, "never-sent");

        await Fixture.Factory.Services.GetRequiredService<WebhookDispatcher>().RunOnceAsync(CancellationToken.None);

        Assert.Empty(Receiver.Requests);
        await using var check = Fixture.NewDbContext();
        var delivery = await check.WebhookDeliveries.SingleAsync();
        Assert.Equal((DeliveryStatus.Pending, 1, null), (delivery.Status, delivery.Attempts, delivery.LastStatusCode));
        Assert.Contains("127.0.0.1 is a loopback address", delivery.LastError);
    }

    [Fact]
    public async Task Only_admins_manage_webhooks()
    {
        using var editor = await HostClient(Role.Editor);
        using var anonymous = Host.CreateHttpClient();
        var body = new { url = Receiver.Url(), events = new[] { "article.published" } };

        await (await anonymous.GetAsync("/api/v1/webhooks")).Problem(HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
        await (await anonymous.PostAsync("/api/v1/webhooks", JsonBody(body))).Problem(HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
        await (await editor.GetAsync("/api/v1/webhooks")).Problem(HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        await (await editor.PostAsync("/api/v1/webhooks", JsonBody(body))).Problem(HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        await (await editor.GetAsync($"/api/v1/webhooks/{Guid.NewGuid()}/deliveries")).Problem(HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
    }

    [Fact]
    public async Task The_secret_is_shown_once_and_changes_need_the_current_etag()
    {
        using var admin = await HostClient(Role.Admin);
        var created = await admin.PostAsync("/api/v1/webhooks", JsonBody(new { url = Receiver.Url(), events = new[] { "article.published", "topic.changed" } }));
        var webhook = await created.Json(HttpStatusCode.Created);
        var id = (string)webhook["id"]!;
        Assert.StartsWith("whsec_", (string?)webhook["secret"]);
        Assert.Equal($"/api/v1/webhooks/{id}", created.Headers.Location?.ToString());

        var read = await admin.GetAsync($"/api/v1/webhooks/{id}");
        Assert.Null((await read.Json())["secret"]);
        Assert.Null((await (await admin.GetAsync("/api/v1/webhooks")).Json())["items"]![0]!["secret"]);
        var patch = JsonBody(new { events = new[] { "article.killed" }, active = false });

        await (await admin.PatchAsync($"/api/v1/webhooks/{id}", patch)).Problem(HttpStatusCode.PreconditionRequired, ProblemTypes.PreconditionRequired);
        var changed = await admin.Send(HttpMethod.Patch, $"/api/v1/webhooks/{id}", JsonBody(new { events = new[] { "article.killed" }, active = false }), read.ETag());
        var updated = await changed.Json();
        Assert.Equal(["article.killed"], updated["events"]!.AsArray().Select(e => (string?)e));
        Assert.False((bool)updated["active"]!);
        Assert.Equal((string?)webhook["url"], (string?)updated["url"]);
        await (await admin.Send(HttpMethod.Delete, $"/api/v1/webhooks/{id}", ifMatch: read.ETag()))
            .Problem(HttpStatusCode.PreconditionFailed, ProblemTypes.PreconditionFailed);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.Send(HttpMethod.Delete, $"/api/v1/webhooks/{id}", ifMatch: changed.ETag())).StatusCode);
        await (await admin.GetAsync($"/api/v1/webhooks/{id}")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Fact]
    public async Task Events_must_be_known_distinct_and_not_empty_and_a_given_secret_long_enough()
    {
        using var admin = await HostClient(Role.Admin);
        var url = Receiver.Url();

        await (await admin.PostAsync("/api/v1/webhooks", JsonBody(new { url, events = Array.Empty<string>() }))).Invalid("events");
        await (await admin.PostAsync("/api/v1/webhooks", JsonBody(new { url, events = new[] { "article.deleted" } }))).Invalid("events");
        await (await admin.PostAsync("/api/v1/webhooks", JsonBody(new { url, events = new[] { "topic.changed", "topic.changed" } }))).Invalid("events");
        await (await admin.PostAsync("/api/v1/webhooks", JsonBody(new { url, events = new[] { "topic.changed" }, secret = "short" }))).Invalid("secret");
        await (await admin.PostAsync("/api/v1/webhooks", JsonBody(new { url = url + new string('x', 2000), events = new[] { "topic.changed" } }))).Invalid("url");

        var chosen = await (await admin.PostAsync("/api/v1/webhooks", JsonBody(new { url, events = new[] { "topic.changed" }, secret = "my-own-secret-of-enough-length" }))).Json(HttpStatusCode.Created);
        Assert.Equal("my-own-secret-of-enough-length", (string?)chosen["secret"]);
    }

    [Theory]
    [InlineData("8.8.8.8", true)]
    [InlineData("2001:4860:4860::8888", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("172.31.255.255", false)]
    [InlineData("172.32.0.1", true)]
    [InlineData("64:ff9b::a00:1", false)] // NAT64 of 10.0.0.1
    [InlineData("ff02::1", false)]
    public void Addresses_are_judged_by_their_network(string address, bool allowed) =>
        Assert.Equal(allowed, WebhookTargets.Refusal(System.Net.IPAddress.Parse(address)) is null);

    [Fact]
    public void Back_off_doubles_up_to_the_maximum_with_jitter()
    {
        var options = new WebhookOptions { BaseDelay = TimeSpan.FromSeconds(10), MaxDelay = TimeSpan.FromMinutes(1) };
        for (var i = 0; i < 50; i++)
        {
            Assert.InRange(WebhookDispatcher.Backoff(1, options), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15));
            Assert.InRange(WebhookDispatcher.Backoff(3, options), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(60));
            Assert.InRange(WebhookDispatcher.Backoff(20, options), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(90));
        }
    }

    [Fact]
    public async Task A_webhook_can_subscribe_to_every_event_type()
    {
        using var admin = await HostClient(Role.Admin);
        string[] events = ["article.published", "article.updated", "article.unpublished", "article.killed", "topic.changed",
            "featured-list.changed", "section.changed", "tag.changed", "author.changed"];

        var response = await admin.PostAsync("/api/v1/webhooks", JsonBody(new { url = Receiver.Url(), events }));

        Assert.Equal(events, (await response.Json(HttpStatusCode.Created))["events"]!.AsArray().Select(e => (string)e!));
    }
}
