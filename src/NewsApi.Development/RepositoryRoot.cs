namespace NewsApi.Development;

/// <summary>Finds the checkout a build runs from, for the development cluster's folder and the tests' fixtures.</summary>
internal static class RepositoryRoot
{
    /// <summary>The nearest folder at or above <paramref name="startDirectory"/> that contains NewsApi.sln, or null.</summary>
    public static string? Find(string startDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(startDirectory);
        for (var dir = new DirectoryInfo(Path.GetFullPath(startDirectory)); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NewsApi.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
