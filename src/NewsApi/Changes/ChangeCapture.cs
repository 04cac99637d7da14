using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using NewsApi.Data;

namespace NewsApi.Changes;

/// <summary>Names of the events the outbox carries; webhooks subscribe to these.</summary>
internal static class EventTypes
{
    public const string ArticlePublished = "article.published";
    public const string ArticleUpdated = "article.updated";
    public const string ArticleUnpublished = "article.unpublished";
    public const string ArticleKilled = "article.killed";
    public const string TopicChanged = "topic.changed";
    public const string FeaturedListChanged = "featured-list.changed";
    public const string SectionChanged = "section.changed";

    public static readonly IReadOnlyList<string> All =
        [ArticlePublished, ArticleUpdated, ArticleUnpublished, ArticleKilled, TopicChanged, FeaturedListChanged, SectionChanged];
}

/// <summary>
/// The EF path's trigger: every SaveChanges — editors' writes, imports and the scheduler alike, so none can forget —
/// has <see cref="ChangeRecorder"/> add, in the same transaction, the outbox events, cache tags and search rows the
/// change calls for. After the save, this instance evicts those tags at once; other instances learn of them from the
/// table within a second.
/// </summary>
internal sealed class ChangeCapture(ChangeRecorder recorder) : SaveChangesInterceptor
{
    // Per context, not AsyncLocal: a value set inside the async SavingChanges would not flow back out to SavedChanges.
    readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbContext, IReadOnlyCollection<string>> _pending = new();

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData data, InterceptionResult<int> result, CancellationToken ct = default)
    {
        if (data.Context is NewsDbContext db)
            await Capture(db, ct);
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData data, InterceptionResult<int> result)
    {
        if (data.Context is NewsDbContext db)
            Capture(db, default).GetAwaiter().GetResult();
        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData data, int result, CancellationToken ct = default)
    {
        await Evict(data.Context);
        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData data, int result)
    {
        Evict(data.Context).GetAwaiter().GetResult();
        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData data)
    {
        if (data.Context is { } context)
            _pending.Remove(context);
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData data, CancellationToken ct = default)
    {
        SaveChangesFailed(data);
        return Task.CompletedTask;
    }

    async Task Capture(NewsDbContext db, CancellationToken ct)
    {
        var tags = await recorder.Tracked(db, ct);
        if (tags.Count > 0)
            _pending.AddOrUpdate(db, tags);
    }

    async Task Evict(DbContext? context)
    {
        if (context is null || !_pending.TryGetValue(context, out var tags))
            return;
        _pending.Remove(context);
        await recorder.Evict(tags);
    }
}

/// <summary>Evicts tagged responses from this instance's response cache.</summary>
internal interface ICacheEvictor
{
    Task EvictAsync(IReadOnlyCollection<string> tags);
}
