using System.Text;
using System.Text.Json;
using NewsApi.Import;

namespace NewsApi.Tests.Import;

/// <summary>The reader on its own: what it keeps in memory while it splits a JSON array.</summary>
public sealed class ImportReaderTests(Xunit.Abstractions.ITestOutputHelper output)
{
    static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    static ImportReader Reader(int maxItemBytes = 1024 * 1024) =>
        new(new ImportOptions { MaxItemBytes = maxItemBytes }, Web, new ImportQuery(), new DateOnly(2026, 3, 1));

    static async Task<List<ParsedItem>> ReadAll(ImportReader reader, byte[] body, ImportFormat format = ImportFormat.JsonArray)
    {
        var items = new List<ParsedItem>();
        await foreach (var item in reader.Read(new MemoryStream(body), format, CancellationToken.None))
            items.Add(item);
        return items;
    }

    static byte[] ArrayWithHugeItem(int hugeBytes)
    {
        var huge = new StringBuilder("""{"externalId":"huge","title":"大","summary":"[{""");
        huge.Append('a', hugeBytes).Append("""\"]}"}""");
        return Encoding.UTF8.GetBytes($$"""[ {"externalId":"first","title":"一"}, {{huge}} ,{"externalId":"last","title":"三 ]}\" "} ]""");
    }

    [Fact]
    public async Task A_32_MB_array_element_is_refused_as_an_item_without_being_kept_in_memory()
    {
        var body = ArrayWithHugeItem(32 * 1024 * 1024);
        var reader = Reader();
        await ReadAll(Reader(), ArrayWithHugeItem(1000)); // warm up: the pipe's pool and the JIT are not what is measured

        var before = GC.GetAllocatedBytesForCurrentThread();
        var items = await ReadAll(reader, body);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        output.WriteLine($"{allocated:N0} bytes allocated reading a {body.Length:N0}-byte array");
        Assert.Equal([1, 2, 3], items.Select(i => i.Line));
        Assert.Equal("first", items[0].Item!.ExternalId);
        Assert.Null(items[1].Item);
        Assert.Contains("Import:MaxItemBytes", items[1].Errors!["line"][0]);
        Assert.Equal("last", items[2].Item!.ExternalId);
        // Buffering the element would cost its 32 MB at least; the limit plus the pipe's buffers is what may be kept.
        Assert.True(allocated < 4 * 1024 * 1024, $"{allocated:N0} bytes allocated reading a 32 MB element");
    }

    [Fact]
    public async Task Elements_under_the_limit_come_whole_with_strings_escapes_and_nesting_intact()
    {
        var items = await ReadAll(Reader(), ArrayWithHugeItem(2000));

        Assert.Equal(["first", "huge", "last"], items.Select(i => i.Item!.ExternalId));
        Assert.Equal("三 ]}\" ", items[2].Item!.Title);
    }

    [Theory]
    [InlineData("""{"externalId":"a","title":"一"}""")]
    [InlineData("""[{"externalId":"a","title":"一"} {"externalId":"b","title":"二"}]""")]
    [InlineData("""[{"externalId":"a","title":"一"},""")]
    [InlineData("""[{"externalId":"a","title":"一"}""")]
    [InlineData("""[,{"externalId":"a","title":"一"}]""")]
    public async Task A_break_in_the_array_itself_is_a_json_error(string body)
    {
        await Assert.ThrowsAnyAsync<JsonException>(() => ReadAll(Reader(), Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public async Task A_broken_element_is_that_item_invalid_and_the_next_is_read()
    {
        var items = await ReadAll(Reader(), Encoding.UTF8.GetBytes("""[{"externalId":"a","title":}, {"externalId":"b","title":"二"}, []]"""));

        Assert.Null(items[0].Item);
        Assert.Equal("b", items[1].Item!.ExternalId);
        Assert.Null(items[2].Item);
        Assert.Equal(3, items.Count);
    }

    [Fact]
    public async Task An_empty_array_has_no_items()
    {
        Assert.Empty(await ReadAll(Reader(), "\uFEFF [ ] "u8.ToArray()));
    }
}
