namespace NewsApi.Scheduling;

/// <summary>
/// A background job that runs every <see cref="Interval"/> on the content clock until the service stops. A failed
/// run is logged and tried again at the next turn, so one bad row never stops the job.
/// </summary>
internal abstract class PollingService(TimeProvider clock, ILogger logger) : BackgroundService
{
    /// <summary>The content clock the job runs by, for its own notion of now too.</summary>
    protected TimeProvider Clock { get; } = clock;

    protected abstract bool Enabled { get; }

    protected abstract TimeSpan Interval { get; }

    /// <summary>How the log names the job and what it counts, e.g. ("Scheduler", "due change(s)").</summary>
    protected abstract (string Job, string Unit) Names { get; }

    /// <summary>One turn: does what is due and returns how much it did.</summary>
    protected abstract Task<int> RunAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        if (!Enabled)
            return;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var done = await RunAsync(stopping);
                if (done > 0)
                    logger.LogInformation("{Job} made {Count} {Unit}", Names.Job, done, Names.Unit);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                logger.LogError(e, "{Job} run failed; trying again in {Interval}", Names.Job, Interval);
            }
            try
            {
                await Task.Delay(Interval, Clock, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
