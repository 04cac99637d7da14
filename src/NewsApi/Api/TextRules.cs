using System.Text.RegularExpressions;
using FluentValidation;

namespace NewsApi.Api;

/// <summary>Rules every text field of every request shares.</summary>
internal static partial class TextRules
{
    /// <summary>No NUL (PostgreSQL cannot store it) and no lone surrogate halves (not Unicode text at all).</summary>
    public static bool IsSafe(string? text)
    {
        if (text is null)
            return true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
                return false;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                    return false;
                i++;
            }
            else if (char.IsLowSurrogate(c))
                return false;
        }
        return true;
    }

    public static IRuleBuilderOptions<T, string?> SafeText<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(IsSafe).WithMessage("{PropertyName} contains a NUL character or a broken surrogate pair.");

    /// <summary>Titles and summaries are plain text: markup would be shown as-is to readers, or worse, run.</summary>
    public static IRuleBuilderOptions<T, string?> PlainText<T>(this IRuleBuilder<T, string?> rule) =>
        rule.SafeText().Must(t => t is null || !Markup().IsMatch(t)).WithMessage("{PropertyName} must be plain text, without HTML tags.");

    [GeneratedRegex(@"<\s*/?\s*[a-zA-Z!][^>]*>")]
    private static partial Regex Markup();
}
