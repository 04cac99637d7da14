using System.Runtime.CompilerServices;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using NewsApi.Data;
using NewsApi.Data.Entities;
using Npgsql;

namespace NewsApi.Changes;

/// <summary>
/// A committed change's invalidation, applied on this instance: the standby must replay the change before a public read
/// uses it again (<see cref="Standby.Require"/>), then the tagged answers go. Every instance applies every invalidation
/// once, after the commit: the writer at its commit (<see cref="AfterCommit"/>), the others when it reaches them. Each
/// row and message carries its writer (<see cref="Instance"/>), so the writer does not evict again when its own comes
/// back, which would throw away what was read since its commit: one more miss after every write.
/// </summary>
internal sealed class Invalidations(ICacheEvictor evictor, Standby standby, TimeProvider clock)
{
    /// <summary>This instance, as its invalidations name their origin.</summary>
    public Guid Instance { get; } = Guid.NewGuid();

    /// <summary>The row that records a change's tags for every instance, in the change's own transaction.</summary>
    public CacheInvalidation Row(IEnumerable<string> tags) => new() { Tags = tags.Order().ToList(), At = clock.GetUtcNow(), Origin = Instance };

    public Task ApplyAsync(IReadOnlyCollection<string> tags, ulong position)
    {
        standby.Require(position);
        return evictor.EvictAsync(tags);
    }

    /// <summary>The primary's WAL position now (at or past every commit made so far), or 0 when no standby needs it.</summary>
    public async Task<ulong> PositionAsync(NpgsqlConnection? open, CancellationToken ct)
    {
        if (!standby.Configured)
            return 0;
        if (open is not null)
            return await Standby.PrimaryPosition(open, ct);
        await using var connection = new NpgsqlConnection(standby.Primary);
        await connection.OpenAsync(ct);
        return await Standby.PrimaryPosition(connection, ct);
    }
}

/// <summary>How the instances hear of each other's committed changes.</summary>
internal interface IInvalidationBus
{
    /// <summary>
    /// Called once the transaction that recorded <paramref name="tags"/> has committed, with the primary's WAL position
    /// after it (0 when no standby needs it, or it could not be read), and after this instance has applied them.
    /// </summary>
    Task CommittedAsync(IReadOnlyCollection<string> tags, ulong? position);
}

/// <summary>
/// Applies a save's tags here and tells the bus of them once its transaction has committed: at once for a save that
/// committed itself, at the commit of the transaction it ran in otherwise; a rollback drops them.
/// </summary>
internal sealed class AfterCommit(IInvalidationBus bus, Invalidations invalidations, ILogger<AfterCommit> logger) : DbTransactionInterceptor
{
    readonly ConditionalWeakTable<DbContext, HashSet<string>> _waiting = new();

    /// <summary>A change to <paramref name="tags"/> has committed: applied on this instance, then told to the others.</summary>
    public async Task CommittedAsync(IReadOnlyCollection<string> tags)
    {
        ulong? position = null;
        try
        {
            position = await invalidations.PositionAsync(null, CancellationToken.None);
        }
        catch (Exception e) when (DatabaseFailure.IsUnavailable(e))
        {
            // Committed, then the primary went: the standby has what it has; the others read the table when it is back.
            logger.LogWarning("Could not read the primary's WAL position after a commit ({Message}).", e.GetBaseException().Message);
        }
        await invalidations.ApplyAsync(tags, position ?? 0);
        await bus.CommittedAsync(tags, position);
    }

    public Task SavedAsync(DbContext db, IReadOnlyCollection<string> tags)
    {
        if (tags.Count == 0)
            return Task.CompletedTask;
        if (db.Database.CurrentTransaction is null)
            return CommittedAsync(tags);
        lock (_waiting)
            _waiting.GetValue(db, _ => []).UnionWith(tags);
        return Task.CompletedTask;
    }

    public override async Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData data, CancellationToken ct = default)
    {
        if (Take(data.Context) is { } tags)
            await CommittedAsync(tags);
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData data)
    {
        if (Take(data.Context) is { } tags)
            CommittedAsync(tags).GetAwaiter().GetResult();
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData data) => Take(data.Context);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData data, CancellationToken ct = default)
    {
        Take(data.Context);
        return Task.CompletedTask;
    }

    HashSet<string>? Take(DbContext? db)
    {
        if (db is null)
            return null;
        lock (_waiting)
        {
            if (!_waiting.TryGetValue(db, out var tags))
                return null;
            _waiting.Remove(db);
            return tags;
        }
    }
}
