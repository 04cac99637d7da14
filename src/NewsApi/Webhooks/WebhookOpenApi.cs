using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace NewsApi.Webhooks;

/// <summary>
/// Documents what a receiver gets as a callback of registerWebhook (OpenAPI 3.0 has no top-level webhooks):
/// a POST to the registered URL with the payload and the three headers.
/// </summary>
internal sealed class WebhookOpenApi : IOperationFilter
{
    public const string RegisterOperation = "registerWebhook";

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.OperationId != RegisterOperation)
            return;
        var payload = context.SchemaGenerator.GenerateSchema(typeof(WebhookPayload), context.SchemaRepository);
        var delivery = new OpenApiOperation
        {
            OperationId = "receiveWebhookEvent",
            Summary = "An event, POSTed to the webhook's URL",
            Description = "Verify NewsApi-Signature before trusting the body: compute HMAC-SHA256 with the webhook's secret over " +
                          "\"<t>.<raw body>\" and compare it, in constant time, with v1; refuse a t more than a few minutes old. " +
                          "Answer 2xx quickly. Anything else, or no answer within Webhooks:Timeout, is retried with back-off; the " +
                          "webhook's later events wait until this one succeeds or is given up, so they arrive in order.",
            Parameters =
            [
                Header(WebhookSignature.EventHeader, "The event type, as in the payload's event: " + string.Join(", ", Changes.EventTypes.All) + ".",
                    "article.published", Changes.EventTypes.All),
                Header(WebhookSignature.DeliveryHeader, "The delivery id, as in the payload's id: de-duplicate by it.", "0199a3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d"),
                Header(WebhookSignature.Header, "t=<unix seconds>,v1=<hex HMAC-SHA256(secret, \"<t>.<body>\")>.",
                    "t=1772352000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd"),
            ],
            RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = payload } },
            },
            Responses = new OpenApiResponses
            {
                ["2XX"] = new OpenApiResponse { Description = "Received. The delivery is marked succeeded." },
                ["default"] = new OpenApiResponse { Description = "Not received: the delivery is retried with exponential back-off and jitter." },
            },
        };
        var callback = new OpenApiCallback();
        callback.AddPathItem(RuntimeExpression.Build("{$request.body#/url}"),
            new OpenApiPathItem { Operations = new() { [HttpMethod.Post] = delivery } });
        operation.Callbacks ??= new Dictionary<string, IOpenApiCallback>();
        operation.Callbacks["event"] = callback;
    }

    static OpenApiParameter Header(string name, string description, string example, IReadOnlyList<string>? values = null) => new()
    {
        Name = name, In = ParameterLocation.Header, Required = true, Description = description,
        Schema = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Enum = values?.Select(v => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(v)).ToList(),
        },
        Example = System.Text.Json.Nodes.JsonValue.Create(example),
    };
}
