using System.Text.Json;
using Microsoft.Extensions.Options;
using NewsApi.Api.Caching;
using StackExchange.Redis;

namespace NewsApi.Changes;

/// <summary>
/// With Redis, invalidations travel by Redis pub/sub: the writer publishes a change's tags, with the primary's WAL
/// position after its commit, once it has committed (and applied them itself); every other instance applies them on arrival. Pub/sub
/// delivers at most once, so two things cover what it can lose: a subscriber that reconnects evicts everything, and
/// the invalidation table is still read every <c>Caching:InvalidationPoll</c> (<see cref="InvalidationListener"/>) for
/// the change whose writer died between its commit and its publish, or could not reach Redis.
/// </summary>
internal sealed class RedisInvalidations(IConnectionMultiplexer redis, IOptions<RedisOptions> options, Invalidations invalidations,
    ILogger<RedisInvalidations> logger) : BackgroundService, IInvalidationBus
{
    /// <summary>A committed change's tags, the primary's WAL position after it, and the instance that made it.</summary>
    sealed record Message(string[] Tags, ulong Position, Guid Origin);

    RedisChannel Channel => RedisChannel.Literal(options.Value.InstanceName + "invalidations");

    public async Task CommittedAsync(IReadOnlyCollection<string> tags, ulong? position)
    {
        if (position is not { } known)
            return; // without it the others could re-cache from a standby behind the change: the table read tells them
        try
        {
            await redis.GetSubscriber().PublishAsync(Channel, JsonSerializer.Serialize(new Message([.. tags], known, invalidations.Instance)));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // The write stands; the table read catches the other instances up.
            logger.LogWarning("Could not publish an invalidation ({Message}); instances apply it from the table within {Poll}.",
                e.Message, "Caching:InvalidationPoll");
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        redis.ConnectionRestored += async (_, e) =>
        {
            if (e.ConnectionType != ConnectionType.Subscription)
                return;
            try
            {
                await invalidations.ApplyAsync([CacheTags.All], await invalidations.PositionAsync(null, CancellationToken.None));
            }
            catch (Exception failure) when (failure is Npgsql.NpgsqlException)
            {
                logger.LogWarning("Could not evict after Redis reconnected ({Message}).", failure.Message);
            }
        };
        // Redis may be down when the service starts: it starts anyway, and subscribes once Redis answers (the client
        // then keeps the subscription across reconnections).
        ChannelMessageQueue? queue = null;
        while (queue is null && !stopping.IsCancellationRequested)
        {
            try
            {
                queue = await redis.GetSubscriber().SubscribeAsync(Channel);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        if (queue is null)
            return;
        queue.OnMessage(async delivered =>
        {
            // This instance's own changes were applied at their commit.
            if (JsonSerializer.Deserialize<Message>((string)delivered.Message!) is { } message && message.Origin != invalidations.Instance)
                await invalidations.ApplyAsync(message.Tags, message.Position);
        });
        await Task.Delay(Timeout.Infinite, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        try
        {
            await queue.UnsubscribeAsync();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
        }
    }
}
