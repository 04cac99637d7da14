using System.Text.RegularExpressions;
using FluentValidation;

namespace NewsApi.Api;

/// <summary>Rules every text field of every request shares.</summary>
internal static partial class TextRules
{
    /// <summary>Text XML can carry: no NUL, no other control character, no lone surrogate half.</summary>
    public static bool IsSafe(string? text) => XmlChars.IsCarried(text);

    public static IRuleBuilderOptions<T, string?> SafeText<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(IsSafe).WithMessage("{PropertyName} holds a character that text cannot carry (NUL, another control character, or half of a surrogate pair).");

    /// <summary>Titles and summaries are plain text: markup would be shown as-is to readers, or worse, run.</summary>
    public static IRuleBuilderOptions<T, string?> PlainText<T>(this IRuleBuilder<T, string?> rule) =>
        rule.SafeText().Must(t => t is null || !Markup().IsMatch(t)).WithMessage("{PropertyName} must be plain text, without HTML tags.");

    // Linear in the length: with backtracking, a title of "<a" repeated scanned the rest of the text from every "<".
    [GeneratedRegex(@"<\s*/?\s*[a-zA-Z!][^>]*>", RegexOptions.NonBacktracking)]
    private static partial Regex Markup();
}
