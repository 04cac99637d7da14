using System.Text.Json.Nodes;

namespace NewsApi.Api;

/// <summary>JSON Merge Patch (RFC 7396): objects merge member by member, null removes, anything else replaces.</summary>
internal static class MergePatch
{
    public static void Apply(JsonObject target, JsonObject patch)
    {
        foreach (var (name, value) in patch.ToList())
        {
            if (value is null)
                target.Remove(name);
            else if (value is JsonObject inner)
            {
                if (target[name] is not JsonObject existing)
                    target[name] = existing = new JsonObject();
                Apply(existing, inner);
            }
            else
                target[name] = value.DeepClone();
        }
    }
}
