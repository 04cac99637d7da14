using Microsoft.EntityFrameworkCore;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
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
    public const string TagChanged = "tag.changed";
    public const string AuthorChanged = "author.changed";

    /// <summary>A live article's notices changed (a correction, clarification, update or editor's note added or edited); sent beside article.updated.</summary>
    public const string ArticleCorrected = "article.corrected";

    public static readonly IReadOnlyList<string> All =
        [ArticlePublished, ArticleUpdated, ArticleUnpublished, ArticleKilled, TopicChanged, FeaturedListChanged, SectionChanged, TagChanged, AuthorChanged, ArticleCorrected];
}

/// <summary>
/// The EF path's trigger: every SaveChanges — editors' writes, imports and the scheduler alike, so none can forget —
/// has <see cref="ChangeRecorder"/> add, in the same transaction, the outbox events, cache tags and search queue entries the
/// change calls for, and render the public documents once the rows are written. A save outside a transaction that
/// has documents to render or sync rows to log gets one of its own, committed after them, so a reader never sees a change without its
/// documents or documents without their change. Once the transaction commits, this instance evicts the tags, and every
/// other instance hears of them (<see cref="AfterCommit"/>): an eviction before the commit would let a read re-cache the
/// version it replaces.
/// </summary>
internal sealed class ChangeCapture(ChangeRecorder recorder, AfterCommit afterCommit) : SaveChangesInterceptor
{
    sealed record Pending(ChangeRecorder.Outcome Outcome, IDbContextTransaction? Owned);

    // Per context, not AsyncLocal: a value set inside the async SavingChanges would not flow back out to SavedChanges.
    readonly ConditionalWeakTable<DbContext, Pending> _pending = new();

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
        await Complete(data.Context, ct);
        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData data, int result)
    {
        Complete(data.Context, default).GetAwaiter().GetResult();
        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData data) => SaveChangesFailedAsync(data).GetAwaiter().GetResult();

    public override async Task SaveChangesFailedAsync(DbContextErrorEventData data, CancellationToken ct = default)
    {
        if (data.Context is { } context && _pending.TryGetValue(context, out var pending))
        {
            _pending.Remove(context);
            if (pending.Owned is { } owned)
                await owned.DisposeAsync(); // rolls back
        }
    }

    async Task Capture(NewsDbContext db, CancellationToken ct)
    {
        var outcome = await recorder.Tracked(db, ct);
        if (outcome.Tags.Count == 0 && !outcome.Owes)
            return;
        var owned = outcome.Owes && db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        _pending.AddOrUpdate(db, new Pending(outcome, owned));
        if (outcome.Bodies.Count > 0)
            await ChangeRecorder.Unshare(db, outcome.Bodies, ct);
    }

    async Task Complete(DbContext? context, CancellationToken ct)
    {
        if (context is not NewsDbContext db || !_pending.TryGetValue(db, out var pending))
            return;
        _pending.Remove(db);
        await using (pending.Owned)
        {
            await recorder.Saved(db, pending.Outcome, ct);
            if (pending.Owned is { } owned)
                await owned.CommitAsync(ct);
        }
        await afterCommit.SavedAsync(db, pending.Outcome.Tags);
    }
}

/// <summary>Evicts tagged responses from this instance's response cache.</summary>
internal interface ICacheEvictor
{
    Task EvictAsync(IReadOnlyCollection<string> tags);
}
