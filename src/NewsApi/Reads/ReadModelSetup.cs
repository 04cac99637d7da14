using NewsApi.Data;

namespace NewsApi.Reads;

internal static class ReadModelSetup
{
    public static IServiceCollection AddReadModel(this IServiceCollection services)
    {
        services.AddSingleton<ReadModel>();
        services.AddSingleton<RenderedJson>();
        return services;
    }

    /// <summary>
    /// At start, after the migrations: renders the rows that are missing (articles stored before the read model, or
    /// written around the service) or of an older shape, before the first request, so no public read misses one.
    /// </summary>
    public static async Task RebuildReadModelAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        try
        {
            var rendered = await app.Services.GetRequiredService<ReadModel>().Rebuild(db, app.Lifetime.ApplicationStopping);
            if (rendered > 0)
                app.Logger.LogInformation("Read model: rendered {Count} article(s) that were missing or of an older shape.", rendered);
        }
        catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.UndefinedTable)
        {
            // Migrations are a deploy step here (Database:MigrateOnStart off) and have not run: /health/ready says so.
            app.Logger.LogWarning("Read model: not rendered, the database is not migrated ({Message}).", e.MessageText);
        }
    }
}
