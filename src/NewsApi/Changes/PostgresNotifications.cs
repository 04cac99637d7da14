using System.Threading.Channels;
using NewsApi.Data;
using Npgsql;

namespace NewsApi.Changes;

/// <summary>
/// Without Redis, invalidations travel by PostgreSQL's LISTEN/NOTIFY: a trigger on <c>cache_invalidations</c> notifies
/// the row's id in the writing transaction, and PostgreSQL delivers it to every listening instance when, and only when,
/// that transaction commits — no message is sent for a rollback, and none is lost to a writer that dies after its
/// commit. Each instance listens on one connection of its own to the primary; one that lost it cannot know what it
/// missed, so on every (re)connection it evicts everything before listening on.
/// </summary>
internal sealed class PostgresNotifications(Standby servers, Invalidations invalidations, ILogger<PostgresNotifications> logger)
    : BackgroundService, IInvalidationBus
{
    public const string ChannelName = "newsapi_invalidations";

    // The trigger has already notified: the commit delivers it.
    public Task CommittedAsync(IReadOnlyCollection<string> tags, ulong? position) => Task.CompletedTask;

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var settings = new NpgsqlConnectionStringBuilder(servers.Primary)
        {
            // Its own connection, outside the pool, so LISTEN stays; a keepalive notices a dead peer while waiting.
            Pooling = false, KeepAlive = 5, Multiplexing = false,
        };
        var failures = 0;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(settings.ConnectionString, stopping);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                if (failures++ == 0)
                    logger.LogWarning("Lost the invalidation channel ({Message}); reconnecting.", e.GetBaseException().Message);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 100 * failures)), stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }
        }
    }

    async Task ListenAsync(string connectionString, CancellationToken stopping)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(stopping);
        var ids = System.Threading.Channels.Channel.CreateUnbounded<long>();
        connection.Notification += (_, n) =>
        {
            if (long.TryParse(n.Payload, System.Globalization.CultureInfo.InvariantCulture, out var id))
                ids.Writer.TryWrite(id);
        };
        await using (var listen = new NpgsqlCommand($"LISTEN {ChannelName}", connection))
            await listen.ExecuteNonQueryAsync(stopping);
        // Whatever was committed before this point may have been missed.
        await invalidations.ApplyAsync([CacheTags.All], await invalidations.PositionAsync(connection, stopping));
        while (true)
        {
            await connection.WaitAsync(stopping);
            var batch = new List<long>();
            while (ids.Reader.TryRead(out var id))
                batch.Add(id);
            if (batch.Count == 0)
                continue;
            // This instance's own changes were applied at their commit.
            await using var read = new NpgsqlCommand("SELECT tags FROM cache_invalidations WHERE id = ANY($1) AND origin IS DISTINCT FROM $2", connection)
            {
                Parameters = { new NpgsqlParameter { Value = batch.ToArray() }, new NpgsqlParameter { Value = invalidations.Instance } },
            };
            var tags = new HashSet<string>();
            await using (var reader = await read.ExecuteReaderAsync(stopping))
                while (await reader.ReadAsync(stopping))
                    tags.UnionWith(reader.GetFieldValue<string[]>(0));
            if (tags.Count == 0)
                continue;
            // Read after the commits were delivered: at or past each of them.
            await invalidations.ApplyAsync(tags, await invalidations.PositionAsync(connection, stopping));
        }
    }
}
