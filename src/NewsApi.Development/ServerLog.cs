namespace NewsApi.Development;

/// <summary>The server log (pg_ctl -l) in the data directory, read for error messages.</summary>
internal static class ServerLog
{
    public const string FileName = "server.log";

    internal static string Tail(string dataDirectory, int lines = 30)
    {
        var path = Path.Combine(dataDirectory, FileName);
        try
        {
            var text = ReadSince(path, 0);
            var all = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return all.Length == 0 ? "(the server log is empty)" : string.Join(Environment.NewLine, all.TakeLast(lines));
        }
        catch (FileNotFoundException)
        {
            return $"(no server log at {path})";
        }
        catch (DirectoryNotFoundException)
        {
            return $"(no server log at {path})";
        }
    }

    internal static string ReadSince(string path, long offset)
    {
        if (!File.Exists(path))
        {
            return "";
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Position = offset <= stream.Length ? offset : 0;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
