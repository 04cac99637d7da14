using System.Diagnostics;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace NewsApi.Data;

/// <summary>
/// The PostgreSQL standby public reads may use (<c>ConnectionStrings:Replica</c>), and whether it may be used now.
/// A read goes to it only once it has replayed every change this instance has been told of: each invalidation brings
/// the primary's WAL position after its commit (<see cref="Require"/>), and a read that finds the standby behind waits
/// for it up to <c>Database:ReplicaWait</c>, then reads the primary. So an answer rendered from the standby, and cached,
/// is never older than a change whose invalidation has already evicted the one before it. A standby that cannot be
/// reached is left alone for a second, and the reads go to the primary meanwhile. A primary that cannot be reached is
/// left alone for a second too, and the reads go to the standby however far behind it is: an answer then, not a 503,
/// but one that is never kept (<see cref="ReadRoute.Behind"/>), so no cache holds it past the change it lacks.
/// </summary>
internal sealed class Standby(IOptions<DatabaseOptions> options, ILogger<Standby> logger)
{
    /// <summary>How long a standby that failed is left before it is tried again.</summary>
    static readonly TimeSpan DownFor = TimeSpan.FromSeconds(1);

    /// <summary>Set when ConnectionStrings:Replica is: the string every connection to the standby opens with.</summary>
    public string? ConnectionString { get; private set; }

    public bool Configured => ConnectionString is not null;

    ulong _required;
    ulong _replayed;
    long _downUntil;
    long _primaryDownUntil;
    Task<bool>? _probe;
    readonly Lock _gate = new();

    /// <summary>The primary's connection string, as the context opens it.</summary>
    public string Primary { get; private set; } = "";

    internal void Configure(string primary, string? replica)
    {
        Primary = primary;
        ConnectionString = replica;
    }

    /// <summary>The WAL position of the newest change this instance knows of: reads from the standby wait for it.</summary>
    public void Require(ulong lsn)
    {
        var seen = Volatile.Read(ref _required);
        while (lsn > seen && Interlocked.CompareExchange(ref _required, lsn, seen) != seen)
            seen = Volatile.Read(ref _required);
    }

    /// <summary>Whether the standby is up, as last seen (for readiness).</summary>
    public bool Up => Configured && Stopwatch.GetTimestamp() >= Volatile.Read(ref _downUntil);

    public void MarkDown()
    {
        if (Up)
            logger.LogWarning("The standby cannot be reached: public reads go to the primary for now.");
        Volatile.Write(ref _downUntil, Later());
    }

    /// <summary>Whether the primary is up, as last seen: a public read is not sent to a primary that just failed.</summary>
    bool PrimaryUp => Stopwatch.GetTimestamp() >= Volatile.Read(ref _primaryDownUntil);

    public void MarkPrimaryDown()
    {
        if (Configured && PrimaryUp)
            logger.LogWarning("The primary cannot be reached: public reads go to the standby for now, and are not cached while it may be behind.");
        Volatile.Write(ref _primaryDownUntil, Later());
    }

    public void MarkPrimaryUp() => Volatile.Write(ref _primaryDownUntil, 0);

    static long Later() => Stopwatch.GetTimestamp() + (long)(DownFor.TotalSeconds * Stopwatch.Frequency);

    /// <summary>Where a public read goes now.</summary>
    public enum Choice { Primary, Standby, StandbyBehind }

    /// <summary>
    /// The standby when it is up and caught up with every change known here (waiting for it up to Database:ReplicaWait);
    /// when it is not caught up, the primary, or the standby as it is while the primary cannot be reached.
    /// </summary>
    public async ValueTask<Choice> ChooseAsync(CancellationToken ct)
    {
        if (!Up)
            return Choice.Primary;
        var required = Volatile.Read(ref _required);
        if (Volatile.Read(ref _replayed) >= required)
            return Choice.Standby;
        var deadline = Stopwatch.GetTimestamp() + (long)(options.Value.ReplicaWait.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            if (!await Probe(ct))
                return Choice.Primary;
            if (Volatile.Read(ref _replayed) >= required)
                return Choice.Standby;
            // Waiting for a standby that has nothing more to replay from a primary that is gone helps no one.
            if (!PrimaryUp)
                return Choice.StandbyBehind;
            if (Stopwatch.GetTimestamp() >= deadline)
                return PrimaryUp ? Choice.Primary : Choice.StandbyBehind;
            await Task.Delay(10, ct);
        }
    }

    /// <summary>Whether the standby answers now (and how far it has replayed).</summary>
    public Task<bool> ReachableAsync(CancellationToken ct) => Configured ? Probe(ct) : Task.FromResult(false);

    /// <summary>Reads how far the standby has replayed; one probe at a time, shared by every read waiting.</summary>
    Task<bool> Probe(CancellationToken ct)
    {
        lock (_gate)
        {
            if (_probe is { IsCompleted: false } running)
                return running;
            return _probe = ReadReplayed();
        }
    }

    async Task<bool> ReadReplayed()
    {
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()", connection);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            // A server not in recovery (promoted, or a primary named as the replica) is as new as any write it takes.
            var replayed = !reader.GetBoolean(0) ? ulong.MaxValue : reader.IsDBNull(1) ? 0 : (ulong)reader.GetFieldValue<NpgsqlLogSequenceNumber>(1);
            var seen = Volatile.Read(ref _replayed);
            while (replayed > seen && Interlocked.CompareExchange(ref _replayed, replayed, seen) != seen)
                seen = Volatile.Read(ref _replayed);
            if (replayed < seen)
                Volatile.Write(ref _replayed, replayed); // a standby rebuilt behind what was seen
            return true;
        }
        catch (Exception e) when (DatabaseFailure.IsUnavailable(e))
        {
            MarkDown();
            return false;
        }
    }

    /// <summary>The primary's WAL position now: after a commit, at or past that commit's record.</summary>
    public static async Task<ulong> PrimaryPosition(NpgsqlConnection primary, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT pg_current_wal_lsn()", primary);
        return (ulong)(NpgsqlLogSequenceNumber)(await command.ExecuteScalarAsync(ct))!;
    }
}

/// <summary>
/// Which server a connection opened in this flow goes to: the standby only within <see cref="PublicRead"/> (an
/// anonymous public read) and only when <see cref="Standby.ChooseAsync"/> says so at the moment it opens, so a read
/// served from a cache never waits for the standby. Everything else — writes, keyed reads, background work — the primary.
/// </summary>
internal static class ReadRoute
{
    /// <summary>One public read; the connections it opens note on it what they read from.</summary>
    sealed class Read
    {
        public volatile bool Behind;
    }

    static readonly AsyncLocal<Read?> Current = new();

    public static bool StandbyAllowed => Current.Value is not null;

    /// <summary>Marks the rest of the calling flow as an anonymous public read.</summary>
    public static void PublicRead() => Current.Value ??= new Read();

    /// <summary>
    /// Whether this public read read anything from a standby that had not replayed every change known here (the primary
    /// was down): its answer may be older than an invalidation already applied, and must not be kept.
    /// </summary>
    public static bool Behind => Current.Value?.Behind ?? false;

    internal static void ReadBehind()
    {
        if (Current.Value is { } read)
            read.Behind = true;
    }
}

/// <summary>Points each connection the context opens at the primary or the standby, per <see cref="ReadRoute"/>.</summary>
internal sealed class StandbyRouting(Standby standby, string primary) : Microsoft.EntityFrameworkCore.Diagnostics.DbConnectionInterceptor
{
    public override async ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult> ConnectionOpeningAsync(System.Data.Common.DbConnection connection,
        Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEventData data, Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult result, CancellationToken ct = default)
    {
        var choice = ReadRoute.StandbyAllowed ? await standby.ChooseAsync(ct) : Standby.Choice.Primary;
        if (choice == Standby.Choice.StandbyBehind)
            ReadRoute.ReadBehind();
        var target = choice == Standby.Choice.Primary ? primary : standby.ConnectionString!;
        if (!string.Equals(connection.ConnectionString, target, StringComparison.Ordinal))
            connection.ConnectionString = target;
        return result;
    }

    public override Task ConnectionOpenedAsync(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData data, CancellationToken ct = default)
    {
        if (string.Equals(connection.ConnectionString, primary, StringComparison.Ordinal))
            standby.MarkPrimaryUp();
        return Task.CompletedTask;
    }

    public override Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult ConnectionOpening(System.Data.Common.DbConnection connection,
        Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEventData data, Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult result)
    {
        // Synchronous opens are the service's own start-up and background work: the primary.
        if (!string.Equals(connection.ConnectionString, primary, StringComparison.Ordinal))
            connection.ConnectionString = primary;
        return result;
    }

    public override Task ConnectionFailedAsync(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionErrorEventData data, CancellationToken ct = default)
    {
        Failed(connection, data);
        return Task.CompletedTask;
    }

    public override void ConnectionFailed(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionErrorEventData data) =>
        Failed(connection, data);

    // A read that failed on the primary is run again (Data/ReadRetries): the next attempt goes to the standby.
    void Failed(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionErrorEventData data)
    {
        if (!DatabaseFailure.IsUnavailable(data.Exception))
            return;
        if (string.Equals(connection.ConnectionString, standby.ConnectionString, StringComparison.Ordinal))
            standby.MarkDown();
        else if (string.Equals(connection.ConnectionString, primary, StringComparison.Ordinal))
            standby.MarkPrimaryDown();
    }
}
