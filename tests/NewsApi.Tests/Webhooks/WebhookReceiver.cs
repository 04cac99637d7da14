using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace NewsApi.Tests.Webhooks;

/// <summary>A request the receiver got, with the status it answered.</summary>
public sealed record Received(string Path, string? Event, string? Delivery, string? Signature, string Body, int AnsweredWith)
{
    public JsonNode Json => JsonNode.Parse(Body)!;
}

/// <summary>
/// A real HTTP receiver on 127.0.0.1 that records every request and can be told to fail the next ones, as a
/// subscriber's server would: the dispatcher reaches it over a socket like any other URL.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    readonly WebApplication _app;
    readonly List<Received> _received = [];
    int _failuresLeft;

    WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>How long each answer takes, to make concurrent senders overlap.</summary>
    public TimeSpan Delay { get; set; }

    public string Url(string path = "hook") => $"{_app.Urls.First()}/{path}";

    public IReadOnlyList<Received> Requests
    {
        get
        {
            lock (_received)
                return [.. _received];
        }
    }

    public IReadOnlyList<Received> Accepted => Requests.Where(r => r.AnsweredWith == 200).ToList();

    /// <summary>Answers the next <paramref name="count"/> requests with 503.</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref _failuresLeft, count);

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/{**path}", receiver.Handle);
        await app.StartAsync();
        return receiver;
    }

    async Task<IResult> Handle(HttpContext http, string path)
    {
        var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
        if (Delay > TimeSpan.Zero)
            await Task.Delay(Delay);
        var status = Interlocked.Decrement(ref _failuresLeft) >= 0 ? 503 : 200;
        var headers = http.Request.Headers;
        lock (_received)
            _received.Add(new Received(path, headers["NewsApi-Event"], headers["NewsApi-Delivery"], headers["NewsApi-Signature"], body, status));
        return Results.StatusCode(status);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
