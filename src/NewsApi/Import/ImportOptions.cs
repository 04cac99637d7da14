using Microsoft.Extensions.Options;

namespace NewsApi.Import;

/// <summary>Settings of the <c>Import</c> section: the limits of one import request and how it is written.</summary>
internal sealed class ImportOptions
{
    public const string Section = "Import";

    /// <summary>Largest item: one NDJSON line, one element of a JSON array, one ninjs item or one wire story.</summary>
    public int MaxItemBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest request body; a Content-Length above it is refused before anything is read.</summary>
    public long MaxRequestBytes { get; set; } = 200L * 1024 * 1024;

    /// <summary>Most items one request may carry.</summary>
    public int MaxItems { get; set; } = 50_000;

    /// <summary>Items written per transaction; results are streamed back after each batch.</summary>
    public int BatchSize { get; set; } = 250;

    /// <summary>Longest an import may run: past it, the batch in hand is written and the import stops, saying where to resume.</summary>
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long an Idempotency-Key and the result it replays are kept.</summary>
    public TimeSpan IdempotencyKeyLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The import route's body limit, which the plumbing puts on the request (and checks a Content-Length against).</summary>
    public static readonly Api.BodyLimit BodyLimit = new($"{Section}:{nameof(MaxRequestBytes)}",
        s => s.GetRequiredService<IOptions<ImportOptions>>().Value.MaxRequestBytes);

    /// <summary>
    /// How long a claimed Idempotency-Key holds without progress: a running import renews it after each batch, so only
    /// a claim left by a crashed or stalled run lapses, and a retry after it runs again.
    /// </summary>
    public TimeSpan IdempotencyLease { get; set; } = TimeSpan.FromMinutes(5);

    public static IServiceCollection Add(IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<ImportOptions>().Bind(config.GetSection(Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ImportOptions>, Validator>();
        return services;
    }

    internal sealed class Validator : IValidateOptions<ImportOptions>
    {
        public ValidateOptionsResult Validate(string? name, ImportOptions o)
        {
            var errors = new List<string>();
            if (o.MaxItemBytes < 1024)
                errors.Add($"{Section}:MaxItemBytes must be at least 1024; it is {o.MaxItemBytes}.");
            if (o.MaxRequestBytes < o.MaxItemBytes)
                errors.Add($"{Section}:MaxRequestBytes must be at least MaxItemBytes; it is {o.MaxRequestBytes}.");
            if (o.MaxItems < 1)
                errors.Add($"{Section}:MaxItems must be at least 1; it is {o.MaxItems}.");
            if (o.BatchSize is < 1 or > 5000)
                errors.Add($"{Section}:BatchSize must be from 1 to 5000; it is {o.BatchSize}.");
            if (o.MaxDuration <= TimeSpan.Zero)
                errors.Add($"{Section}:MaxDuration must be positive; it is {o.MaxDuration}.");
            if (o.IdempotencyKeyLifetime <= TimeSpan.Zero)
                errors.Add($"{Section}:IdempotencyKeyLifetime must be positive; it is {o.IdempotencyKeyLifetime}.");
            if (o.IdempotencyLease <= TimeSpan.Zero || o.IdempotencyLease > o.IdempotencyKeyLifetime)
                errors.Add($"{Section}:IdempotencyLease must be positive and at most IdempotencyKeyLifetime; it is {o.IdempotencyLease}.");
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
