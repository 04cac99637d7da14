using NewsApi.Data.Entities;

namespace NewsApi.Content;

/// <summary>Kinds of body block an article may hold, in the order DESIGN.md lists them.</summary>
internal static class BlockTypes
{
    public const string Paragraph = "paragraph";
    public const string Heading = "heading";
    public const string Quote = "quote";
    public const string Image = "image";
    public const string List = "list";
    public const string Html = "html";
    public const string Gallery = "gallery";
    public const string Video = "video";
    public const string Embed = "embed";

    public static readonly IReadOnlyList<string> All = [Paragraph, Heading, Quote, Image, List, Html, Gallery, Video, Embed];

    /// <summary>Blocks that show something other than the story's text: their captions are not the story's length.</summary>
    public static readonly IReadOnlySet<string> Media = new HashSet<string> { Image, Gallery, Video, Embed };
}

/// <summary>
/// One block of an article body. A single flat shape (rather than a class per type) keeps the JSON
/// stable for clients and lets the body live in one jsonb column; which members are used depends on <see cref="Type"/>.
/// </summary>
/// <param name="Type">paragraph, heading, quote, image, list, html, gallery, video or embed.</param>
/// <param name="Text">Plain text of a paragraph, heading or quote.</param>
/// <param name="Level">Heading level, 2 to 4.</param>
/// <param name="Cite">Who is quoted, for a quote.</param>
/// <param name="Url">Image address, for an image; the video file's (https), for a video; the provider's player page (https, on
/// a host of Html:IframeHosts), for an embed.</param>
/// <param name="Caption">Caption of an image, video or embed.</param>
/// <param name="Credit">Credit of an image or video.</param>
/// <param name="Alt">Image alternative text.</param>
/// <param name="Ordered">Whether a list is numbered.</param>
/// <param name="Items">List items, plain text.</param>
/// <param name="Html">Sanitised HTML, for an html block.</param>
/// <param name="AssetId">An image block's asset in the media library, in place of a url (filled in on save).</param>
/// <param name="Width">An image's width in pixels (filled in on save for an asset).</param>
/// <param name="Height">An image's height in pixels (filled in on save for an asset).</param>
/// <param name="Renditions">An image asset's renditions, read-only: filled in on save, ignored when sent.</param>
/// <param name="Images">A gallery's pictures in order, each an asset (assetId) or a url, with its own caption, credit and alt.</param>
/// <param name="Poster">The picture a video shows before it plays: an asset (assetId) or a url.</param>
internal sealed record Block(
    string Type,
    string? Text = null,
    int? Level = null,
    string? Cite = null,
    string? Url = null,
    string? Caption = null,
    string? Credit = null,
    string? Alt = null,
    bool? Ordered = null,
    IReadOnlyList<string>? Items = null,
    string? Html = null,
    Guid? AssetId = null,
    int? Width = null,
    int? Height = null,
    IReadOnlyList<RenditionLink>? Renditions = null,
    IReadOnlyList<Image>? Images = null,
    Image? Poster = null)
{
    public static Block Paragraph(string text) => new(BlockTypes.Paragraph, Text: text);
    public static Block Heading(string text, int level = 2) => new(BlockTypes.Heading, Text: text, Level: level);
}

/// <summary>A structured dateline, e.g. 中新網 / 烏鎮 / 2023-11-11 / 「中新網烏鎮11月11日電」.</summary>
internal sealed record Dateline(string? Agency, string? Place, DateOnly? Date, string Text);
