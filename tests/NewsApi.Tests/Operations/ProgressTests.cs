using Microsoft.Extensions.Time.Testing;

namespace NewsApi.Tests.Operations;

public sealed class ProgressTests
{
    readonly FakeTimeProvider _clock = new();
    readonly List<string> _lines = [];

    Progress New(long? total) => new("import", total, _lines.Add, TimeSpan.FromSeconds(1), _clock);

    [Fact]
    public void Shows_count_rate_and_time_left_at_most_once_per_interval()
    {
        using var progress = New(total: 1000);

        progress.Advance(100);
        Assert.Empty(_lines);
        _clock.Advance(TimeSpan.FromSeconds(2));
        progress.Advance(100);
        progress.Advance(50);

        Assert.Equal(["import: 200/1,000 (20%), 100/s, 8.0s left"], _lines);
        _clock.Advance(TimeSpan.FromSeconds(1.5));
        progress.Advance(0);
        Assert.Equal("import: 250/1,000 (25%), 71.4/s, 11s left", _lines[^1]);
    }

    [Fact]
    public void Without_a_total_shows_count_and_rate_and_closes_with_a_summary_once()
    {
        var progress = New(total: null);
        _clock.Advance(TimeSpan.FromSeconds(90));
        progress.Advance(4500);

        progress.Complete();
        progress.Dispose();

        Assert.Equal(["import: 4,500, 50/s", "import: 4,500 done in 1m30s (50/s)"], _lines);
    }
}
