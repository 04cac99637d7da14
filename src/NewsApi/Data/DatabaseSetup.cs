using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace NewsApi.Data;

/// <summary>Settings of the <c>Database</c> section.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>Apply pending migrations when the service starts. Turn off where migrations run as a deploy step.</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>Where the project-local PostgreSQL keeps its data when no connection string is configured; default &lt;repo&gt;/.data/postgres.</summary>
    public string? LocalDataDirectory { get; set; }

    /// <summary>Port of the project-local PostgreSQL.</summary>
    public int LocalPort { get; set; } = 54329;

    /// <summary>Leave the project-local PostgreSQL running when the service stops, for a faster next start.</summary>
    public bool KeepLocalRunning { get; set; }
}

public static class DatabaseSetup
{
    public const string ConnectionName = "NewsDb";

    /// <summary>
    /// Uses ConnectionStrings:NewsDb when set; otherwise starts (or reuses) a project-local PostgreSQL
    /// from the binaries on PATH, so that a fresh clone runs with one command.
    /// </summary>
    public static async Task AddNewsDatabaseAsync(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        builder.Services.Configure<DatabaseOptions>(builder.Configuration.GetSection(DatabaseOptions.Section));

        var connectionString = builder.Configuration.GetConnectionString(ConnectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            using var loggers = LoggerFactory.Create(l => l.AddConsole());
            var logger = loggers.CreateLogger("NewsApi.LocalPostgres");
            var root = LocalPostgres.FindRepositoryRoot(AppContext.BaseDirectory)
                       ?? LocalPostgres.FindRepositoryRoot(Directory.GetCurrentDirectory())
                       ?? Directory.GetCurrentDirectory();
            var server = await LocalPostgres.StartAsync(new LocalPostgresOptions
            {
                DataDirectory = options.LocalDataDirectory ?? Path.Combine(root, ".data", "postgres"),
                Port = options.LocalPort,
                Database = "newsapi",
                StopOnDispose = !options.KeepLocalRunning,
            }, logger, CancellationToken.None);
            builder.Services.AddHostedService(_ => new LocalPostgresShutdown(server));
            connectionString = server.ConnectionString;
        }

        // PostgreSQL's JIT compiles any plan whose estimated cost is high, a search's branch that never runs included:
        // 20-30 ms of compiling to save microseconds on the short queries an API makes.
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        settings.Options = $"{settings.Options} -c jit=off".Trim();
        connectionString = settings.ConnectionString;

        builder.Services.AddDbContextPool<NewsDbContext>((services, o) => o
            .UseNpgsql(connectionString)
            .UseSnakeCaseNamingConvention()
            .AddInterceptors(Search.SearchDocumentInterceptor.Instance, services.GetRequiredService<Changes.ChangeCapture>()));
        builder.Services.AddHealthChecks()
            .AddDbContextCheck<NewsDbContext>("database", tags: ["ready"])
            .AddCheck<MigrationsHealthCheck>("migrations", tags: ["ready"]);
    }

    public static async Task MigrateAsync(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStart)
            return;
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        await db.Database.MigrateAsync();
    }
}

/// <summary>Stops the project-local PostgreSQL with the service (unless configured to keep it running).</summary>
internal sealed class LocalPostgresShutdown(LocalPostgres server) : IHostedService
{
    public Task StartAsync(CancellationToken ct) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken ct) => await server.DisposeAsync();
}
