using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
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
        LocalPostgres? server = null;
        builder.ConfigureAppConfiguration((context, config) =>
        {
            if (!context.HostingEnvironment.IsDevelopment())
                return;
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
        builder.ConfigureServices(services =>
        {
            if (server is not null)
                services.AddHostedService(_ => new LocalPostgresShutdown(server));
        });
    }

    static LocalPostgres? Start(LocalPostgresOptions options)
    {
        using var loggers = LoggerFactory.Create(l => l.AddConsole());
        var logger = loggers.CreateLogger("NewsApi.LocalPostgres");
        try
        {
            var server = LocalPostgres.StartAsync(options, logger, CancellationToken.None).GetAwaiter().GetResult();
            // A run that never starts the host (--migrate-only, a failed start) still stops the cluster it started.
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

/// <summary>Stops the project-local PostgreSQL with the service (unless configured to keep it running).</summary>
internal sealed class LocalPostgresShutdown(LocalPostgres server) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken) => await server.DisposeAsync();
}
