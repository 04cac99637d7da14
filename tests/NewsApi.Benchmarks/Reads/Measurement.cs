namespace NewsApi.Benchmarks.Reads;

/// <summary>
/// One load run: throughput, latency percentiles in milliseconds, and the CPU milliseconds a request cost the server
/// (the service, or nginx), PostgreSQL and the load generator (wrk or pgbench, with this process).
/// </summary>
internal sealed record Measurement(
    string Read, string How, double Rate, double P50, double P99, long Requests, long Errors,
    double ServerMs, double PostgresMs, double ClientMs);

/// <summary>What a load generator reports of one run, before the CPU is added.</summary>
internal sealed record Load(double Rate, double P50, double P99, long Requests, long Errors);
