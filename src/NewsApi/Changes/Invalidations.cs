using System.Runtime.CompilerServices;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using NewsApi.Data;
using Npgsql;

namespace NewsApi.Changes;

/// <summary>
/// A committed change's invalidation, applied on this instance: the standby must replay the change before a public read
/// uses it again (<see cref="Standby.Require"/>), then the tagged answers go. Every instance applies every invalidation,
/// the writer's own included, after the commit: the writer's eviction inside the save can come before its commit.
/// </summary>
internal sealed class Invalidations(ICacheEvictor evictor, Standby standby)
{
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
    /// <summary>Called once the transaction that recorded <paramref name="tags"/> has committed.</summary>
    Task CommittedAsync(IReadOnlyCollection<string> tags);
}

/// <summary>
/// Tells the bus of a save's tags once its transaction has committed: at once for a save that committed itself, at
/// the commit of the transaction it ran in otherwise; a rollback drops them.
/// </summary>
internal sealed class AfterCommit(IInvalidationBus bus) : DbTransactionInterceptor
{
    readonly ConditionalWeakTable<DbContext, HashSet<string>> _waiting = new();

    public Task SavedAsync(DbContext db, IReadOnlyCollection<string> tags)
    {
        if (tags.Count == 0)
            return Task.CompletedTask;
        if (db.Database.CurrentTransaction is null)
            return bus.CommittedAsync(tags);
        lock (_waiting)
            _waiting.GetValue(db, _ => []).UnionWith(tags);
        return Task.CompletedTask;
    }

    public override async Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData data, CancellationToken ct = default)
    {
        if (Take(data.Context) is { } tags)
            await bus.CommittedAsync(tags);
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData data)
    {
        if (Take(data.Context) is { } tags)
            bus.CommittedAsync(tags).GetAwaiter().GetResult();
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
