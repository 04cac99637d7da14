namespace NewsApi.Articles;

/// <summary>
/// Put <see cref="ByCaller"/> in a validation's RootContextData to skip the article content validator's lookups of
/// section, tags and authors: imports resolve the references of a whole batch at once (and may create missing ones)
/// instead of querying per article.
/// </summary>
internal static class ReferenceChecks
{
    public const string ByCaller = "referencesCheckedByCaller";
}
