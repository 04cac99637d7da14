using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NewsApi.Scheduling;
using NewsApi.Tests.Infrastructure;

namespace NewsApi.Tests.Reads;

/// <summary>The SQL counter the one-statement tests rely on, proved against reads whose statements are known today.</summary>
public sealed class SqlTraceTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task A_read_sends_its_own_statements_and_a_cached_repeat_sends_none()
    {
        await Given.Tag("lanterns", "燈會");
        // Any host looks the next scheduled change up again after each change it learns of, and the shared host learns
        // of the one just made within a second, at a moment no test controls. A host started after the data has nothing
        // left to learn, so once a first request has looked it up, a read's count is the read's own.
        await using var host = new ApiFactory(Fixture.ConnectionString, Clock, settings: new() { ["Scheduler:Enabled"] = "false" });
        host.StartServer();
        using var client = host.CreateHttpClient();
        await client.GetAsync("/api/v1/sections");

        var first = await SqlSentBy(() => client.GetAsync("/api/v1/tags"));
        var again = await SqlSentBy(() => client.GetAsync("/api/v1/tags"));

        Assert.Contains("FROM tags", Assert.Single(first));
        Assert.Empty(again);
    }

    [Fact]
    public async Task Raw_commands_on_the_contexts_connection_count_and_work_outside_the_trace_does_not()
    {
        var scheduler = Fixture.Factory.Services.GetRequiredService<ScheduledPublisher>();

        var sql = await SqlSentBy(async () =>
        {
            // The scheduler looks for due articles with a raw command on the context's connection, as a raw read would.
            await scheduler.RunDueAsync(CancellationToken.None);
            Task elsewhere;
            using (ExecutionContext.SuppressFlow())
                elsewhere = Task.Run(async () =>
                {
                    await using var db = Fixture.NewDbContext();
                    await db.Tags.CountAsync();
                });
            await elsewhere;
        });

        // Its claims (due articles, featured entries whose window passed) are counted; the count of tags elsewhere is not.
        Assert.Contains(sql, s => s.Contains("FROM articles", StringComparison.Ordinal) && s.Contains("FOR UPDATE SKIP LOCKED", StringComparison.Ordinal));
        Assert.DoesNotContain(sql, s => s.Contains("tags", StringComparison.Ordinal));
    }
}
