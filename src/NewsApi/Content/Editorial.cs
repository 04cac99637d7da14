namespace NewsApi.Content;

/// <summary>
/// A notice published with an article: a correction, a clarification, an update or an editor's note, with the time it
/// was added. Corrections and clarifications say what was wrong; an editor's note frames the story and is shown first.
/// </summary>
/// <param name="Type">correction, clarification, update or editorsNote.</param>
/// <param name="Text">Plain text, 1–2,000 characters.</param>
/// <param name="At">When the notice was added.</param>
internal sealed record Notice(string Type, string Text, DateTimeOffset At);

/// <summary>The notice types, as written on the wire.</summary>
internal static class NoticeTypes
{
    public const string Correction = "correction";
    public const string Clarification = "clarification";
    public const string Update = "update";
    public const string EditorsNote = "editorsNote";

    public static readonly IReadOnlyList<string> All = [Correction, Clarification, Update, EditorsNote];
}

/// <summary>
/// The old shape of a correction (<c>corrections[]</c>, before typed notices): still read and written, as the notices
/// of type correction.
/// </summary>
internal sealed record Correction(DateTimeOffset At, string Text);

/// <summary>What kind of journalism an article is; sponsored content is labelled wherever the article appears.</summary>
internal static class Genres
{
    public const string News = "news";
    public const string Analysis = "analysis";
    public const string Opinion = "opinion";
    public const string Interview = "interview";
    public const string Review = "review";
    public const string Sponsored = "sponsored";

    public static readonly IReadOnlyList<string> All = [News, Analysis, Opinion, Interview, Review, Sponsored];

    /// <summary>The schema.org type of an article of this genre (NewsArticle and its subtypes; paid content is advertiser content).</summary>
    public static string SchemaOrgType(string? genre) => genre switch
    {
        Analysis => "AnalysisNewsArticle",
        Opinion => "OpinionNewsArticle",
        Review => "ReviewNewsArticle",
        Sponsored => "AdvertiserContentArticle",
        _ => "NewsArticle",
    };
}

/// <summary>
/// The words readers see for labels and notices, in the article's script: Simplified for zh-Hans (and zh-CN, zh-SG),
/// Traditional for other Chinese, English otherwise. One table, so JSON, HTML and feeds say the same.
/// </summary>
internal static class EditorialLabels
{
    enum Script { Traditional, Simplified, Latin }

    static Script Of(string? language)
    {
        var tag = language ?? "zh-Hant";
        if (!tag.StartsWith("zh", StringComparison.OrdinalIgnoreCase))
            return Script.Latin;
        return tag.Contains("Hans", StringComparison.OrdinalIgnoreCase) || tag.EndsWith("-CN", StringComparison.OrdinalIgnoreCase)
               || tag.EndsWith("-SG", StringComparison.OrdinalIgnoreCase)
            ? Script.Simplified
            : Script.Traditional;
    }

    /// <summary>The label sponsored content carries everywhere (null for every other genre).</summary>
    public static string? Sponsored(string? genre, string? language) => genre != Genres.Sponsored ? null : Of(language) switch
    {
        Script.Traditional => "贊助內容",
        Script.Simplified => "赞助内容",
        _ => "Sponsored",
    };

    public static string Notice(string type, string? language) => (type, Of(language)) switch
    {
        (NoticeTypes.Correction, Script.Latin) => "Correction",
        (NoticeTypes.Correction, _) => "更正",
        (NoticeTypes.Clarification, Script.Latin) => "Clarification",
        (NoticeTypes.Clarification, _) => "澄清",
        (NoticeTypes.Update, Script.Latin) => "Update",
        (NoticeTypes.Update, _) => "更新",
        (_, Script.Latin) => "Editor's note",
        (_, Script.Simplified) => "编者按",
        _ => "編者按",
    };
}
