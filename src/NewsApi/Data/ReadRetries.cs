namespace NewsApi.Data;

/// <summary>
/// Runs a read again when the database could not be reached, a few times with growing pauses, so a dropped connection
/// or a restart of a second is not the caller's failure. Only for work that can be repeated without effect (reads
/// outside a transaction): a write that failed on its way back might have been stored, and must not run twice.
/// </summary>
/// <remarks>
/// EF's own retrying execution strategy is not used: it refuses the user-initiated transactions every write here opens,
/// and it does not cover the raw Npgsql reads.
/// </remarks>
internal sealed class ReadRetries(DatabaseOptions options)
{
    /// <summary>The first pause; each next one doubles, up to <see cref="DatabaseOptions.MaxRetryDelay"/>.</summary>
    static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>Runs <paramref name="read"/>; <paramref name="retrying"/> says whether a failed attempt may be run again.</summary>
    public async Task RunAsync(Func<Task> read, Func<bool> retrying, CancellationToken ct)
    {
        var delay = FirstDelay;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await read();
                return;
            }
            catch (Exception e) when (attempt < options.Retries && DatabaseFailure.IsUnavailable(e) && !ct.IsCancellationRequested && retrying())
            {
                DatabaseFailure.ForgetConnections();
                // Wall-clock time, not the app's TimeProvider: the pause waits for a server, not for the news clock.
                await Task.Delay(delay < options.MaxRetryDelay ? delay : options.MaxRetryDelay, ct);
                delay *= 2;
            }
        }
    }
}
