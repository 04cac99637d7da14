using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using NewsApi.Webhooks;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Webhooks;

/// <summary>
/// Webhook tests talk to a second host on the test database that may reach the local receiver
/// (Webhooks:AllowPrivateTargets) and whose dispatcher runs only when a test calls it, on a clock of its own.
/// The shared host keeps the default, so it refuses local receivers: that is what the refusal tests use.
/// </summary>
public abstract class WebhookTest(ApiFixture fixture) : ApiTest(fixture), IAsyncLifetime
{
    static readonly SemaphoreSlim Starting = new(1, 1);
    static ApiFactory? _host;

    public static readonly Dictionary<string, string> HostSettings = new()
    {
        ["Webhooks:AllowPrivateTargets"] = "true",
        ["Webhooks:Enabled"] = "false",
        ["Scheduler:Enabled"] = "false",
    };

    protected ApiFactory Host => _host!;
    protected FakeTimeProvider HostClock => Host.Clock;
    private protected WebhookDispatcher Dispatcher => Host.Services.GetRequiredService<WebhookDispatcher>();
    protected WebhookReceiver Receiver { get; private set; } = null!;

    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Starting.WaitAsync();
        try
        {
            if (_host is null)
            {
                var host = new ApiFactory(Fixture.ConnectionString, new FakeTimeProvider(ApiFixture.Now), settings: HostSettings);
                host.StartServer();
                _host = host;
            }
        }
        finally
        {
            Starting.Release();
        }
        HostClock.AdjustTime(ApiFixture.Now);
        Receiver = await WebhookReceiver.StartAsync();
    }

    public new async Task DisposeAsync()
    {
        await Receiver.DisposeAsync();
        await base.DisposeAsync();
    }

    /// <summary>A client of the webhook host with a new key of this role.</summary>
    private protected async Task<HttpClient> HostClient(Role role)
    {
        var client = Host.CreateHttpClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", await Given.Key(role));
        return client;
    }

    /// <summary>Registers a webhook through the API and returns its id and secret.</summary>
    protected static async Task<(string Id, string Secret)> Register(HttpClient admin, string url, params string[] events)
    {
        var created = await (await admin.PostAsync("/api/v1/webhooks", JsonBody(new { url, events }))).Json(HttpStatusCode.Created);
        return ((string)created["id"]!, (string)created["secret"]!);
    }

    /// <summary>Creates and publishes an article through the API: one article.published event.</summary>
    protected static async Task<string> Publish(HttpClient editor, string slug)
    {
        var created = await (await editor.PostAsync("/api/v1/articles", JsonBody(new { title = "烏鎮峰會閉幕", slug }))).Json(HttpStatusCode.Created);
        var id = (string)created["id"]!;
        await (await editor.PostAsync($"/api/v1/articles/{id}/publish", null)).Json();
        return id;
    }

    protected static async Task<JsonArray> Deliveries(HttpClient admin, string webhookId) =>
        (await (await admin.GetAsync($"/api/v1/webhooks/{webhookId}/deliveries")).Json())["items"]!.AsArray();
}
