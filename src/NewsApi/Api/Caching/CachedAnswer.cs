using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace NewsApi.Api.Caching;

/// <summary>
/// A public answer as this service keeps it: status, headers (ETag and Last-Modified included), body, and when its
/// freshness ends. Made once, when a miss stores it; a hit only writes it out. In the store (IOutputCacheStore, so
/// EvictByTag and a shared store keep working) it is one byte array, headers first, then the body, which is served
/// straight from that array.
/// </summary>
internal sealed class CachedAnswer
{
    const byte Format = 1;

    // The in-process store hands back the very array it was given, so the decoded answer is kept beside it for as
    // long as the array lives (an evicted entry takes its answer with it); a hit then decodes nothing. Arrays from
    // a shared store are new on every read and are decoded instead.
    static readonly ConditionalWeakTable<byte[], CachedAnswer> Decoded = new();

    // Header names that a hit sets itself (Cache-Control, Vary, Content-Length) or that belong to one exchange only.
    static readonly HashSet<string> NotKept = new(StringComparer.OrdinalIgnoreCase)
    {
        HeaderNames.CacheControl, HeaderNames.Vary, HeaderNames.ContentLength, HeaderNames.Age, HeaderNames.Date,
        HeaderNames.Server, HeaderNames.SetCookie, HeaderNames.TransferEncoding, HeaderNames.Connection, HeaderNames.KeepAlive,
    };

    sealed record Stamp(long MaxAge, string CacheControl);

    Stamp _last;

    CachedAnswer(int status, DateTimeOffset freshUntil, long staleWhileRevalidate, (string Name, StringValues Value)[] headers, ReadOnlyMemory<byte> body)
    {
        Status = status;
        FreshUntil = freshUntil;
        StaleWhileRevalidate = staleWhileRevalidate;
        Headers = headers;
        Body = body;
        foreach (var (name, value) in headers)
        {
            if (name.Equals(HeaderNames.ETag, StringComparison.OrdinalIgnoreCase))
                ETag = value.ToString();
            else if (name.Equals(HeaderNames.LastModified, StringComparison.OrdinalIgnoreCase) && HeaderUtilities.TryParseDate(value.ToString(), out var modified))
                LastModified = modified;
        }
        _last = new(-1, "");
    }

    public int Status { get; }
    public DateTimeOffset FreshUntil { get; }
    public long StaleWhileRevalidate { get; }
    public (string Name, StringValues Value)[] Headers { get; }
    public string ETag { get; } = "";
    public DateTimeOffset? LastModified { get; }
    public ReadOnlyMemory<byte> Body { get; }

    public bool IsFreshAt(DateTimeOffset now) => now < FreshUntil;

    /// <summary>
    /// The lifetime left at this instant: max-age counts down to the end of freshness fixed when the answer was
    /// stored (which never passes the next scheduled change), so a CDN that ignores Age still never keeps it longer.
    /// The string is made once a second, not once a hit.
    /// </summary>
    public string CacheControlAt(DateTimeOffset now)
    {
        var maxAge = Lifetime.Seconds(FreshUntil - now);
        var last = _last;
        if (last.MaxAge == maxAge)
            return last.CacheControl;
        var stamp = new Stamp(maxAge, Lifetime.Format(maxAge, StaleWhileRevalidate));
        _last = stamp;
        return stamp.CacheControl;
    }

    /// <summary>The answer a response makes, with its body copied into the array the store will keep.</summary>
    public static (CachedAnswer Answer, byte[] Stored) Keep(HttpResponse response, ReadOnlySpan<byte> body, DateTimeOffset now, Lifetime lifetime)
    {
        var headers = new List<(string, StringValues)>();
        foreach (var (name, value) in response.Headers)
            if (!NotKept.Contains(name) && !StringValues.IsNullOrEmpty(value))
                headers.Add((name, value));
        var freshUntil = now + lifetime.MaxAge;
        var swr = Lifetime.Seconds(lifetime.StaleWhileRevalidate);

        var size = 1 + 4 + 8 + 8 + 4;
        foreach (var (name, value) in headers)
        {
            size += 4 + Encoding.UTF8.GetByteCount(name) + 4;
            foreach (var v in value)
                size += 4 + Encoding.UTF8.GetByteCount(v ?? "");
        }
        var stored = new byte[size + body.Length];
        var at = 0;
        stored[at++] = Format;
        WriteInt(stored, ref at, response.StatusCode);
        BinaryPrimitives.WriteInt64LittleEndian(stored.AsSpan(at), freshUntil.UtcTicks);
        at += 8;
        BinaryPrimitives.WriteInt64LittleEndian(stored.AsSpan(at), swr);
        at += 8;
        WriteInt(stored, ref at, headers.Count);
        foreach (var (name, value) in headers)
        {
            WriteString(stored, ref at, name);
            WriteInt(stored, ref at, value.Count);
            foreach (var v in value)
                WriteString(stored, ref at, v ?? "");
        }
        body.CopyTo(stored.AsSpan(at));

        var answer = new CachedAnswer(response.StatusCode, freshUntil, swr, [.. headers], stored.AsMemory(at));
        Decoded.AddOrUpdate(stored, answer);
        return (answer, stored);
    }

    /// <summary>The answer an array from the store holds, or null when it is not one this version wrote.</summary>
    public static CachedAnswer? Read(byte[] stored)
    {
        if (Decoded.TryGetValue(stored, out var known))
            return known;
        if (stored.Length < 25 || stored[0] != Format)
            return null;
        var at = 1;
        var status = ReadInt(stored, ref at);
        var freshUntil = new DateTimeOffset(BinaryPrimitives.ReadInt64LittleEndian(stored.AsSpan(at)), TimeSpan.Zero);
        at += 8;
        var swr = BinaryPrimitives.ReadInt64LittleEndian(stored.AsSpan(at));
        at += 8;
        var headers = new (string, StringValues)[ReadInt(stored, ref at)];
        for (var i = 0; i < headers.Length; i++)
        {
            var name = ReadString(stored, ref at);
            var values = new string[ReadInt(stored, ref at)];
            for (var j = 0; j < values.Length; j++)
                values[j] = ReadString(stored, ref at);
            headers[i] = (name, values.Length == 1 ? new StringValues(values[0]) : new StringValues(values));
        }
        return new CachedAnswer(status, freshUntil, swr, headers, stored.AsMemory(at));
    }

    static void WriteInt(byte[] to, ref int at, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(to.AsSpan(at), value);
        at += 4;
    }

    static void WriteString(byte[] to, ref int at, string value)
    {
        var length = Encoding.UTF8.GetBytes(value, to.AsSpan(at + 4));
        WriteInt(to, ref at, length);
        at += length;
    }

    static int ReadInt(byte[] from, ref int at)
    {
        var value = BinaryPrimitives.ReadInt32LittleEndian(from.AsSpan(at));
        at += 4;
        return value;
    }

    static string ReadString(byte[] from, ref int at)
    {
        var length = ReadInt(from, ref at);
        var value = Encoding.UTF8.GetString(from, at, length);
        at += length;
        return value;
    }
}
