using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Xml;

namespace NewsApi.Api;

/// <summary>
/// Text that XML can carry: every string a client writes ends up in a feed, a sitemap or PostgreSQL (which refuses NUL),
/// so one rule, checked once over the whole request, covers every text field and every reference alike.
/// </summary>
internal static class XmlChars
{
    public static string Refusal(string member) =>
        $"{member} holds a character that text cannot carry (NUL, another control character, or half of a surrogate pair).";

    static readonly ConcurrentDictionary<Type, (string Name, PropertyInfo Property)[]> Members = new();

    /// <summary>True when every character is one XML allows (a surrogate pair counts as one character).</summary>
    public static bool IsCarried(string? text)
    {
        if (text is null)
            return true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (XmlConvert.IsXmlChar(c))
                continue;
            if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], c))
            {
                i++;
                continue;
            }
            return false;
        }
        return true;
    }

    /// <summary>The text without the characters XML cannot carry; the same instance when there are none.</summary>
    public static string Strip(string text)
    {
        if (IsCarried(text))
            return text;
        var kept = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (XmlConvert.IsXmlChar(c))
                kept.Append(c);
            else if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], c))
            {
                kept.Append(c).Append(text[i + 1]);
                i++;
            }
        }
        return kept.ToString();
    }

    /// <summary>The members (as clients name them, such as <c>body[2].text</c>) whose text XML cannot carry.</summary>
    public static Dictionary<string, string[]> Errors(object? request)
    {
        var errors = new Dictionary<string, string[]>();
        Walk(request, "", errors, depth: 0);
        return errors;
    }

    static void Walk(object? value, string path, Dictionary<string, string[]> errors, int depth)
    {
        // Request records nest a few levels (article → block → items); the bound only guards against cycles.
        if (value is null || depth > 16)
            return;
        switch (value)
        {
            case string text:
                if (!IsCarried(text))
                    errors[path.Length == 0 ? "body" : path] = [Refusal(path.Length == 0 ? "The body" : path)];
                return;
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    var name = Join(path, entry.Key.ToString() ?? "");
                    if (entry.Key is string key && !IsCarried(key))
                        errors[name] = [Refusal(name)];
                    Walk(entry.Value, name, errors, depth + 1);
                }
                return;
            case IEnumerable items:
                var index = 0;
                foreach (var item in items)
                    Walk(item, $"{path}[{index++}]", errors, depth + 1);
                return;
        }
        if (value.GetType().Assembly != typeof(XmlChars).Assembly)
            return;
        foreach (var (name, property) in Members.GetOrAdd(value.GetType(), Readable))
            Walk(property.GetValue(value), Join(path, name), errors, depth + 1);
    }

    static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    // Only what a client can send is walked (members with a setter, not values computed from them) and only what can
    // hold text: strings, collections and the app's own records.
    static (string, PropertyInfo)[] Readable(Type type) => type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.GetIndexParameters().Length == 0 && p.SetMethod is not null && p.GetCustomAttribute<JsonIgnoreAttribute>() is null && MayHoldText(p.PropertyType))
        .Select(p => (p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name), p))
        .ToArray();

    static bool MayHoldText(Type type) =>
        type == typeof(string) || (!type.IsValueType && (typeof(IEnumerable).IsAssignableFrom(type) || type.Assembly == typeof(XmlChars).Assembly));
}
