using Microsoft.EntityFrameworkCore;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Import.ImportTestData;

namespace NewsApi.Tests.Import;

/// <summary>The service started a second time with an import duration too short for any import, on the same database.</summary>
public sealed class ShortImportApp : IAsyncLifetime
{
    public ApiFactory? Factory { get; private set; }

    public Task InitializeAsync() => Task.CompletedTask;

    public ApiFactory Start(ApiFixture fixture)
    {
        if (Factory is null)
        {
            Factory = new ApiFactory(fixture.ConnectionString, fixture.Clock, settings: new()
            {
                ["Import:MaxDuration"] = "00:00:00.001", ["Import:BatchSize"] = "2",
            });
            Factory.StartServer();
        }
        return Factory;
    }

    public async Task DisposeAsync()
    {
        if (Factory is not null)
            await Factory.DisposeAsync();
    }
}

public sealed class ImportDurationTests(ApiFixture fixture, ShortImportApp app) : ApiTest(fixture), IClassFixture<ShortImportApp>
{
    async Task<HttpClient> Editor()
    {
        var client = app.Start(Fixture).CreateHttpClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", await Given.Key(Role.Editor));
        return client;
    }

    static readonly string Five = Ndjson(Enumerable.Range(1, 5).Select(i => Story($"story-{i}", title: $"第{i}篇")).ToArray());

    [Fact]
    public async Task Past_max_duration_the_import_keeps_the_batch_in_hand_stops_and_says_where_to_resume()
    {
        using var editor = await Editor();

        var (_, results, summary) = await editor.Import(Body(Five));

        // Out of time after the first item or two (how far 1 ms goes depends on the machine): the batch in hand is
        // written, nothing after it is read, and resumeAt names the first item left.
        var written = results.Count;
        Assert.InRange(written, 1, 2);
        Assert.All(results, r => Assert.Equal("created", r.Outcome()));
        Assert.Contains("Import:MaxDuration", (string?)summary!["stopped"]);
        Assert.Equal(written + 1, (int?)summary["resumeAt"]);
        Assert.True((bool)summary["committed"]!);
        await using var db = Fixture.NewDbContext();
        Assert.Equal(Enumerable.Range(1, written).Select(i => $"story-{i}"), (await db.Articles.Select(a => a.ExternalId!).ToListAsync()).Order());
    }

    [Fact]
    public async Task Resuming_from_resume_at_each_time_finishes_the_file_with_every_item_once()
    {
        using var editor = await Editor();
        var lines = Five.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var from = 1;
        for (var round = 0; round < 10 && from <= lines.Length; round++)
        {
            var (_, _, summary) = await editor.Import(Body(string.Concat(lines[(from - 1)..].Select(l => l + "\n"))));
            from += (int?)summary!["resumeAt"] is { } resume ? resume - 1 : lines.Length;
        }

        await using var db = Fixture.NewDbContext();
        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"story-{i}"), (await db.Articles.Select(a => a.ExternalId!).ToListAsync()).Order());
    }

    [Fact]
    public async Task An_atomic_import_out_of_time_keeps_nothing_and_gives_no_resume_point()
    {
        using var editor = await Editor();

        var (_, _, summary) = await editor.Import(Body(Five), "?atomic=true");

        Assert.Contains("Import:MaxDuration", (string?)summary!["stopped"]);
        Assert.Null(summary["resumeAt"]);
        Assert.False((bool)summary["committed"]!);
        await using var db = Fixture.NewDbContext();
        Assert.Equal(0, await db.Articles.CountAsync());
    }
}
