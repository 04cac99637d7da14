namespace NewsApi.Media;

/// <summary>
/// Where originals and renditions live, by key (<c>originals/…</c>, <c>renditions/…</c>): the local filesystem or an
/// S3-compatible store, chosen by Media:Storage. Writes are whole objects; a key, once written, never changes content.
/// </summary>
internal interface IMediaStore
{
    /// <summary>Writes the object from a stream read to its end (never buffered whole).</summary>
    Task PutAsync(string key, Stream content, string contentType, CancellationToken ct);

    /// <summary>The object's bytes as a stream, or null when there is none.</summary>
    Task<Stream?> OpenAsync(string key, CancellationToken ct);

    /// <summary>Removes every object whose key starts with <paramref name="prefix"/>.</summary>
    Task DeletePrefixAsync(string prefix, CancellationToken ct);
}

/// <summary>The local filesystem store: one file per key under Media:LocalPath, written to a temporary name then moved.</summary>
internal sealed class LocalMediaStore(string root) : IMediaStore
{
    public string Root { get; } = Path.GetFullPath(root);

    public string PathOf(string key) => Path.Combine(Root, key.Replace('/', Path.DirectorySeparatorChar));

    public async Task PutAsync(string key, Stream content, string contentType, CancellationToken ct)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.part";
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
                await content.CopyToAsync(file, ct);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public Task<Stream?> OpenAsync(string key, CancellationToken ct)
    {
        var path = PathOf(key);
        try
        {
            return Task.FromResult<Stream?>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public Task DeletePrefixAsync(string prefix, CancellationToken ct)
    {
        var path = PathOf(prefix);
        if (Directory.Exists(path))
            Directory.Delete(path, recursive: true);
        else if (File.Exists(path))
            File.Delete(path);
        return Task.CompletedTask;
    }
}
