using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using Npgsql;

namespace NewsApi.Data;

/// <summary>Settings of the <c>Database</c> section.</summary>
internal sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>Apply pending migrations when the service starts. Turn off where migrations run as a deploy step.</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>What <c>Retry-After</c> tells a caller answered 503 because the database could not be reached.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many times a read (GET, HEAD) is run again when the database could not be reached.</summary>
    public int Retries { get; set; } = 3;

    /// <summary>The longest pause between two attempts of a read (they start at 100 ms and double).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a public read waits for the standby to replay a change this instance knows of before it reads the primary.</summary>
    public TimeSpan ReplicaWait { get; set; } = TimeSpan.FromMilliseconds(500);
}

internal static class DatabaseSetup
{
    public const string ConnectionName = "NewsDb";

    /// <summary>The standby public reads may use (see <see cref="Standby"/>); unset, every read goes to NewsDb.</summary>
    public const string ReplicaName = "Replica";

    /// <summary>How many of its most used statements each connection keeps prepared.</summary>
    const int AutoPreparedStatements = 100;

    /// <summary>Command-line switch: apply pending migrations and exit, as a deploy step.</summary>
    public const string MigrateOnly = "--migrate-only";

    /// <summary>
    /// The service's PostgreSQL from ConnectionStrings:NewsDb. The service never starts a database of its own; in
    /// development the NewsApi.Development hosting startup supplies the setting (see Decisions/0002-local-postgres.md).
    /// Every <see cref="IInterceptor"/> registered by a capability takes part in every SaveChanges.
    /// </summary>
    public static void AddNewsDatabase(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<DatabaseOptions>(builder.Configuration.GetSection(DatabaseOptions.Section));
        builder.Services.AddSingleton(s => new ReadRetries(s.GetRequiredService<IOptions<DatabaseOptions>>().Value));

        var connectionString = ServiceConnectionString(builder.Configuration.GetConnectionString(ConnectionName));
        var configuredReplica = builder.Configuration.GetConnectionString(ReplicaName) is { Length: > 0 } configured ? configured : null;
        var replica = configuredReplica is null ? null : Parsed(configuredReplica);
        // A standby's address that does not parse stops the start with one line naming the setting (Api/SettingsCheck),
        // not with Npgsql's stack trace; until then the service is set up as if none were configured.
        var unreadable = configuredReplica is not null && replica is null;
        builder.Services.AddOptions<DatabaseOptions>()
            .Validate(_ => !unreadable, $"ConnectionStrings:{ReplicaName} is not a PostgreSQL connection string (Host=…;Database=…;Username=…).")
            .ValidateOnStart();
        builder.Services.AddSingleton(s =>
        {
            var standby = ActivatorUtilities.CreateInstance<Standby>(s);
            standby.Configure(connectionString, replica);
            return standby;
        });

        builder.Services.AddDbContextPool<NewsDbContext>((services, o) =>
        {
            o.UseNpgsql(connectionString)
                .UseSnakeCaseNamingConvention()
                .AddInterceptors(services.GetServices<IInterceptor>());
            // Without a replica no connection is ever pointed elsewhere: the context runs exactly as with one server.
            if (replica is not null)
                o.AddInterceptors(new StandbyRouting(services.GetRequiredService<Standby>(), connectionString));
        });
        var health = builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
            .AddCheck<MigrationsHealthCheck>("migrations", tags: ["ready"]);
        if (replica is not null)
            health.AddCheck<StandbyHealthCheck>("replica", tags: ["ready"]);
    }

    static string? Parsed(string configured)
    {
        try
        {
            return ServiceConnectionString(configured);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
        {
            return null;
        }
    }

    /// <summary>The configured connection string with what the service's queries need of every connection.</summary>
    internal static string ServiceConnectionString(string? configured)
    {
        // PostgreSQL's JIT compiles any plan whose estimated cost is high, a search's branch that never runs included:
        // 20-30 ms of compiling to save microseconds on the short queries an API makes.
        var settings = new NpgsqlConnectionStringBuilder(configured);
        settings.Options = $"{settings.Options} -c jit=off".Trim();
        // A public read sends the same few statements again and again: prepared once per connection, PostgreSQL stops
        // parsing and planning them on every request (reads benchmark, story by slug: 2.7 ms of PostgreSQL CPU a read
        // before, 0.9 ms after). A connection string that sets Max Auto Prepare keeps its own value.
        if (settings.MaxAutoPrepare == 0)
            settings.MaxAutoPrepare = AutoPreparedStatements;
        // A public read borrows a pooled connection for one statement. Resetting its session on every return sends
        // PostgreSQL five statements more with the next one (CLOSE ALL, UNLISTEN *, …) for state the service never
        // leaves behind: no session settings, LISTEN, temporary tables or session advisory locks, transaction-level
        // locks only. A connection string that says No Reset On Close keeps its own value.
        // (Npgsql's own builder answers ContainsKey for every keyword it knows: what was written is in the plain one.)
        var written = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = configured ?? "" };
        if (!written.ContainsKey("No Reset On Close") && !written.ContainsKey("NoResetOnClose"))
            settings.NoResetOnClose = true;
        return settings.ConnectionString;
    }

    /// <summary>
    /// The exit code when the run ends before serving: 1 without ConnectionStrings:NewsDb (said in one log line),
    /// 0 once <see cref="MigrateOnly"/> has applied the migrations; null when the service is to start.
    /// </summary>
    public static async Task<int?> RunDatabaseStepAsync(this WebApplication app, string[] args)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseSetup).FullName!);
        int? exitCode = null;
        if (string.IsNullOrWhiteSpace(app.Configuration.GetConnectionString(ConnectionName)))
        {
            logger.LogCritical("ConnectionStrings:{Name} is not set: give the service its PostgreSQL connection string " +
                               "(environment variable ConnectionStrings__{Name}){Hint}. Stopping.", ConnectionName, ConnectionName,
                app.Environment.IsDevelopment() ? ", or run `dotnet run --project src/NewsApi`, which starts a local PostgreSQL" : "");
            exitCode = 1;
        }
        else if (args.Contains(MigrateOnly))
        {
            await Migrate(app);
            logger.LogInformation("Migrations applied ({Switch}); exiting", MigrateOnly);
            exitCode = 0;
        }

        if (exitCode is not null)
            await app.DisposeAsync(); // flushes the log
        return exitCode;
    }

    /// <summary>Applies pending migrations at start, unless Database:MigrateOnStart is false.</summary>
    public static async Task MigrateAsync(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStart)
            await Migrate(app);
    }

    static async Task Migrate(WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        await db.Database.MigrateAsync();
    }
}
