namespace NewsApi.Development;

/// <summary>The development cluster's settings, read from the service's <c>Database</c> section.</summary>
internal sealed class LocalDatabaseOptions
{
    public const string Section = "Database";

    /// <summary>Where the project-local PostgreSQL keeps its data; default &lt;repo&gt;/.data/postgres.</summary>
    public string? LocalDataDirectory { get; set; }

    /// <summary>Port of the project-local PostgreSQL.</summary>
    public int LocalPort { get; set; } = 54329;

    /// <summary>Leave the project-local PostgreSQL running when the service stops, for a faster next start.</summary>
    public bool KeepLocalRunning { get; set; }

    /// <summary>The cluster these settings describe: durable, in the repository's .data/postgres unless told otherwise.</summary>
    public LocalPostgresOptions Cluster() => new()
    {
        DataDirectory = LocalDataDirectory ?? Path.Combine(DefaultRoot(), ".data", "postgres"),
        Port = LocalPort,
        Database = "newsapi",
        StopOnDispose = !KeepLocalRunning,
    };

    static string DefaultRoot() =>
        RepositoryRoot.Find(AppContext.BaseDirectory) ?? RepositoryRoot.Find(Directory.GetCurrentDirectory()) ?? Directory.GetCurrentDirectory();
}
