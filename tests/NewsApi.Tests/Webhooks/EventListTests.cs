using System.Reflection;
using System.Text.RegularExpressions;
using NewsApi.Changes;
using NewsApi.Development;

namespace NewsApi.Tests.Webhooks;

/// <summary>
/// The event types a receiver can subscribe to are one list: the one the service registers webhooks against and
/// documents in its contract (<see cref="EventTypes.All"/>), and the one README's webhook section lists with what sends each.
/// </summary>
public sealed partial class EventListTests
{
    [Fact]
    public void Every_event_type_the_service_names_is_one_a_webhook_may_subscribe_to()
    {
        var named = typeof(EventTypes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!);

        Assert.Equal(named.Order(StringComparer.Ordinal), EventTypes.All.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_readme_lists_every_event_type_with_what_sends_it_and_names_no_other()
    {
        var root = RepositoryRoot.Find(AppContext.BaseDirectory) ?? throw new InvalidOperationException("no repository root");
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var start = readme.IndexOf("\n## Webhooks\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "README has no Webhooks section");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = readme[start..(end < 0 ? readme.Length : end)];

        // "- `tag.changed`, `author.changed` — …": each type once, at the head of a line saying what sends it.
        var listed = ListItem().Matches(section).SelectMany(m => EventName().Matches(m.Groups["names"].Value)).Select(m => m.Groups["name"].Value).ToList();
        Assert.Equal(EventTypes.All.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        var mentioned = EventName().Matches(section).Select(m => m.Groups["name"].Value).Distinct();
        Assert.Empty(mentioned.Except(EventTypes.All));
    }

    [GeneratedRegex(@"^- (?<names>`[^`\n]+`(?:, `[^`\n]+`)*) — \S", RegexOptions.Multiline)]
    private static partial Regex ListItem();

    // What an event type looks like (resource.happening); file names and settings in the section have digits, capitals or slashes.
    [GeneratedRegex(@"`(?<name>[a-z]+(?:-[a-z]+)*\.[a-z]+)`")]
    private static partial Regex EventName();
}
