namespace NewsApi.Changes;

/// <summary>
/// The names cached public reads are tagged with: the routes declare the tags of what they show (see
/// <c>PublicRead</c>), and <see cref="ChangeRecorder"/> records the same names when content changes, for every instance to evict.
/// </summary>
internal static class CacheTags
{
    /// <summary>Every cached response carries it: for changes that show up everywhere.</summary>
    public const string All = Api.Caching.PublicRead.EverythingTag;

    public const string ArticleLists = "article-lists";
    public const string Sections = "sections";
    public const string Topics = "topics";
    public const string FeaturedLists = "featured-lists";
    public const string Tags = "tags";
    public const string Authors = "authors";
    public const string Search = "search";
    public const string Feeds = "feeds";
    public const string Sitemaps = "sitemaps";

    public static string Article(Guid id) => $"article:{id}";

    public static string ArticleSlug(string slug) => $"article-slug:{slug}";

    /// <summary>An asset's renditions, as served to the public (Media/RenditionCache).</summary>
    public static string Asset(Guid id) => $"asset:{id}";
}
