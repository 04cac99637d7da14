using System.Security.Cryptography;
using System.Text;
using NewsApi.Content;

namespace NewsApi.Import;

/// <summary>
/// One Chinese wire story in plain text (text/plain), parsed with the foundation's <see cref="WireStory"/>: title line,
/// the dateline lead (「中新網烏鎮11月11日電(張煜歡)」), sub-headings and paragraphs, end mark; pinyin glosses and stray
/// markup cleaned away.
/// </summary>
internal static class WireTextImport
{
    /// <summary>
    /// The externalId is ?externalId= when given; otherwise "wire:" and the first 32 hex digits of the SHA-256 of the
    /// dateline as printed and the title, so the same story sent again finds its article.
    /// </summary>
    public static ParsedItem Parse(string text, string? externalId, DateOnly referenceDate)
    {
        var story = WireStory.Parse(text, referenceDate);
        if (story.Title.Length == 0)
            return new(1, null, new Dictionary<string, string[]> { ["body"] = ["The wire story is empty: send the title line, the dateline lead and the paragraphs."] });
        externalId ??= "wire:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{story.Dateline?.Text}\n{story.Title}")))[..32];
        var item = new ImportItem(story.Title, ExternalId: externalId, Body: story.Body, Dateline: story.Dateline, Byline: story.Byline,
            Source: story.Dateline?.Agency);
        return new(1, item, Note: story.Topics.Count > 0 ? $"Topics named in the story are not linked: {string.Join("、", story.Topics)}." : null);
    }
}
