using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace NewsApi.Feeds;

/// <summary>JSON Feed 1.1 (https://jsonfeed.org/version/1.1): its members are snake_case, unlike the rest of the API.</summary>
internal static class JsonFeedWriter
{
    public const string Version = "https://jsonfeed.org/version/1.1";

    public sealed record Document(
        string Version, string Title, string HomePageUrl, string FeedUrl, string? Description, string? Icon,
        string Language, IReadOnlyList<Author> Authors, IReadOnlyList<Item> Items);

    public sealed record Author(string Name, string? Url = null);

    public sealed record Item(
        string Id, string Url, string Title, string ContentHtml, string? Summary, string? Image,
        DateTimeOffset DatePublished, DateTimeOffset DateModified, IReadOnlyList<Author>? Authors,
        IReadOnlyList<string>? Tags, string Language);

    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Chinese and the markup of content_html as characters: the document is served as JSON, never inlined in a page.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
    };

    public static byte[] Write(Feed feed, string publication, string publicationUrl) => JsonSerializer.SerializeToUtf8Bytes(new Document(
        Version, feed.Title, feed.HomePageUrl, feed.SelfUrl, feed.Description, feed.ImageUrl, feed.Language,
        [new Author(publication, publicationUrl)],
        feed.Items.Select(i => new Item(
            i.Id, i.Url, i.Title, i.ContentHtml, i.Summary, i.Image?.Url, i.Published, i.Updated,
            i.Authors.Count == 0 ? null : i.Authors.Select(a => new Author(a)).ToList(),
            (i.Section is null ? i.Tags : i.Tags.Prepend(i.Section)).Distinct().ToList() is { Count: > 0 } tags ? tags : null,
            i.Language)).ToList()), Json);
}
