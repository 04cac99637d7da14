using NewsApi.Development;

namespace NewsApi.Tests.Infrastructure;

public sealed class RepositoryRootTests
{
    [Fact]
    public void Find_walks_up_to_the_solution_folder()
    {
        var root = RepositoryRoot.Find(AppContext.BaseDirectory);

        Assert.NotNull(root);
        Assert.True(File.Exists(Path.Combine(root, "NewsApi.sln")));
        Assert.Equal(root, RepositoryRoot.Find(Path.Combine(root, "src", "NewsApi")));

        var outside = Directory.CreateTempSubdirectory("newsapi-norepo-");
        try
        {
            Assert.Null(RepositoryRoot.Find(outside.FullName));
        }
        finally
        {
            outside.Delete();
        }
    }
}
