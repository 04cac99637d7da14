using NewsApi.Articles;
using NewsApi.Data.Entities;

namespace NewsApi.Tests.Articles;

/// <summary>The workflow's moves in memory, as the endpoints, the import and the scheduler all make them.</summary>
public sealed class ArticleLifecycleTests
{
    static readonly DateTimeOffset Now = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    static Article Draft() => new() { Slug = "a", Title = "標題" };

    [Fact]
    public void Publishing_with_a_future_time_schedules_and_with_none_goes_live_once()
    {
        var scheduled = Draft();
        Assert.Equal(new Step("scheduled", ["status", "publishAt"]).Fields, ArticleLifecycle.Publish(scheduled, Now.AddDays(1), Now).Step!.Fields);
        Assert.Equal((ArticleStatus.Scheduled, Now.AddDays(1)), (scheduled.Status, scheduled.PublishAt!.Value));

        var live = Draft();
        Assert.Equal("published", ArticleLifecycle.Publish(live, null, Now).Step!.Action);
        Assert.Equal((ArticleStatus.Published, Now, Now), (live.Status, live.PublishedAt!.Value, live.FirstPublishedAt!.Value));
        Assert.Equal(RefusalKind.Conflict, ArticleLifecycle.Publish(live, null, Now).Refused!.Kind);
        Assert.Equal("publishAt", ArticleLifecycle.Publish(Draft(), Now.AddYears(-200), Now).Refused!.Member);
    }

    [Fact]
    public void A_killed_article_is_frozen_for_every_step_and_says_why()
    {
        var article = Draft();
        ArticleLifecycle.Kill(article, "  撤稿  ", Now);
        Assert.Equal("The article was killed (撤稿) and can no longer change.", ArticleLifecycle.Frozen(article)!.Detail);
        Assert.Equal("The article was killed (撤稿); it cannot publish.", ArticleLifecycle.Frozen(article, "publish")!.Detail);
        Assert.Null(ArticleLifecycle.Frozen(Draft()));
    }

    [Fact]
    public void The_scheduler_makes_the_due_change_at_its_own_time_and_nothing_early()
    {
        var article = Draft();
        ArticleLifecycle.Publish(article, Now.AddMinutes(5), Now);
        Assert.Null(ArticleLifecycle.Due(article, Now));
        Assert.Equal("published", ArticleLifecycle.Due(article, Now.AddMinutes(6))!.Action);
        Assert.Equal(Now.AddMinutes(5), article.PublishedAt);

        article.UnpublishAt = Now.AddHours(1);
        Assert.Equal("unpublished", ArticleLifecycle.Due(article, Now.AddHours(2))!.Action);
        Assert.Equal((ArticleStatus.Unpublished, null), (article.Status, article.UnpublishAt));
    }

    [Fact]
    public void An_imports_wanted_status_moves_only_what_differs()
    {
        var article = Draft();
        Assert.Empty(ArticleLifecycle.Settle(article, ArticleStatus.Draft, null, Now));
        Assert.Equal(["status", "publishedAt"], ArticleLifecycle.Settle(article, ArticleStatus.Scheduled, Now.AddDays(-1), Now));
        Assert.Empty(ArticleLifecycle.Settle(article, ArticleStatus.Published, null, Now));
        Assert.Equal(["status"], ArticleLifecycle.Settle(article, ArticleStatus.Draft, null, Now));
        Assert.Equal(ArticleStatus.Unpublished, article.Status);
        Assert.False(ArticleLifecycle.Differs(article, null, null, Now));
    }
}
