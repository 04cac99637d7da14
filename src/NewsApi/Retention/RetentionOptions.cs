namespace NewsApi.Retention;

/// <summary>Settings of the <c>Retention</c> section: how long finished rows of each log are kept.</summary>
internal sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>Run the job in this instance (any number may: each batch skips rows another instance is deleting).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often old rows are looked for.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Rows deleted per statement, each its own short transaction, so pruning never holds locks for long.</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>Audit entries older than this are deleted.</summary>
    public TimeSpan AuditEntries { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Outbox events fanned out this long ago, once no delivery of theirs is left, are deleted.</summary>
    public TimeSpan OutboxEvents { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Succeeded or failed deliveries whose last attempt is older than this are deleted, with their attempts.</summary>
    public TimeSpan WebhookDeliveries { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Cache invalidations older than this are deleted: every instance applied them within a second or two.</summary>
    public TimeSpan CacheInvalidations { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long the sync API's change log is kept: a sync token older than this is refused (400, start over). Rows go an
    /// hour later than that, so a token just inside it still finds every row of the transactions it has to read.
    /// </summary>
    public TimeSpan SyncChanges { get; set; } = TimeSpan.FromDays(30);
}
