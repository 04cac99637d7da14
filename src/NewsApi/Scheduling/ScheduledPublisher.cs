using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using NewsApi.Api;
using NewsApi.Articles;
using NewsApi.Changes;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Scheduling;

/// <summary>Settings of the <c>Scheduler</c> section.</summary>
internal sealed class SchedulerOptions
{
    public const string Section = "Scheduler";

    /// <summary>How often due changes are looked for; a scheduled change happens at most this late.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    public bool Enabled { get; set; } = true;
}

/// <summary>
/// Makes time-driven changes happen with no request arriving: scheduled publishes, scheduled unpublishes,
/// embargo ends and breaking marks that expire. Everything due is read from the database (nothing is held in memory, so a restart loses
/// nothing), and each article is changed in its own transaction under <c>FOR UPDATE SKIP LOCKED</c>, so with any
/// number of instances on one database each change happens once, with one revision.
/// </summary>
internal sealed class ScheduledPublisher(IServiceScopeFactory scopes, TimeProvider clock, IOptions<SchedulerOptions> options, ILogger<ScheduledPublisher> logger)
    : PollingService(clock, logger)
{
    public const string Actor = "scheduler";
    const int Batch = 100;

    protected override bool Enabled => options.Value.Enabled;

    protected override TimeSpan Interval => options.Value.Interval;

    protected override (string Job, string Unit) Names => ("Scheduler", "due change(s)");

    protected override Task<int> RunAsync(CancellationToken ct) => RunDueAsync(ct);

    /// <summary>Makes every change that is due now and returns how many it made.</summary>
    public async Task<int> RunDueAsync(CancellationToken ct)
    {
        var done = 0;
        while (await RunOneAsync(ct))
            if (++done >= Batch * 10)
                break;
        await using var scope = scopes.CreateAsyncScope();
        return done + await FeaturedWindows.AnnounceAsync(scope.ServiceProvider.GetRequiredService<NewsDbContext>(), Clock.GetUtcNow(), ct);
    }

    /// <summary>The audit entry of a change the clock made: the scheduler is its actor, as a key's name is for a request.</summary>
    internal static AuditEntry Audit(DateTimeOffset at, string action, string target) => ChangeAudit.Entry(at, Actor, action, target);

    async Task<bool> RunOneAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        var writer = scope.ServiceProvider.GetRequiredService<ArticleWriter>();
        var now = Clock.GetUtcNow();

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var id = await NextDue(db.Database.GetDbConnection(), transaction.GetDbTransaction(), now, ct);
        if (id is null)
            return false;

        if (await writer.Due((await writer.Load(id.Value, ct))!, now, Actor, ct) is { } step)
            db.AuditEntries.Add(Audit(now, step.Action, ChangeAudit.Article(id.Value)));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    /// <summary>Locks one due article that no other instance has locked, or returns null when nothing is due.</summary>
    static async Task<Guid?> NextDue(DbConnection connection, DbTransaction transaction, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            SELECT id FROM articles
            WHERE (status = 'Scheduled' AND publish_at <= @now)
               OR (status = 'Published' AND unpublish_at <= @now)
               OR (embargo_until <= @now AND status <> 'Killed')
               OR (breaking_until <= @now AND status <> 'Killed')
            LIMIT 1
            FOR UPDATE SKIP LOCKED
            """;
        var parameter = command.CreateParameter();
        parameter.ParameterName = "now";
        parameter.Value = now;
        command.Parameters.Add(parameter);
        return await command.ExecuteScalarAsync(ct) as Guid?;
    }
}

internal static class SchedulerSetup
{
    public static IServiceCollection AddScheduler(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<SchedulerOptions>().Bind(config.GetSection(SchedulerOptions.Section))
            .Validate(o => o.Interval > TimeSpan.Zero, "Scheduler:Interval must be positive.").ValidateOnStart();
        services.AddSingleton<ScheduledPublisher>();
        services.AddHostedService(s => s.GetRequiredService<ScheduledPublisher>());
        return services;
    }
}
