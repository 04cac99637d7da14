using System.Security.Claims;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using NewsApi.Api;
using NewsApi.Api.Auth;
using NewsApi.Articles;
using NewsApi.Content;
using NewsApi.Data;
using NewsApi.Reads;

namespace NewsApi.Features.Articles;

/// <param name="Type">correction, clarification, update or editorsNote (shown first, before the body).</param>
/// <param name="Text">Plain text, 1–2,000 characters, e.g. 本文較早版本誤植峰會日期，現已更正。</param>
/// <param name="At">When the notice was made; default now. Not in the future.</param>
internal sealed record NoticeRequest(string Type, string Text, DateTimeOffset? At = null);

internal sealed class NoticeRequestValidator : AbstractValidator<NoticeRequest>
{
    public NoticeRequestValidator(TimeProvider clock)
    {
        RuleFor(n => n.Type).Cascade(CascadeMode.Stop).NotEmpty().Must(t => NoticeTypes.All.Contains(t))
            .WithMessage($"type must be one of {string.Join(", ", NoticeTypes.All)}.").MaximumLength(20);
        RuleFor(n => n.Text).NotEmpty().MaximumLength(NoticeValidator.MaxTextLength).PlainText();
        RuleFor(n => n.At).Must(at => at is null || at.Value.Year >= 1900 && at <= clock.GetUtcNow().AddMinutes(1))
            .WithMessage("at must be a real time, not in the future.");
    }
}

/// <summary>
/// Appending a notice to an article: its own revision (action notice-added), its own webhook event for a live story
/// (article.corrected), and the article's updatedAt moves, so feeds show the item as changed.
/// </summary>
internal static class ArticleNotices
{
    public static async Task<Results<Created<ArticleResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, PreconditionFailedProblem>> Add(
        Guid id, NoticeRequest request, ArticleWriter writer, NewsDbContext db, ClaimsPrincipal user, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var article = await writer.Load(id, ct);
        if (article is null)
            return Problems.NotFound($"There is no article with id {id}.");
        var (version, stale) = Preconditions.OptionalIfMatch(http, article.Version);
        if (stale is not null)
            return stale;
        if (version is { } read)
            writer.Expect(article, read);
        if (article.Notices.Count >= ArticleContentValidator.MaxNotices)
            return Problems.Conflict($"The article has {article.Notices.Count} notices, the most it may hold.");

        var notice = new Notice(request.Type, request.Text, request.At ?? clock.GetUtcNow());
        if (await writer.AddNotice(article, notice, user.Actor(), ct) is { } refused)
            return Problems.Conflict(refused.Detail);
        switch (await ResourceWrites.Save(db, ct))
        {
            case ConflictProblem conflict: return conflict;
            case PreconditionFailedProblem changed: return changed;
        }
        Preconditions.SetETag(http, article.Version);
        return TypedResults.Created(ArticleEndpoints.Path(id), await ArticleReads.Response(db, id, ct));
    }
}
