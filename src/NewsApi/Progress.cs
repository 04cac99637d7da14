using System.Globalization;

namespace NewsApi;

/// <summary>
/// Progress of long work (data generators, benchmark runners, command-line imports) as one line each time:
/// count, rate and time left, e.g. <c>import: 12,000/50,000 (24%), 1,850/s, 21s left</c>, then a closing line
/// <c>import: 50,000 done in 27s (1,851/s)</c>. Thread-safe; prints at most once per interval, and to stderr by
/// default so that stdout stays data.
/// <code>
/// using var progress = new Progress("import", total: lines.Count);
/// foreach (var line in lines) { Import(line); progress.Advance(); }
/// </code>
/// </summary>
public sealed class Progress : IDisposable
{
    readonly string _label;
    readonly long? _total;
    readonly Action<string> _write;
    readonly TimeSpan _interval;
    readonly TimeProvider _clock;
    readonly long _started;
    long _done;
    long _lastWritten;
    int _finished;

    /// <param name="label">What is being done, shown first on every line.</param>
    /// <param name="total">How many items there will be, when known; without it there is no percentage or time left.</param>
    /// <param name="write">Where lines go; default standard error.</param>
    /// <param name="interval">The least time between two lines; default one second.</param>
    /// <param name="clock">For tests; default the system clock.</param>
    public Progress(string label, long? total = null, Action<string>? write = null, TimeSpan? interval = null, TimeProvider? clock = null)
    {
        _label = label;
        _total = total;
        _write = write ?? Console.Error.WriteLine;
        _interval = interval ?? TimeSpan.FromSeconds(1);
        _clock = clock ?? TimeProvider.System;
        _started = _lastWritten = _clock.GetTimestamp();
    }

    /// <summary>Items done so far.</summary>
    public long Done => Interlocked.Read(ref _done);

    public TimeSpan Elapsed => _clock.GetElapsedTime(_started);

    /// <summary>Counts <paramref name="count"/> more items done, and prints a line if the interval has passed.</summary>
    public void Advance(long count = 1)
    {
        Interlocked.Add(ref _done, count);
        var last = Interlocked.Read(ref _lastWritten);
        if (_clock.GetElapsedTime(last) < _interval || Interlocked.CompareExchange(ref _lastWritten, _clock.GetTimestamp(), last) != last)
            return;
        _write(Line());
    }

    /// <summary>The current state as one line: count (of total), rate, time left.</summary>
    public string Line()
    {
        var done = Done;
        var seconds = Elapsed.TotalSeconds;
        var rate = seconds > 0 ? done / seconds : 0;
        var line = _total is { } total and > 0
            ? $"{_label}: {N(done)}/{N(total)} ({done * 100 / total}%), {N(rate)}/s"
            : $"{_label}: {N(done)}, {N(rate)}/s";
        if (_total is { } all && rate > 0 && done < all)
            line += $", {Duration(TimeSpan.FromSeconds((all - done) / rate))} left";
        else if (_total is not null && done < _total)
            line += ", time left unknown";
        return line;
    }

    /// <summary>Prints the closing line (once): how many, how long, how fast.</summary>
    public void Complete()
    {
        if (Interlocked.Exchange(ref _finished, 1) == 1)
            return;
        var seconds = Elapsed.TotalSeconds;
        _write($"{_label}: {N(Done)} done in {Duration(Elapsed)} ({N(seconds > 0 ? Done / seconds : 0)}/s)");
    }

    public void Dispose() => Complete();

    static string N(double value) => value.ToString(value >= 100 || value == Math.Floor(value) ? "N0" : "N1", CultureInfo.InvariantCulture);

    static string Duration(TimeSpan span) => span.TotalSeconds < 60
        ? $"{span.TotalSeconds.ToString(span.TotalSeconds < 10 ? "0.0" : "0", CultureInfo.InvariantCulture)}s"
        : span.TotalHours < 1 ? $"{(int)span.TotalMinutes}m{span.Seconds:00}s" : $"{(int)span.TotalHours}h{span.Minutes:00}m";
}
