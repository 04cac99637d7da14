using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Features.Webhooks;

/// <summary>A webhook's delivery log, and replaying a delivery.</summary>
internal static class WebhookDeliveries
{
    public sealed record Query(string? Limit, string? Cursor)
    {
        public int LimitOrDefault => QueryValues.Limit(Limit);
    }

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.Limit).ValidLimit();
        }
    }

    public static async Task<Results<Ok<Page<DeliveryResponse>>, NotFoundProblem, ValidationProblem>> List(
        Guid id, [AsParameters] Query query, NewsDbContext db, CursorSigner cursors, HttpContext http, CancellationToken ct)
    {
        if (!await db.Webhooks.AnyAsync(w => w.Id == id, ct))
            return Problems.NotFound($"There is no webhook with id {id}.");
        // A cursor pages only the log of the webhook it was given out for.
        var list = $"webhook-deliveries\n{id}";
        if (!NumberCursor.TryDecode(cursors, query.Cursor, list, out var before))
            return Problems.Invalid("cursor", "cursor is not one this list gave out; start again without it.");
        var deliveries = db.WebhookDeliveries.AsNoTracking().Where(d => d.WebhookId == id);
        // The database numbers deliveries in creation order, so the number is a keyset of its own.
        if (before is not null)
            deliveries = deliveries.Where(d => d.Sequence < before);
        var limit = query.LimitOrDefault;
        var rows = await (from d in deliveries.OrderByDescending(d => d.Sequence).Take(limit + 1)
                          join e in db.OutboxEvents on d.EventId equals e.Id
                          orderby d.Sequence descending
                          select new { Delivery = d, e.Subject }).ToListAsync(ct);
        var next = rows.Count > limit ? NumberCursor.Encode(cursors, list, rows[limit - 1].Delivery.Sequence) : null;
        var page = rows.Take(limit).ToList();
        // One more query for the page's attempts, not one per delivery.
        var ids = page.Select(r => r.Delivery.Id).ToList();
        var attempts = (await db.WebhookDeliveryAttempts.AsNoTracking().Where(a => ids.Contains(a.DeliveryId))
                .OrderBy(a => a.DeliveryId).ThenBy(a => a.Number).ToListAsync(ct))
            .ToLookup(a => a.DeliveryId, AttemptResponse.From);
        Paging.AddNextLink(http, next);
        return TypedResults.Ok(new Page<DeliveryResponse>(page.Select(r => Response(r.Delivery, r.Subject, attempts[r.Delivery.Id].ToList())).ToList(), next));
    }

    public static async Task<Results<Accepted<DeliveryResponse>, NotFoundProblem>> Replay(
        Guid id, Guid deliveryId, NewsDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var original = await db.WebhookDeliveries.AsNoTracking().FirstOrDefaultAsync(d => d.Id == deliveryId && d.WebhookId == id, ct);
        if (original is null)
            return Problems.NotFound($"Webhook {id} has no delivery with id {deliveryId}.");
        var now = clock.GetUtcNow();
        var replay = new WebhookDelivery
        {
            WebhookId = id, EventId = original.EventId, EventType = original.EventType, ReplayOf = original.Id,
            Status = DeliveryStatus.Pending, NextAttemptAt = now, CreatedAt = now,
        };
        db.WebhookDeliveries.Add(replay);
        await db.SaveChangesAsync(ct);
        var subject = await db.OutboxEvents.Where(e => e.Id == original.EventId).Select(e => e.Subject).SingleAsync(ct);
        return TypedResults.Accepted(WebhookEndpoints.DeliveriesPath(id), Response(replay, subject, []));
    }

    static DeliveryResponse Response(WebhookDelivery d, string subject, IReadOnlyList<AttemptResponse> attempts) => new(
        d.Id, d.EventId, d.EventType, subject, d.ReplayOf, d.Status, d.Attempts, d.CreatedAt,
        d.Status == DeliveryStatus.Pending ? d.NextAttemptAt : null, d.LastAttemptAt, d.LastStatusCode, d.LastError, d.LastDurationMs, d.DeliveredAt,
        attempts);
}
