using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsApi.Api;
using NewsApi.Data;
using NewsApi.Webhooks;

namespace NewsApi.Features.Webhooks;

internal static class UpdateWebhook
{
    /// <param name="Url">A new URL, under the same rules as at registration.</param>
    /// <param name="Events">A new list of event types, replacing the old one.</param>
    /// <param name="Active">false pauses deliveries, true resumes them.</param>
    /// <param name="Secret">A new HMAC key (24 to 200 characters without spaces); deliveries from now on are signed with it.</param>
    public sealed record Request(string? Url, IReadOnlyList<string>? Events, bool? Active, string? Secret);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator(IOptions<WebhookOptions> options)
        {
            RuleFor(r => r.Url!).WebhookUrl(options.Value).When(r => r.Url is not null);
            RuleFor(r => r.Events!).WebhookEvents().When(r => r.Events is not null);
            RuleFor(r => r.Secret!).WebhookSecret().When(r => r.Secret is not null);
        }
    }

    public static async Task<Results<Ok<WebhookResponse>, ValidationProblem, NotFoundProblem, PreconditionFailedProblem, PreconditionRequiredProblem>> Handle(
        Guid id, Request request, NewsDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
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
        if (request.Url is not null)
            webhook.Url = request.Url;
        if (request.Events is not null)
            webhook.Events = [.. request.Events];
        if (request.Active is not null)
            webhook.Active = request.Active.Value;
        if (request.Secret is not null)
            webhook.Secret = request.Secret;
        webhook.UpdatedAt = clock.GetUtcNow();
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new PreconditionFailedProblem("The webhook changed while your change was being saved. Read it again, reapply your change, and retry.");
        }
        Preconditions.SetETag(http, webhook.Version);
        return TypedResults.Ok(WebhookResponse.From(webhook));
    }
}
