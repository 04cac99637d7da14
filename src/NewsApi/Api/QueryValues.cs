using System.Globalization;
using FluentValidation;

namespace NewsApi.Api;

/// <summary>Parsing of query-string values that validators check first and handlers then use.</summary>
internal static class QueryValues
{
    /// <summary>The page size a validated <c>limit</c> asks for, or the default.</summary>
    public static int Limit(string? value) => value is null ? Paging.DefaultLimit : int.Parse(value, CultureInfo.InvariantCulture);

    /// <summary>The rule every paged list shares for <c>limit</c>.</summary>
    public static IRuleBuilderOptions<T, string?> ValidLimit<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(IsLimit).WithMessage($"limit must be a whole number from 1 to {Paging.MaxLimit}.");

    public static bool IsLimit(string? value) =>
        value is null || (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= Paging.MaxLimit);

    /// <summary>ISO 8601 timestamps with an offset (2023-11-11T08:00:00Z, 2023-11-11T16:00:00+08:00) or plain dates, taken as UTC midnight.</summary>
    public static bool IsTime(string? value) => value is null || TryParseTime(value, out _);

    public static DateTimeOffset? ParseTime(string? value) => value is not null && TryParseTime(value, out var t) ? t : null;

    public static string TimeMessage(string name) =>
        $"{name} must be an ISO 8601 timestamp with an offset, such as 2023-11-11T08:00:00Z, or a date such as 2023-11-11.";

    public static IReadOnlyList<string> SplitList(string? value) =>
        value is null ? [] : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    static bool TryParseTime(string value, out DateTimeOffset time)
    {
        // An unencoded '+' in a query string arrives as a space: 2023-11-11T16:00:00 08:00.
        value = value.Replace(' ', '+');
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            time = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return true;
        }
        // An offset is required: a bare local time would mean different instants to different callers.
        var ok = DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out time)
                 && (value.EndsWith('Z') || value.EndsWith('z') || value.LastIndexOfAny(['+', '-']) > value.IndexOf('T'))
                 && value.Contains('T');
        time = time.ToUniversalTime();
        return ok;
    }
}
