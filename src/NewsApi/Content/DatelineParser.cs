using System.Globalization;
using System.Text.RegularExpressions;

namespace NewsApi.Content;

/// <summary>A dateline read off a lead paragraph, the byline that followed it, and the rest of the paragraph.</summary>
internal sealed record DatelineMatch(Dateline Dateline, string? Byline, string Rest);

/// <summary>
/// Reads the dateline a Chinese wire story opens with, 「中新網烏鎮11月11日電(張煜歡)」 or
/// 「新華社北京11月11日電（記者 王某）」: agency, place, month and day, and the byline in brackets.
/// </summary>
internal static partial class DatelineParser
{
    /// <summary>How far past the reference date a dateline may fall and still count as this year (time zones, embargoes).</summary>
    public const int ToleranceDays = 2;

    private const string Agencies =
        "中新網|中新网|中新社|新華社|新华社|新華網|新华网|人民網|人民网|央視新聞|央视新闻|中央社|法新社|路透社|美聯社|美联社|共同社";

    /// <summary>Agencies the parser knows by name, in traditional and simplified forms; others are recognised by shape.</summary>
    public static readonly IReadOnlyList<string> KnownAgencies = Agencies.Split('|');

    /// <summary>
    /// Parses the dateline at the start of <paramref name="lead"/>. The year is not written, so the date is the latest
    /// one with that month and day not after <paramref name="referenceDate"/> plus <see cref="ToleranceDays"/>.
    /// Returns null when the paragraph does not open with a dateline (a story quoting another agency, 「據新華社…」, does not).
    /// </summary>
    public static DatelineMatch? Parse(string lead, DateOnly referenceDate)
    {
        ArgumentNullException.ThrowIfNull(lead);

        var match = Shape().Match(lead.TrimStart());
        if (!match.Success)
            return null;

        var agency = match.Groups["agency"].Value;
        if (!IsAgency(agency))
            return null;

        var month = Number(match.Groups["month"].Value);
        var day = Number(match.Groups["day"].Value);
        var text = match.Groups["dateline"].Value;
        var place = match.Groups["place"].Value;
        var dateline = new Dateline(agency, place.Length > 0 ? place : null, ResolveDate(month, day, referenceDate), text);
        var byline = match.Groups["byline"].Success ? Byline(match.Groups["byline"].Value) : null;
        return new DatelineMatch(dateline, byline, match.Groups["rest"].Value.Trim());
    }

    /// <summary>The latest date with this month and day that is not after the reference date plus the tolerance.</summary>
    public static DateOnly? ResolveDate(int month, int day, DateOnly referenceDate)
    {
        if (month is < 1 or > 12 || day is < 1 or > 31)
            return null;

        var latest = referenceDate.AddDays(ToleranceDays);
        // Eight years back always reaches a 29 February.
        for (var year = latest.Year; year > latest.Year - 8; year--)
        {
            if (day > DateTime.DaysInMonth(year, month))
                continue;
            var date = new DateOnly(year, month, day);
            if (date <= latest)
                return date;
        }

        return null;
    }

    /// <summary>「記者 王某」 → 「王某」; 「記者王某 李某」 → 「王某、李某」.</summary>
    public static string? Byline(string raw)
    {
        var names = BylineSeparator().Split(raw.Trim())
            .Select(name => name.Trim())
            .Select(name => name.StartsWith("記者", StringComparison.Ordinal) || name.StartsWith("记者", StringComparison.Ordinal) ? name[2..] : name)
            .Where(name => name.Length > 0)
            .ToList();
        return names.Count == 0 ? null : string.Join('、', names);
    }

    private static bool IsAgency(string agency)
    {
        if (KnownAgencies.Contains(agency))
            return true;
        // The fallback is shape only, so reject what merely ends in a known agency (「據新華社」, 「綜合中新社」).
        return !KnownAgencies.Any(known => agency.EndsWith(known, StringComparison.Ordinal))
               && !"據据綜综引轉转從从".Contains(agency[0]);
    }

    private static int Number(string digits) =>
        int.Parse(digits.Select(c => (char)('0' + (int)char.GetNumericValue(c))).ToArray(), NumberStyles.None, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<dateline>(?<agency>" + Agencies + @"|\p{IsCJKUnifiedIdeographs}{1,3}[社網网報报])(?<place>\p{IsCJKUnifiedIdeographs}{0,8}?)[ \u3000]?(?<month>[0-9０-９]{1,2})月(?<day>[0-9０-９]{1,2})日[電电])[ \u3000]*(?:[(（](?<byline>[^()（）\n]{1,40})[)）])?(?<rest>.*)$", RegexOptions.Singleline | RegexOptions.NonBacktracking)]
    private static partial Regex Shape();

    [GeneratedRegex(@"[\s\u3000、，,]+", RegexOptions.NonBacktracking)]
    private static partial Regex BylineSeparator();
}
