using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Data;

namespace NewsApi.Features.Webhooks;

/// <summary>Reading and deleting webhooks.</summary>
internal static class ReadWebhooks
{
    public static async Task<Ok<Page<WebhookResponse>>> List(NewsDbContext db, CancellationToken ct) =>
        TypedResults.Ok(new Page<WebhookResponse>(await db.Webhooks.AsNoTracking().OrderBy(w => w.CreatedAt).ThenBy(w => w.Id)
            .Select(w => new WebhookResponse(w.Id, w.Url, w.Events, w.Active, w.CreatedAt, w.UpdatedAt)).ToListAsync(ct), null));

    public static async Task<Results<Ok<WebhookResponse>, NotFoundProblem>> Get(Guid id, NewsDbContext db, HttpContext http, CancellationToken ct)
    {
        var webhook = await db.Webhooks.AsNoTracking().FirstOrDefaultAsync(w => w.Id == id, ct);
        if (webhook is null)
            return Problems.NotFound($"There is no webhook with id {id}.");
        Preconditions.SetETag(http, webhook.Version);
        return TypedResults.Ok(WebhookResponse.From(webhook));
    }

    public static async Task<Results<NoContent, NotFoundProblem, PreconditionFailedProblem, PreconditionRequiredProblem>> Delete(
        Guid id, NewsDbContext db, HttpContext http, CancellationToken ct)
    {
        var webhook = await db.Webhooks.FirstOrDefaultAsync(w => w.Id == id, ct);
        if (webhook is null)
            return Problems.NotFound($"There is no webhook with id {id}.");
        var (version, problem) = Preconditions.IfMatch(http, webhook.Version);
        if (problem is PreconditionRequiredProblem required)
            return required;
        if (problem is PreconditionFailedProblem failed)
            return failed;
        db.Entry(webhook).Property(w => w.Version).OriginalValue = version!.Value;
        db.Webhooks.Remove(webhook);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new PreconditionFailedProblem("The webhook changed while it was being deleted. Read it again and retry.");
        }
        return TypedResults.NoContent();
    }
}
