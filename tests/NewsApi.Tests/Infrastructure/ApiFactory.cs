using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace NewsApi.Tests.Infrastructure;

/// <summary>The real app on Kestrel, on a free loopback port, against the test database, with a clock the tests control.</summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    readonly string _connectionString;
    readonly string _environment;
    readonly Dictionary<string, string> _settings;
    readonly Action<IServiceCollection>? _services;

    /// <param name="services">More services for this host only, such as a logger provider a test reads.</param>
    public ApiFactory(string connectionString, FakeTimeProvider clock, string environment = "Testing", Dictionary<string, string>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        _connectionString = connectionString;
        _environment = environment;
        _settings = settings ?? [];
        _services = services;
        Clock = clock;
        UseKestrel(0);
    }

    public FakeTimeProvider Clock { get; }

    /// <summary>Where this host's local media store keeps originals and renditions.</summary>
    public string MediaFolder { get; } = Path.Combine(Path.GetTempPath(), $"newsapi-media-{Guid.NewGuid():N}");

    readonly CriticalLog _critical = new();

    /// <summary>The errors the server logged, with their exceptions: what a test shows when the service answered 500.</summary>
    public IEnumerable<string> ServerErrors => _critical.Errors;

    /// <summary>
    /// Starts the server expecting it to refuse, and returns why: the exception and the critical lines logged, since
    /// the service logs a wrong setting on one line and stops rather than throwing.
    /// </summary>
    public string StartRefusal()
    {
        var failure = Assert.ThrowsAny<Exception>(StartServer);
        return string.Join('\n', [.. _critical.Lines, failure.ToString()]);
    }

    /// <summary>A path that throws, with SQL-like text in the exception, to prove crashes leak nothing.</summary>
    public const string CrashPath = "/test-only/crash";
    public const string CrashSecret = "SELECT password FROM api_keys";

    /// <summary>The address Kestrel listens on, such as http://127.0.0.1:41234 (the server must be started).</summary>
    public Uri Address => new(Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>()
        .Addresses.First().Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1"));

    /// <summary>A plain HTTP client over a real socket; redirects are left for the test to see.</summary>
    public HttpClient CreateHttpClient() => new(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = Address };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        builder.UseSetting("ConnectionStrings:NewsDb", _connectionString);
        builder.UseSetting("Demo:Load", "false");
        // No test but the rate-limit ones may meet a budget; they start their own app with small ones.
        foreach (var budget in NewsApi.Api.RateLimits.RateLimitOptions.Budgets)
            builder.UseSetting($"RateLimits:{budget}:PermitLimit", "1000000000");
        // Tests prune when they mean to (RetentionJob.PruneOnceAsync): a run set off by a test moving the clock would race others.
        builder.UseSetting("Retention:Enabled", "false");
        // Tests index when they mean to (ApiFixture.SearchIndexed), so a test can hold the index behind the articles.
        builder.UseSetting("Search:IndexerEnabled", "false");
        // Each host its own media folder, so no test reads another run's originals or renditions.
        builder.UseSetting("Media:LocalPath", MediaFolder);
        foreach (var (key, value) in _settings)
            builder.UseSetting(key, value);
        builder.ConfigureLogging(logging => logging.AddProvider(_critical));
        builder.ConfigureServices(services =>
        {
            services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock));
            services.AddSingleton<IStartupFilter, CrashOnTestPath>();
            _services?.Invoke(services);
        });
    }
}

file sealed class CrashOnTestPath : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        app.Use((http, inner) => http.Request.Path == ApiFactory.CrashPath
            ? throw new InvalidOperationException(ApiFactory.CrashSecret)
            : inner(http));
    };
}

sealed class CriticalLog : ILoggerProvider, ILogger
{
    readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();
    readonly System.Collections.Concurrent.ConcurrentQueue<string> _errors = new();

    public IEnumerable<string> Lines => _lines;
    public IEnumerable<string> Errors => _errors;

    public ILogger CreateLogger(string categoryName) => this;
    public void Dispose() { }
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (logLevel == LogLevel.Critical)
            _lines.Enqueue(formatter(state, exception));
        else if (logLevel == LogLevel.Error && _errors.Count < 100)
            _errors.Enqueue($"{formatter(state, exception)} {exception}");
    }
}
