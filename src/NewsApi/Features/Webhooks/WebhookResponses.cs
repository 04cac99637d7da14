using NewsApi.Data.Entities;

namespace NewsApi.Features.Webhooks;

// Responses, not entities, cross the wire: the secret never appears in them.
internal sealed record WebhookResponse(Guid Id, string Url, IReadOnlyList<string> Events, bool Active, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static WebhookResponse From(Webhook w) => new(w.Id, w.Url, w.Events, w.Active, w.CreatedAt, w.UpdatedAt);
}

/// <summary>The webhook with its secret: answered only when the secret is set, so store it then.</summary>
internal sealed record WebhookWithSecret(Guid Id, string Url, IReadOnlyList<string> Events, bool Active, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string Secret)
{
    public static WebhookWithSecret From(Webhook w) => new(w.Id, w.Url, w.Events, w.Active, w.CreatedAt, w.UpdatedAt, w.Secret);
}

/// <param name="Id">The delivery id, sent in NewsApi-Delivery and as the payload's id: receivers de-duplicate by it.</param>
/// <param name="EventId">The event's number in the outbox; a replay carries the same one.</param>
/// <param name="Event">The event type, such as article.published.</param>
/// <param name="Subject">What the event is about, such as article:{id} or topic:{slug}.</param>
/// <param name="ReplayOf">The delivery this one replays, if it is a replay.</param>
/// <param name="Status">pending (waiting or retrying), succeeded (a 2xx answer) or failed (every attempt failed).</param>
/// <param name="Attempts">How many times it was sent.</param>
/// <param name="CreatedAt">When the delivery was queued.</param>
/// <param name="NextAttemptAt">When it is due next, while pending.</param>
/// <param name="LastAttemptAt">When it was last sent.</param>
/// <param name="LastStatusCode">The HTTP status of the last attempt; absent when no answer came (timeout, refused connection).</param>
/// <param name="LastError">Why the last attempt failed, in a few words.</param>
/// <param name="LastDurationMs">How long the last attempt took, in milliseconds.</param>
/// <param name="DeliveredAt">When a receiver accepted it with a 2xx.</param>
/// <param name="AttemptLog">Every attempt, first to last (the last-* fields repeat the last one).</param>
internal sealed record DeliveryResponse(
    Guid Id, long EventId, string Event, string Subject, Guid? ReplayOf, DeliveryStatus Status, int Attempts, DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt, DateTimeOffset? LastAttemptAt, int? LastStatusCode, string? LastError, int? LastDurationMs, DateTimeOffset? DeliveredAt,
    IReadOnlyList<AttemptResponse> AttemptLog);

/// <param name="Number">1 for the first attempt, counting up.</param>
/// <param name="At">When it was sent.</param>
/// <param name="StatusCode">The receiver's HTTP status; absent when no answer came (timeout, refused connection).</param>
/// <param name="DurationMs">How long it took, in milliseconds.</param>
/// <param name="Error">Why it failed, in a few words; absent when the receiver accepted it.</param>
internal sealed record AttemptResponse(int Number, DateTimeOffset At, int? StatusCode, int DurationMs, string? Error)
{
    public static AttemptResponse From(WebhookDeliveryAttempt a) => new(a.Number, a.At, a.StatusCode, a.DurationMs, a.Error);
}
