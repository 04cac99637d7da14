namespace NewsApi.Api;

/// <summary>Where the versioned API lives; every route table and link under it starts here.</summary>
internal static class ApiRoutes
{
    public const string Prefix = "/api/v1";
}
