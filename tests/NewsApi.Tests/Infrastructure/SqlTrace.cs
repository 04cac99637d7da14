using System.Collections.Concurrent;
using System.Diagnostics;

namespace NewsApi.Tests.Infrastructure;

/// <summary>
/// The SQL commands the app sends while it answers the requests a test makes, as Npgsql's own tracing sees them (its
/// "Npgsql" activity source), so EF queries and raw commands on the context's connection count alike. The requests
/// run inside a trace of their own: HttpClient sends the current activity as traceparent and ASP.NET Core continues
/// it, so only the commands of that trace count. The scheduler, the outbox, the invalidation listener and other tests
/// run in traces of their own and never pollute the count.
/// </summary>
internal static class SqlTrace
{
    const string Npgsql = "Npgsql";
    const string AspNetCore = "Microsoft.AspNetCore";

    /// <summary>The text of every command sent while <paramref name="requests"/> ran, in the order they completed.</summary>
    public static async Task<IReadOnlyList<string>> Of(Func<Task> requests)
    {
        using var trace = new Activity("sql-trace");
        trace.SetIdFormat(ActivityIdFormat.W3C);
        trace.ActivityTraceFlags = ActivityTraceFlags.Recorded;
        trace.Start();
        var traceId = trace.TraceId;
        var sent = new ConcurrentQueue<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is Npgsql or AspNetCore,
            // Activities of other traces are not even created: the listener costs the rest of the process nothing.
            Sample = (ref ActivityCreationOptions<ActivityContext> o) =>
                o.Parent.TraceId == traceId ? ActivitySamplingResult.AllData : ActivitySamplingResult.None,
            ActivityStopped = activity =>
            {
                // A command carries its text; Npgsql's other activities (a physical connection opening) do not.
                if (activity.TraceId == traceId && activity.Source.Name == Npgsql
                    && (activity.GetTagItem("db.statement") ?? activity.GetTagItem("db.query.text")) is string sql)
                    sent.Enqueue(sql);
            },
        };
        ActivitySource.AddActivityListener(listener);
        try
        {
            await requests();
        }
        finally
        {
            trace.Stop();
        }
        return sent.ToList();
    }
}
