using NewsApi.Api;
using NewsApi.Api.Auth;
using NewsApi.Api.OpenApi;
using NewsApi.Changes;

namespace NewsApi.Features.Webhooks;

internal static class WebhookEndpoints
{
    const string Group = "/webhooks";

    static readonly Dictionary<string, ParameterDoc> Parameters = new()
    {
        ["deliveryId"] = new("The delivery's id, from the webhook's delivery log (also sent to the receiver as NewsApi-Delivery)."),
    };

    /// <summary>The webhook's address, for Location headers.</summary>
    public static string Path(Guid id) => $"{ApiRoutes.Prefix}{Group}/{id}";

    /// <summary>The webhook's delivery log, for the Location of a replay.</summary>
    public static string DeliveriesPath(Guid id) => $"{Path(id)}/deliveries";

    public static RouteGroupBuilder MapWebhooks(this RouteGroupBuilder api)
    {
        var webhooks = api.MapGroup(Group).WithTags("Webhooks").RequireAuthorization(Policies.Admin)
            .WithResourceParameters().WithParameterDocs(Parameters);
        webhooks.MapPost("/", RegisterWebhook.Handle).WithName(NewsApi.Webhooks.WebhookOpenApi.RegisterOperation).WithValidation()
            .WithSummary("Register a webhook")
            .WithDescription("Events are POSTed to the URL as JSON, signed with HMAC-SHA256 in NewsApi-Signature (see the README). " +
                             $"Events: {string.Join(", ", EventTypes.All)}. Without a secret one is generated; the response shows it once. " +
                             "The URL must be http(s) and may not point at loopback, private or link-local addresses.");
        webhooks.MapGet("/", ReadWebhooks.List).WithName("listWebhooks")
            .WithSummary("List webhooks")
            .WithDescription("Every webhook, oldest first; never their secrets.");
        webhooks.MapGet("/{id:guid}", ReadWebhooks.Get).WithName("getWebhook")
            .WithSummary("Get a webhook")
            .WithDescription("The webhook, with its ETag for a later PATCH or DELETE; never its secret.");
        webhooks.MapPatch("/{id:guid}", UpdateWebhook.Handle).WithName("updateWebhook").WithValidation()
            .WithSummary("Change a webhook's URL, events, active flag or secret")
            .WithDescription("Members sent replace, members left out stay. Requires If-Match with the ETag you read (428 without it, 412 " +
                             "when it changed since). Deactivating pauses deliveries: pending ones wait, and events meanwhile are not queued.");
        webhooks.MapDelete("/{id:guid}", ReadWebhooks.Delete).WithName("deleteWebhook")
            .WithSummary("Delete a webhook")
            .WithDescription("Requires If-Match. The webhook's pending deliveries and its delivery log go with it.");
        webhooks.MapGet("/{id:guid}/deliveries", WebhookDeliveries.List).WithName("listWebhookDeliveries").WithValidation()
            .WithSummary("The webhook's delivery log")
            .WithDescription("Deliveries newest first: status (pending, succeeded, failed), attempts, the last status code, error and " +
                             "duration, and when the next attempt is due.");
        webhooks.MapPost("/{id:guid}/deliveries/{deliveryId:guid}/replay", WebhookDeliveries.Replay).WithName("replayWebhookDelivery")
            .WithSummary("Send a delivery's event again")
            .WithDescription("Queues a new delivery (with a new id) of the same event to this webhook, after the deliveries already " +
                             "waiting, and answers 202 with it. The event's payload is what it was when it happened.");
        return api;
    }
}
