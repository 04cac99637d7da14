using System.Buffers;
using System.IO.Compression;
using System.Text.Json;

namespace NewsApi.Import;

/// <summary>Writes NDJSON result lines to the response (sent at each flush) and, for an idempotency key, keeps a gzipped copy.</summary>
internal sealed class ResultWriter(HttpContext http, JsonSerializerOptions json, bool record)
{
    public const string ContentType = "application/x-ndjson; charset=utf-8";
    readonly MemoryStream? _copy = record ? new MemoryStream() : null;
    GZipStream? _zip;

    public void Line<T>(T line)
    {
        if (!http.Response.HasStarted)
            http.Response.ContentType = ContentType;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(line, json);
        http.Response.BodyWriter.Write(bytes);
        http.Response.BodyWriter.Write("\n"u8);
        if (_copy is not null)
        {
            _zip ??= new GZipStream(_copy, CompressionLevel.Fastest, leaveOpen: true);
            _zip.Write(bytes);
            _zip.Write("\n"u8);
        }
    }

    public async Task Flush() => await http.Response.BodyWriter.FlushAsync();

    public byte[] Recorded()
    {
        _zip?.Dispose();
        return _copy?.ToArray() ?? [];
    }
}
