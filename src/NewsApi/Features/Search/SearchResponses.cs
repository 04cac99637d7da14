using NewsApi.Content;
using NewsApi.Data.Entities;

namespace NewsApi.Features.Search;

/// <summary>
/// One search result: the article as lists show it (no body), plus why it matched. Its own record rather than the
/// entity, so the search vectors and internal columns never reach the wire.
/// </summary>
internal sealed record SearchHit
{
    public Guid Id { get; init; }
    public required string Slug { get; init; }
    public required string Title { get; init; }
    public string? Subtitle { get; init; }
    public string? Summary { get; init; }
    public Dateline? Dateline { get; init; }
    public string? Byline { get; init; }
    public required string Language { get; init; }
    public Image? CoverImage { get; init; }
    public DateTimeOffset? PublishedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>An excerpt of the best-matching field as HTML: the text escaped, each match in &lt;mark&gt;…&lt;/mark&gt;.</summary>
    public required string Snippet { get; init; }

    /// <summary>The title as HTML with its matches marked (escaped like the snippet).</summary>
    public required string TitleHtml { get; init; }

    /// <summary>The fields holding a match: title, subtitle, summary, dateline, body.</summary>
    public required IReadOnlyList<string> Matched { get; init; }

    /// <summary>The ranking score (higher first); comparable only within one query's results.</summary>
    public double Score { get; init; }
}
