using NewsApi.Data.Entities;

namespace NewsApi.Feeds;

/// <summary>
/// What a feed says, whatever its format: the channel and its newest public articles. RSS, Atom and JSON Feed are
/// written from this one model so they cannot drift apart.
/// </summary>
// Id: a URI naming the feed for good (Atom id); HomePageUrl: the page on the public site the feed mirrors;
// SelfUrl: the feed's own address in the format asked for; Language: BCP 47, the articles' prevailing one, else the site's.
internal sealed record Feed(
    string Id, string Title, string? Description, string HomePageUrl, string SelfUrl, string Language,
    DateTimeOffset Updated, string? ImageUrl, IReadOnlyList<FeedItem> Items);

internal sealed record FeedItem(
    Guid ArticleId, string Id, string Url, string Title, string? Subtitle, string? Summary, string ContentHtml,
    string Language, DateTimeOffset Published, DateTimeOffset Updated, IReadOnlyList<string> Authors,
    string? Section, IReadOnlyList<string> Tags, Image? Image);

/// <summary>The three formats a feed comes in, by the extension of its address.</summary>
internal enum FeedFormat { Rss, Atom, Json }

internal static class FeedFormats
{
    public const string RssType = "application/rss+xml";
    public const string AtomType = "application/atom+xml";
    public const string JsonType = "application/feed+json";

    public static readonly IReadOnlyList<string> Extensions = ["rss", "atom", "json"];

    public static bool TryParse(string extension, out FeedFormat format)
    {
        (var ok, format) = extension switch
        {
            "rss" => (true, FeedFormat.Rss),
            "atom" => (true, FeedFormat.Atom),
            "json" => (true, FeedFormat.Json),
            _ => (false, default),
        };
        return ok;
    }

    public static string Extension(this FeedFormat format) => Extensions[(int)format];

    public static string ContentType(this FeedFormat format) => format switch
    {
        FeedFormat.Rss => RssType,
        FeedFormat.Atom => AtomType,
        _ => JsonType,
    } + "; charset=utf-8";
}
