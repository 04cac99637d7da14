using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NewsApi.Data;

namespace NewsApi.Tests.Infrastructure;

/// <summary>One database and one running app for the whole test run; the data is reset before every test.</summary>
public sealed class ApiFixture : IAsyncLifetime
{
    /// <summary>Tests start at this instant unless they move the clock.</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    TestDatabase? _database;
    string[] _tables = [];

    public ApiFactory Factory { get; private set; } = null!;
    public FakeTimeProvider Clock { get; } = new(Now);
    public string ConnectionString => _database!.ConnectionString;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.StartAsync();
        Factory = new ApiFactory(_database.ConnectionString, Clock);
        Factory.StartServer(); // runs Program: migrations are applied once, here
        await using var db = NewDbContext();
        _tables = (await db.Database.SqlQueryRaw<string>(
                "SELECT quote_ident(tablename) AS \"Value\" FROM pg_tables WHERE schemaname = 'public' AND tablename <> '__EFMigrationsHistory'")
            .ToListAsync()).ToArray();
    }

    public HttpClient CreateClient() => Factory.CreateHttpClient();

    /// <summary>
    /// A context on the test database that records changes as the app's own does (outbox events, cache
    /// invalidations), so data a test puts in place is never hidden behind a cached response.
    /// </summary>
    internal NewsDbContext NewDbContext() =>
        new(new DbContextOptionsBuilder<NewsDbContext>().UseNpgsql(ConnectionString).UseSnakeCaseNamingConvention()
            .AddInterceptors(Factory.Services.GetServices<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>()).Options);

    /// <summary>
    /// Waits until the search index holds every change made so far: search is near-real-time, not transactional, so a
    /// test that searches for what it just wrote waits for it here. Runs the service's own indexer batches (the one in
    /// the background may be running one too), bounded at 5 s.
    /// </summary>
    internal Task SearchIndexed() => Factory.Services.GetRequiredService<NewsApi.Search.SearchIndexer>().CatchUp(TimeSpan.FromSeconds(5));

    public async Task ResetAsync()
    {
        Clock.AdjustTime(Now);
        await using var db = NewDbContext();
        // Table names come from pg_tables, quoted by quote_ident: nothing from outside reaches this statement.
        var truncate = "TRUNCATE " + string.Join(", ", _tables) + " RESTART IDENTITY CASCADE";
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await db.Database.ExecuteSqlRawAsync(truncate);
                break;
            }
            // The previous test's last write may still be recording its audit entry (that happens after the response
            // is sent), and TRUNCATE can deadlock with it: let it finish and try again.
            catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.DeadlockDetected && attempt < 5)
            {
                await Task.Delay(100 * attempt);
            }
        }
        await Factory.Services.GetRequiredService<NewsApi.Changes.ICacheEvictor>().EvictAsync(["all"]);
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        if (_database is not null)
            await _database.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}

/// <summary>Base of every test that speaks HTTP to the app: a clean database and an HTTP client to start from.</summary>
[Collection(ApiCollection.Name)]
public abstract class ApiTest(ApiFixture fixture) : IAsyncLifetime
{
    protected ApiFixture Fixture { get; } = fixture;
    protected HttpClient Client { get; } = fixture.CreateClient();
    protected FakeTimeProvider Clock => Fixture.Clock;
    private protected Builders.Given Given { get; } = new(fixture);

    public Task InitializeAsync() => Fixture.ResetAsync();

    /// <summary>A client that sends a new key of this role (named role-n, or as given) with every request.</summary>
    private protected async Task<HttpClient> As(Data.Entities.Role role, string? name = null)
    {
        var client = Fixture.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", await Given.Key(role, name));
        return client;
    }

    /// <summary>The same for a host of the test's own (<paramref name="instance"/>), such as one with other settings.</summary>
    private protected async Task<HttpClient> As(Data.Entities.Role role, ApiFactory instance)
    {
        var client = instance.CreateHttpClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", await Given.Key(role));
        return client;
    }

    /// <summary>Waits until the search index holds every change made so far (<see cref="ApiFixture.SearchIndexed"/>).</summary>
    private protected Task SearchIndexed() => Fixture.SearchIndexed();

    /// <summary>
    /// The SQL commands the app sends while answering the requests <paramref name="requests"/> makes, each as its text:
    /// EF's and raw ones alike, nothing from background work (see <see cref="SqlTrace"/>). A public read also looks the
    /// next scheduled change up after its host learns of a change; SqlTraceTests shows how to count a read alone.
    /// </summary>
    protected static Task<IReadOnlyList<string>> SqlSentBy(Func<Task> requests) => SqlTrace.Of(requests);

    public Task DisposeAsync()
    {
        Client.Dispose();
        return Task.CompletedTask;
    }
}
