using System.Globalization;
using NewsApi.Api;
using NewsApi.Features.Articles;
using NewsApi.Features.FeaturedLists;
using NewsApi.Features.Topics;
using Npgsql;

namespace NewsApi.Benchmarks.Reads;

/// <summary>
/// The four reads: the one URL of the cached run, the file of paths the uncached run rotates over, and the SQL
/// pgbench runs for it. Paths come from the database, so a kept (--reuse) cluster gets the same ones.
/// </summary>
internal static class ReadSet
{
    internal sealed record Read(string Name, string Key, string CachedPath, string PathsFile, string Sql);

    public static async Task<IReadOnlyList<Read>> Of(NpgsqlDataSource dataSource, int articles, string workDirectory)
    {
        async Task<string> Paths(string key, string sql, Func<object, string> path)
        {
            var file = Path.Combine(workDirectory, key + ".paths");
            var lines = new List<string>();
            await using var command = dataSource.CreateCommand(sql);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                lines.Add(path(reader.GetValue(0)));
            await File.WriteAllLinesAsync(file, lines);
            return file;
        }

        // The list's own address has no builder of its own: the prefix the route tables share.
        var list = $"{ApiRoutes.Prefix}/articles?limit=20&fields={ReadSql.WithBodies}";
        return
        [
            new("story by slug", "story", ArticleEndpoints.SlugPath("bench-0"),
                await Paths("story", "SELECT slug FROM articles WHERE status = 'Published' ORDER BY id LIMIT 10000",
                    slug => ArticleEndpoints.SlugPath((string)slug)),
                ReadSql.Story(articles)),
            // Uncached, each URL is the 20 newest before another time: another page, one query shape.
            new("20 newest, bodies", "newest", list,
                await Paths("newest", "SELECT published_at FROM articles WHERE status = 'Published' ORDER BY id LIMIT 5000",
                    at => $"{list}&to={((DateTime)at).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}"),
                ReadSql.Newest()),
            new("topic, 100 articles", "topic", $"{TopicEndpoints.Path("topic-0")}?limit=100",
                await Paths("topic", "SELECT slug FROM topics ORDER BY slug", slug => $"{TopicEndpoints.Path((string)slug)}?limit=100"),
                ReadSql.Topic()),
            new("featured list", "featured", FeaturedListEndpoints.Path("featured-0"),
                await Paths("featured", "SELECT slug FROM featured_lists ORDER BY slug", slug => FeaturedListEndpoints.Path((string)slug)),
                ReadSql.Featured()),
        ];
    }
}
