using System.Linq.Expressions;
using NewsApi.Data.Entities;

namespace NewsApi.Content;

/// <summary>
/// Who may see an article, stated once. The public see an article that is published and past any embargo; for them
/// everything else does not exist (404, never 403), so every public read starts here. A preview (a key of any role)
/// sees every status; a killed article leaves every list and feed, previews' too, and answers 410 to previews and,
/// if it was ever public (<see cref="Article.FirstPublicAt"/>), to the public; a kill the public never saw is a 404.
/// EF queries, in-memory checks and search's SQL all come from this class, so they cannot drift apart.
/// </summary>
internal static class ArticleVisibility
{
    /// <summary>The public's rule, with the instant as its second parameter.</summary>
    public static readonly Expression<Func<Article, DateTimeOffset, bool>> Public =
        (a, now) => a.Status == ArticleStatus.Published && (a.EmbargoUntil == null || a.EmbargoUntil <= now);

    /// <summary>
    /// The public's rule as the schedule says it will stand at the instant (the second parameter), for previews of a
    /// later time: published by then, or scheduled to go live by then; past any embargo then; not due to come down by
    /// then. Nobody's edits are foreseen, so a time in the past is only approximate: what was taken down since is gone.
    /// </summary>
    public static readonly Expression<Func<Article, DateTimeOffset, bool>> PublicBySchedule =
        (a, at) => (a.Status == ArticleStatus.Published && a.PublishedAt <= at || a.Status == ArticleStatus.Scheduled && a.PublishAt <= at)
                   && (a.EmbargoUntil == null || a.EmbargoUntil <= at) && (a.UnpublishAt == null || a.UnpublishAt > at);

    /// <summary>What a preview lists: every article but killed ones.</summary>
    public static readonly Expression<Func<Article, bool>> InPreviewLists = a => a.Status != ArticleStatus.Killed;

    /// <summary>
    /// The public's rule on a search row <c>d</c> of <c>article_search_documents</c>, the instant as <c>@now</c>. The
    /// row's <c>published_at</c> is the article's only while it is published, and its <c>embargo_until</c> the
    /// article's, as the search indexer last saw them: this picks a search's candidates from the index alone, and may
    /// lag behind the article, so every hit is checked again with <see cref="PublicArticleRow"/>. ArticleVisibilityTests
    /// prove it agrees with <see cref="Public"/> on articles in every state, once indexed.
    /// </summary>
    public const string PublicSearchRow = "d.published_at IS NOT NULL AND (d.embargo_until IS NULL OR d.embargo_until <= @now)";

    /// <summary>
    /// <see cref="Public"/> in SQL on an <c>articles</c> row of the given alias, the instant as <c>@now</c>: what a
    /// search applies to each hit, so the index's lag never shows the public an article it may no longer see.
    /// ArticleVisibilityTests prove it agrees with <see cref="Public"/>.
    /// </summary>
    public static string PublicArticleRow(string alias) =>
        $"{alias}.status = '{nameof(ArticleStatus.Published)}' AND ({alias}.embargo_until IS NULL OR {alias}.embargo_until <= @now)";

    /// <summary>
    /// The public's rule on a read-model row <c>r</c> of <c>article_reads</c>, the instant as the parameter
    /// <paramref name="now"/>. A row exists only for a published article, or as a killed one's tombstone (kill_reason
    /// set), and carries the article's embargo, so the rule is what is left of <see cref="Public"/>. ArticleVisibilityTests
    /// prove it agrees with <see cref="Public"/> on articles in every state.
    /// </summary>
    public static string PublicReadRow(string now) => $"r.kill_reason IS NULL AND (r.embargo_until IS NULL OR r.embargo_until <= {now})";

    static readonly Func<Article, DateTimeOffset, bool> IsPublic = Public.Compile();

    /// <summary>
    /// <see cref="Public"/> at one instant, for EF. The instant stands in as a captured value, as in a lambda written
    /// inline, so it reaches SQL as the parameter <c>@now</c> and one cached plan serves every instant.
    /// </summary>
    static Expression<Func<Article, bool>> At(Expression<Func<Article, DateTimeOffset, bool>> rule, DateTimeOffset now)
    {
        Expression<Func<DateTimeOffset>> instant = () => now;
        var body = new Replace(rule.Parameters[1], instant.Body).Visit(rule.Body);
        return Expression.Lambda<Func<Article, bool>>(body, rule.Parameters[0]);
    }

    /// <summary>The articles the public may see at <paramref name="now"/>.</summary>
    public static IQueryable<Article> VisibleAt(this IQueryable<Article> articles, DateTimeOffset now) =>
        articles.Where(At(Public, now));

    /// <summary>The articles the public will see at <paramref name="at"/> if the schedule runs as it stands (<see cref="PublicBySchedule"/>).</summary>
    public static IQueryable<Article> VisibleBySchedule(this IQueryable<Article> articles, DateTimeOffset at) =>
        articles.Where(At(PublicBySchedule, at));

    /// <summary>Whether the public may see the article at <paramref name="now"/>: <see cref="Public"/>, compiled.</summary>
    public static bool IsPublicAt(this Article article, DateTimeOffset now) => IsPublic(article, now);

    /// <summary>Whether a caller may read the article: a preview may read every status, the public what is public.</summary>
    public static bool MaySee(Article article, DateTimeOffset now, bool preview) => preview || article.IsPublicAt(now);

    sealed class Replace(ParameterExpression parameter, Expression with) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == parameter ? with : node;
    }
}
