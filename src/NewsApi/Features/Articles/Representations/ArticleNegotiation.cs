using Microsoft.Net.Http.Headers;

namespace NewsApi.Features.Articles.Representations;

/// <summary>The representations of an article a client can ask for with Accept.</summary>
internal enum ArticleFormat { Json, Ninjs, Ninjs2, JsonLd }

/// <summary>
/// Picks an article representation from the Accept header (RFC 9110 §12.5.1): each offer takes the quality of the
/// most specific range that matches it, the highest quality wins, and ties go to the order below (plain JSON first,
/// so */* and no Accept at all keep today's answer). Nothing acceptable is null: the caller answers 406.
/// </summary>
internal static class ArticleNegotiation
{
    public const string Json = "application/json";
    public const string Ninjs = "application/ninjs+json";
    public const string JsonLd = "application/ld+json";

    /// <summary>What a 406 lists, in the form a client can send back as Accept.</summary>
    public static readonly IReadOnlyList<string> Available = [Json, Ninjs, Ninjs + "; version=2", JsonLd];

    static readonly (ArticleFormat Format, string MediaType, int? Major)[] Offers =
    [
        (ArticleFormat.Json, Json, null),
        (ArticleFormat.Ninjs, Ninjs, 3),
        (ArticleFormat.Ninjs2, Ninjs, 2),
        (ArticleFormat.JsonLd, JsonLd, null),
    ];

    public static ArticleFormat? Choose(IList<string> accept)
    {
        if (accept.All(string.IsNullOrWhiteSpace))
            return ArticleFormat.Json;
        if (!MediaTypeHeaderValue.TryParseList(accept, out var ranges) || ranges.Count == 0)
            return null;

        ArticleFormat? best = null;
        var bestQuality = 0.0;
        foreach (var offer in Offers)
        {
            var quality = Quality(offer.MediaType, offer.Major, ranges);
            if (quality > bestQuality)
                (best, bestQuality) = (offer.Format, quality);
        }
        return best;
    }

    public static string ContentType(this ArticleFormat format) => format switch
    {
        ArticleFormat.Ninjs => $"{Ninjs}; version={NinjsMapper.Version3}; charset=utf-8",
        ArticleFormat.Ninjs2 => $"{Ninjs}; version={NinjsMapper.Version2}; charset=utf-8",
        ArticleFormat.JsonLd => JsonLd + "; charset=utf-8",
        _ => Json + "; charset=utf-8",
    };

    static double Quality(string mediaType, int? major, IList<MediaTypeHeaderValue> ranges)
    {
        var specificity = -1;
        var quality = 0.0;
        foreach (var range in ranges)
        {
            int s;
            if (range.MatchesAllTypes)
                s = 0;
            else if (range.MatchesAllSubTypes)
                s = mediaType.StartsWith(range.Type.Value + "/", StringComparison.OrdinalIgnoreCase) ? 1 : -1;
            else if (!range.MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase))
                s = -1;
            else if (major is null || Version(range) is not { } asked)
                s = 2;
            else
                s = asked == major ? 3 : -1; // ninjs; version=1 matches neither ninjs we offer
            if (s > specificity)
                (specificity, quality) = (s, range.Quality ?? 1.0);
        }
        return quality;
    }

    /// <summary>The major version asked for with a version parameter (version=2, "2.2" and 3.1 all count), or null without one.</summary>
    static int? Version(MediaTypeHeaderValue range)
    {
        var parameter = range.Parameters.FirstOrDefault(p => p.Name.Equals("version", StringComparison.OrdinalIgnoreCase));
        if (parameter is null)
            return null;
        var value = HeaderUtilities.RemoveQuotes(parameter.Value).ToString();
        var major = value.Split('.')[0];
        return int.TryParse(major, out var n) ? n : 0;
    }
}
