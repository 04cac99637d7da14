using System.Text;
using System.Text.Json;

namespace NewsApi.Faults;

/// <summary>The import file the scenarios stream, and what each of its items must look like once stored.</summary>
internal sealed record WireItem(string ExternalId, string Title, int Paragraphs, int Tags)
{
    public const int ParagraphCount = 3;

    static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    };

    /// <summary><paramref name="count"/> items of about 1 KB, three paragraphs and three tags each, as NDJSON lines.</summary>
    public static (List<WireItem> Items, List<string> Lines) Generate(string run, int count)
    {
        var items = new List<WireItem>(count);
        var lines = new List<string>(count);
        var sections = new[] { "domestic", "world", "business" };
        for (var n = 1; n <= count; n++)
        {
            var id = $"fault-{run}-{n:D5}";
            var title = $"烏鎮峰會第{n}則快訊";
            var item = new
            {
                externalId = id,
                title,
                summary = $"第{n}則：世界互聯網大會在烏鎮舉行。",
                section = sections[n % sections.Length],
                tags = new[] { $"tag-{n % 17}", $"tag-{17 + n % 13}", $"tag-{30 + n % 7}" },
                body = Enumerable.Range(1, ParagraphCount).Select(p => new
                {
                    type = "paragraph",
                    text = $"第{n}則第{p}段。" + string.Concat(Enumerable.Repeat("大會討論人工智能與數字經濟的未來發展。", 6)),
                }).ToArray(),
            };
            items.Add(new WireItem(id, title, ParagraphCount, 3));
            lines.Add(JsonSerializer.Serialize(item, Options));
        }
        return (items, lines);
    }

    /// <summary>A request body that sends <paramref name="lines"/> at about <paramref name="perSecond"/>, so an import lasts.</summary>
    public static HttpContent Paced(IReadOnlyList<string> lines, int perSecond, Action<int>? sent = null)
    {
        var content = new PacedContent(lines, perSecond, sent);
        content.Headers.ContentType = new("application/x-ndjson");
        return content;
    }

    sealed class PacedContent(IReadOnlyList<string> lines, int perSecond, Action<int>? sent) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            var chunk = Math.Max(1, perSecond / 10);
            for (var i = 0; i < lines.Count; i += chunk)
            {
                var text = string.Concat(lines.Skip(i).Take(chunk).Select(l => l + "\n"));
                await stream.WriteAsync(Encoding.UTF8.GetBytes(text));
                await stream.FlushAsync();
                sent?.Invoke(Math.Min(lines.Count, i + chunk));
                if (perSecond < int.MaxValue)
                    await Task.Delay(100);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
