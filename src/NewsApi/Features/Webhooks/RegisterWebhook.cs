using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using NewsApi.Api;
using NewsApi.Changes;
using NewsApi.Data;
using NewsApi.Data.Entities;
using NewsApi.Webhooks;

namespace NewsApi.Features.Webhooks;

internal static class RegisterWebhook
{
    /// <param name="Url">Where events are POSTed: http or https, not on an internal network, at most 2000 characters.</param>
    /// <param name="Events">The event types wanted, at least one: article.published, article.updated, article.unpublished, article.killed, article.corrected, topic.changed, featured-list.changed, section.changed, tag.changed, author.changed.</param>
    /// <param name="Secret">The HMAC key, 24 to 200 characters without spaces; omit it to have a random one generated.</param>
    /// <param name="Active">false registers it paused; default true.</param>
    public sealed record Request(string Url, IReadOnlyList<string> Events, string? Secret, bool? Active);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator(IOptions<WebhookOptions> options)
        {
            RuleFor(r => r.Url).WebhookUrl(options.Value);
            RuleFor(r => r.Events).WebhookEvents();
            RuleFor(r => r.Secret!).WebhookSecret().When(r => r.Secret is not null);
        }
    }

    public static async Task<Results<Created<WebhookWithSecret>, ValidationProblem>> Handle(Request request, NewsDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var webhook = new Webhook
        {
            Url = request.Url, Events = [.. request.Events], Secret = request.Secret ?? WebhookSignature.NewSecret(),
            Active = request.Active ?? true, CreatedAt = now, UpdatedAt = now,
        };
        db.Webhooks.Add(webhook);
        await db.SaveChangesAsync(ct);
        Preconditions.SetETag(http, webhook.Version);
        return TypedResults.Created(WebhookEndpoints.Path(webhook.Id), WebhookWithSecret.From(webhook));
    }
}

/// <summary>The rules registering and changing a webhook share.</summary>
internal static class WebhookRules
{
    const int MaxEventLength = 30; // longer than any event type

    public static IRuleBuilderOptionsConditions<T, string> WebhookUrl<T>(this IRuleBuilder<T, string> rule, WebhookOptions options) =>
        rule.NotEmpty().MaximumLength(2000).Must(TextRules.IsSafe).WithMessage("url contains a NUL character or a broken surrogate pair.")
            .CustomAsync(async (url, context, ct) =>
            {
                if (!string.IsNullOrEmpty(url) && await WebhookTargets.CheckAsync(url, options.AllowPrivateTargets, ct) is { } refusal)
                    context.AddFailure(refusal);
            });

    public static IRuleBuilderOptions<T, IReadOnlyList<string>> WebhookEvents<T>(this IRuleBuilder<T, IReadOnlyList<string>> rule) =>
        rule.NotEmpty().WithMessage($"events must list at least one of: {string.Join(", ", EventTypes.All)}.")
            .Must(e => e is null || e.All(EventTypes.All.Contains)).WithMessage($"events may only be: {string.Join(", ", EventTypes.All)}.")
            .Must(e => e is null || e.Distinct().Count() == e.Count).WithMessage("events lists an event twice.")
            .MaxCount(EventTypes.All.Count).MaxItemLength(MaxEventLength);

    public static IRuleBuilderOptions<T, string> WebhookSecret<T>(this IRuleBuilder<T, string> rule) =>
        rule.Length(24, 200).Must(s => s.All(c => c > ' ' && c < 127)).WithMessage("secret must be printable ASCII without spaces.");
}
