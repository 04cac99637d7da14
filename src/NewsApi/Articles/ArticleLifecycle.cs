using NewsApi.Data.Entities;

namespace NewsApi.Articles;

/// <summary>A step of the workflow as its revision records it: the action and the fields it changed.</summary>
internal sealed record Step(string Action, IReadOnlyList<string> Fields);

/// <summary>
/// draft → published (or scheduled with a future publishAt) → unpublished / archived; kill from anywhere, for good.
/// The moves themselves, on the article in memory, for the editors' workflow, the import and the scheduler alike.
/// </summary>
internal static class ArticleLifecycle
{
    /// <summary>A killed article never changes again: the refusal, naming the step refused when there is one.</summary>
    public static Refusal? Frozen(Article article, string? step = null) => article.Status != ArticleStatus.Killed ? null
        : Refusal.Conflict(step is null
            ? $"The article was killed ({article.KillReason}) and can no longer change."
            : $"The article was killed ({article.KillReason}); it cannot {step}.");

    public static (Step? Step, Refusal? Refused) Publish(Article article, DateTimeOffset? at, DateTimeOffset now)
    {
        if (at is { } plausible && plausible <= now.AddYears(-100))
            return (null, Refusal.Invalid("publishAt", "publishAt is not a plausible time."));
        if (article.Status == ArticleStatus.Published)
            return (null, Refusal.Conflict("The article is published already."));
        if (at is { } when && when > now)
        {
            Schedule(article, when);
            return (new("scheduled", ["status", "publishAt"]), null);
        }
        GoLive(article, now);
        return (new("published", ["status", "publishedAt"]), null);
    }

    public static (Step? Step, Refusal? Refused) Unpublish(Article article, DateTimeOffset? at, DateTimeOffset now)
    {
        if (article.Status is not (ArticleStatus.Published or ArticleStatus.Scheduled))
            return (null, Refusal.Conflict($"Only a published or scheduled article can be unpublished; this one is {article.Status.ToString().ToLowerInvariant()}."));
        if (at is { } when && when > now)
        {
            article.UnpublishAt = when.ToUniversalTime();
            return (new("unpublish-scheduled", ["unpublishAt"]), null);
        }
        TakeDown(article);
        return (new("unpublished", ["status"]), null);
    }

    public static (Step? Step, Refusal? Refused) Archive(Article article)
    {
        if (article.Status == ArticleStatus.Archived)
            return (null, Refusal.Conflict("The article is archived already."));
        (article.Status, article.PublishAt, article.UnpublishAt) = (ArticleStatus.Archived, null, null);
        return (new("archived", ["status"]), null);
    }

    /// <summary>Withdraws the article for good (its topic and featured-list places are the writer's to remove).</summary>
    public static Step Kill(Article article, string reason, DateTimeOffset now)
    {
        (article.Status, article.KilledAt, article.KillReason) = (ArticleStatus.Killed, now, reason.Trim());
        (article.PublishAt, article.UnpublishAt) = (null, null);
        return new("killed", ["status", "killReason"]);
    }

    /// <summary>What the scheduler does when a time comes: the due publish, unpublish, embargo end or end of a breaking mark, or null when none is.</summary>
    public static Step? Due(Article article, DateTimeOffset now)
    {
        if (article.Status == ArticleStatus.Scheduled && article.PublishAt <= now)
        {
            GoLive(article, article.PublishAt.Value);
            return new("published", ["status", "publishedAt"]);
        }
        if (article.Status == ArticleStatus.Published && article.UnpublishAt <= now)
        {
            TakeDown(article);
            return new("unpublished", ["status"]);
        }
        if (article.EmbargoUntil <= now)
        {
            article.EmbargoUntil = null;
            return new("embargo-ended", ["embargoUntil"]);
        }
        if (article.BreakingUntil <= now && article.Status != ArticleStatus.Killed)
        {
            (article.Breaking, article.BreakingUntil) = (false, null);
            return new("breaking-ended", ["breaking", "breakingUntil"]);
        }
        return null;
    }

    /// <summary>
    /// Whether moving the article to a wanted status (an import's draft, published, or scheduled at publishAt) would
    /// change it. Draft only takes a live article down: any other status already counts as not live.
    /// </summary>
    public static bool Differs(Article a, ArticleStatus? wanted, DateTimeOffset? publishAt, DateTimeOffset now) => wanted switch
    {
        ArticleStatus.Published => a.Status != ArticleStatus.Published,
        ArticleStatus.Scheduled when publishAt <= now => a.Status != ArticleStatus.Published,
        ArticleStatus.Scheduled => a.Status != ArticleStatus.Scheduled || a.PublishAt != publishAt!.Value.ToUniversalTime(),
        ArticleStatus.Draft => a.Status is ArticleStatus.Published or ArticleStatus.Scheduled,
        _ => false,
    };

    /// <summary>Moves the article to a wanted status the way the workflow would; returns the fields that changed.</summary>
    public static IReadOnlyList<string> Settle(Article a, ArticleStatus? wanted, DateTimeOffset? publishAt, DateTimeOffset now)
    {
        if (!Differs(a, wanted, publishAt, now))
            return [];
        switch (wanted)
        {
            case ArticleStatus.Draft:
                TakeDown(a);
                return ["status"];
            case ArticleStatus.Scheduled when publishAt > now:
                Schedule(a, publishAt!.Value);
                return ["status", "publishAt"];
            default:
                GoLive(a, now);
                return ["status", "publishedAt"];
        }
    }

    /// <summary>
    /// An archive's story brought in with its history (an import's published, archived or unpublished with past times):
    /// it takes the status and the times it had in the source instead of going live now. The first-public time is the
    /// first publication too, so a later kill of a story the public once read answers 410. Returns the fields that changed.
    /// </summary>
    public static IReadOnlyList<string> Restore(Article a, ArticleStatus status, DateTimeOffset? publishedAt, DateTimeOffset? firstPublishedAt, DateTimeOffset now)
    {
        var published = (publishedAt ?? (status == ArticleStatus.Published ? a.PublishedAt ?? now : a.PublishedAt))?.ToUniversalTime();
        var first = (firstPublishedAt?.ToUniversalTime() ?? (publishedAt is null ? a.FirstPublishedAt : null)) ?? published;
        if (a.Status == status && a.PublishedAt == published && a.FirstPublishedAt == first && a.PublishAt is null && a.UnpublishAt is null)
            return [];
        var fields = new List<string> { "status" };
        if (a.PublishedAt != published)
            fields.Add("publishedAt");
        (a.Status, a.PublishedAt, a.FirstPublishedAt, a.PublishAt, a.UnpublishAt) = (status, published, first, null, null);
        if (first is not null)
            a.FirstPublicAt = first;
        return fields;
    }

    static void Schedule(Article article, DateTimeOffset at) =>
        (article.Status, article.PublishAt) = (ArticleStatus.Scheduled, at.ToUniversalTime());

    /// <summary>Makes an article live at <paramref name="at"/>.</summary>
    static void GoLive(Article article, DateTimeOffset at)
    {
        article.Status = ArticleStatus.Published;
        article.PublishedAt = at;
        article.FirstPublishedAt ??= at;
        article.PublishAt = null;
    }

    static void TakeDown(Article article)
    {
        article.Status = ArticleStatus.Unpublished;
        (article.PublishAt, article.UnpublishAt) = (null, null);
    }
}
