namespace NewsApi.Webhooks;

/// <summary>Settings of the <c>Webhooks</c> section.</summary>
internal sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>Run the dispatcher in this instance (any number may: each delivery is sent by one at a time).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often new events and due retries are looked for.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a receiver has to answer before the attempt counts as failed.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts before a delivery is given up as failed (and the webhook's next delivery may go).</summary>
    public int MaxAttempts { get; set; } = 12;

    /// <summary>Wait after the first failed attempt; it doubles with each further one, up to <see cref="MaxDelay"/>, ±50% jitter.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How many webhooks this instance sends to at once.</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>
    /// Allow URLs on loopback, private, link-local and other internal addresses. Off by default: a webhook URL must
    /// not turn the service into a way to reach the internal network (SSRF). Tests and local development turn it on.
    /// </summary>
    public bool AllowPrivateTargets { get; set; }
}
