using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

[assembly: HostingStartup(typeof(NewsApi.Development.LocalDatabaseStartup))]

namespace NewsApi.Development;

/// <summary>
/// Runs only when ASPNETCORE_HOSTINGSTARTUPASSEMBLIES names this assembly (the Development launch profile and CI's
/// smoke run do). In Development, with no ConnectionStrings:NewsDb, it starts (or reuses) the project-local
/// PostgreSQL and supplies its connection string, so a fresh clone runs with one command; the service itself never
/// starts a database. The cluster stops with the service unless Database:KeepLocalRunning is set.
/// </summary>
internal sealed class LocalDatabaseStartup : IHostingStartup
{
    const string ConnectionName = "NewsDb";

    public void Configure(IWebHostBuilder builder)
    {
        builder.ConfigureAppConfiguration((context, config) =>
        {
            if (!context.HostingEnvironment.IsDevelopment())
                return;
            LocalPostgres? server;
            var current = config.Build();
            try
            {
                if (!string.IsNullOrWhiteSpace(current.GetConnectionString(ConnectionName)))
                    return;
                var options = current.GetSection(LocalDatabaseOptions.Section).Get<LocalDatabaseOptions>() ?? new LocalDatabaseOptions();
                server = Start(options.Cluster());
            }
            finally
            {
                // A ConfigurationManager builds to itself; a plain builder's temporary root is ours to dispose.
                if (!ReferenceEquals(current, config))
                    (current as IDisposable)?.Dispose();
            }
            if (server is not null)
                config.AddInMemoryCollection([new($"ConnectionStrings:{ConnectionName}", server.ConnectionString)]);
        });
    }

    static LocalPostgres? Start(LocalPostgresOptions options)
    {
        using var loggers = LoggerFactory.Create(l => l.AddConsole());
        var logger = loggers.CreateLogger("NewsApi.LocalPostgres");
        try
        {
            var server = LocalPostgres.StartAsync(options, logger, CancellationToken.None).GetAwaiter().GetResult();
            // Every exit stops the cluster it started (unless kept running): after the host stops, and also a run that
            // never starts the host (--migrate-only, a failed start).
            AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return server;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // No stack trace: the message says what is missing; the service then stops for want of a connection string.
            logger.LogError("The project-local PostgreSQL did not start: {Reason}", e.Message);
            return null;
        }
    }
}
